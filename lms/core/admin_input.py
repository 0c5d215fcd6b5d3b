"""Input that Wagtail's admin views hand on unchecked, refused before the view runs.

Some of Wagtail's own admin views pass what a browser sent straight to the ORM, to ``json`` or to
``redirect()``, so a forged or garbled request (never one the admin's own pages make) was a
server error. ``AdminInputMiddleware`` looks each admin request up by its URL name in ``CHECKS``
and runs the checks listed there before the view; a check refuses with ``Refused`` (400, with a
message saying what was wrong) or Django's ``Http404``. It catches nothing from the views
themselves: an error inside a view is still a server error, as a real bug should be.

To add one: write a function ``check(request, **url_kwargs)`` that raises ``Refused`` or
``Http404`` and list it under the URL name. Two checks apply to every admin URL, by what they
look at rather than by name: a posted ``next`` that is not an address (``redirect()`` would take
it for a view name), and the ``<pk>`` of a chooser's "chosen" view that cannot be the model's key.

Elsewhere, for the same reason: searches containing ``"`` on SQLite (lms/core/search.py) and
deleting podcast audio an episode uses (podcasts/admin_audio.py).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.views.generic.chooser import ChosenViewMixin
from wagtail.blocks.base import BlockWidget
from wagtail.models import Page

TEMPLATE = "core/admin_bad_input.html"


class Refused(Exception):
    """The request cannot be acted on as sent: answered 400 with this message."""


def _id(value):
    """A posted object id as an int, or None when it is not one."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


# --- checks by URL name ---------------------------------------------------------------------


def readable_editor_content(
    request, page_id=None, content_type_app_name=None, content_type_model_name=None, **kwargs
):
    """The page editor's rich text (and StreamField) fields post JSON written by the editor's
    script, which Wagtail's widgets parse without a check: the raw text of a forged post was a
    JSONDecodeError, AttributeError or TypeError from deep in the converter."""
    if request.method != "POST":
        return
    if page_id is not None:
        page = Page.objects.filter(pk=page_id).first()
        page_class = page.specific_class if page else None
    else:
        try:
            content_type = ContentType.objects.get_by_natural_key(
                content_type_app_name, content_type_model_name
            )
        except ContentType.DoesNotExist:
            return  # the view answers 404
        page_class = content_type.model_class()
    if page_class is None or not issubclass(page_class, Page):
        return
    form_class = page_class.get_edit_handler().get_form_class()
    for name, field in form_class.base_fields.items():
        if name not in request.POST or not isinstance(
            field.widget, (DraftailRichTextArea, BlockWidget)
        ):
            continue
        try:
            field.widget.value_from_datadict(request.POST, request.FILES, name)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
            raise Refused(
                f"The content of the “{field.label}” field could not be read (it is not what the "
                "page editor sends). Reload the editor and make the change again."
            ) from error


def posted_page(field_name, *, required=False):
    """A parent page chosen in a form is posted as its id; move, copy and "create" look it up
    unchecked (text was a ValueError, and copy's unknown id or missing field a server error)."""

    def check(request, **kwargs):
        if request.method != "POST":
            return
        value = request.POST.get(field_name)
        if value is None and not required:
            return
        page_id = _id(value)
        if page_id is None or not Page.objects.filter(pk=page_id).exists():
            raise Refused("Choose the parent page from the page chooser: no page has the id sent.")

    check.__name__ = f"posted_page({field_name!r})"
    return check


def page_has_parent(request, page_to_move_id, **kwargs):
    """Ordering a page among its siblings: the root page has none (Wagtail raised AttributeError)."""
    page = Page.objects.filter(pk=page_to_move_id).first()
    if page is not None and page.is_root():
        raise Refused("The root page has no siblings, so it has no position to change.")


def revision_of_page(request, page_id, revision_id, **kwargs):
    """Reverting to a revision: one that this page has (an unknown id was an AttributeError)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is not None and not page.revisions.filter(pk=revision_id).exists():
        raise Http404("This page has no such revision.")


def image_search_or_usage_filter(request, **kwargs):
    """The image library cannot search and filter by usage count at once: the search backend
    cannot filter on the usage-count annotation (an AttributeError on PostgreSQL)."""
    searching = request.GET.get("q", "").strip()
    by_usage = (
        request.GET.get("usage_count_min", "").strip()
        or request.GET.get("usage_count_max", "").strip()
    )
    if searching and by_usage:
        raise Refused(
            "The image library can be searched, or filtered by how often images are used, but "
            "not both at once: clear the search or the usage filter."
        )


CHECKS = {
    "wagtailadmin_pages:edit": [readable_editor_content],
    "wagtailadmin_pages:add": [readable_editor_content],
    "wagtailadmin_pages:preview_on_edit": [readable_editor_content],
    "wagtailadmin_pages:preview_on_add": [readable_editor_content],
    "wagtailadmin_pages:move": [posted_page("new_parent_page")],
    "wagtailadmin_pages:copy": [posted_page("new_parent_page", required=True)],
    "wagtailadmin_pages:choose_parent": [posted_page("parent_page")],
    "wagtailadmin_pages:set_page_position": [page_has_parent],
    "wagtailadmin_pages:revisions_revert": [revision_of_page, readable_editor_content],
    "wagtailimages:index": [image_search_or_usage_filter],
    "wagtailimages:index_results": [image_search_or_usage_filter],
}


# --- checks on every admin URL --------------------------------------------------------------


def next_is_an_address(request, **kwargs):
    """After a POST, Wagtail's views return to ``next`` through ``redirect()``, which takes a
    value with neither "/" nor "." for a view name and raises NoReverseMatch when there is none.
    (A GET only carries ``next`` into its form, so it is checked when that form is posted.)"""
    value = request.POST.get("next") or request.GET.get("next")
    if (
        request.method == "POST"
        and value
        and "/" not in value
        and "." not in value
        and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
    ):
        raise Refused(
            "The address to return to afterwards (“next”) is not an address on this site."
        )


def chosen_key_fits(request, view_func, pk=None, **kwargs):
    """A chooser's "chosen/<str:pk>/" view looks the key up unchecked (text for a numeric key
    was a ValueError): a key the model cannot have names nothing."""
    view_class = getattr(view_func, "view_class", None)
    if pk is None or view_class is None or not issubclass(view_class, ChosenViewMixin):
        return
    model = view_class(**getattr(view_func, "view_initkwargs", {})).model_class
    if model is None:
        return
    try:
        model._meta.pk.to_python(pk)
    except ValidationError as error:
        raise Http404("Nothing has this id.") from error


class AdminInputMiddleware:
    """Run the checks above for each /admin/ request, before its view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not (match.route or "").startswith("admin/"):
            return None
        try:
            next_is_an_address(request)
            chosen_key_fits(request, view_func, **view_kwargs)
            for check in CHECKS.get(match.view_name, ()):
                check(request, **view_kwargs)
        except Refused as refusal:
            return TemplateResponse(request, TEMPLATE, {"message": str(refusal)}, status=400)
        return None
