from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from lms.core.deletion import ExplainProtectedDeleteMixin

from .models import Theme


class ThemeDeleteView(ExplainProtectedDeleteMixin, DeleteView):
    protected_advice = (
        "Move its courses to another theme and delete its theme page first, or rename the theme "
        "instead."
    )


class ThemeViewSet(SnippetViewSet):
    model = Theme
    delete_view_class = ThemeDeleteView
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "summary"]
    ordering = ["sort_order", "name"]


register_snippet(ThemeViewSet)
