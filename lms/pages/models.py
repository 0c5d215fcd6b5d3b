"""The site's own pages: the home page, plain content pages, the programme's themes."""

from django.db import models
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class Theme(index.Indexed, models.Model):
    """A strand of the programme (Transforming services, Smarter sourcing…)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(help_text="One or two sentences for the home page and listings.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("sort_order"),
    ]
    # The admin sorts search results by the ordering below, so the backend must hold those fields.
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("sort_order"),
        index.FilterField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class HomePage(Page):
    introduction = models.TextField(
        help_text="What the programme is and who it is for, in a short paragraph."
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = Theme.objects.all()
        return context


class StandardPage(Page):
    """A plain page of words: accessibility statement, privacy notice, contact details."""

    summary = models.TextField(blank=True, help_text="Shown under the title.")
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="Shown at the foot of the page, for example for statements.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]


@register_setting(icon="list-ul")
class FooterLinks(BaseSiteSetting):
    """The pages every footer links to."""

    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_notice = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        PageChooserPanel("accessibility_statement"),
        PageChooserPanel("privacy_notice"),
        PageChooserPanel("contact"),
    ]

    class Meta:
        verbose_name = "footer links"
