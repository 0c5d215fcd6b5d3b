"""The base every bookable page (masterclass, officer programme, e-learning course, conference)
inherits: words and a theme on the page, the runs underneath as data."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from lms.core import search


class BookablePage(Page):
    """Concrete (one table) so runs, listings and reports reach a page's theme in SQL without
    knowing which kind of page it is; editors create only the specific kinds."""

    theme = models.ForeignKey(
        "pages.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(help_text="One or two sentences for listings and search results.")
    who_for = models.CharField(
        "who it is for",
        max_length=200,
        blank=True,
        help_text="For example “Councillors (elected members)”. Booking rules are set on each run.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    report_subject = models.CharField(
        "name in board reports",
        max_length=150,
        blank=True,
        help_text="How a board report names this course in a sentence, for example “data and digital "
        "transformation” or “commercial skills”. Empty: the title.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("theme"),
        FieldPanel("who_for"),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("report_subject")]
    # What the site search reads. The theme's name is indexed with the page (a page is
    # re-indexed when it is saved, not when its theme is renamed).
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("who_for"),
        index.SearchField("body"),
        index.RelatedFields("theme", [index.SearchField("name")]),
    ]
    # The group the site search shows these pages in; conferences say their own.
    search_kind = search.COURSES

    is_creatable = False

    # What one run of this kind of page is called in a sentence of a board report ("four
    # masterclasses took place"). Each kind of page says its own; the figures read it from
    # `specific_class`, so the core apps never import the page apps.
    run_noun = ("run", "runs")
    # True where completion comes from an outside provider's file rather than a register.
    completion_from_provider = False
    # True for events a board report names (conferences): "The digital showcase took place…".
    report_as_event = False

    class Meta:
        verbose_name = "bookable page"

    def upcoming_runs(self):
        """This page's upcoming runs with places taken and waiting (through the runs' relation, so
        this module does not import lms.bookings.models, which imports it to register the page)."""
        return self.runs.for_listing()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["runs"] = self.upcoming_runs()
        return context
