import hashlib

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from lms.bookings.filters import RunFilter, upcoming_runs
from lms.bookings.pages import BookablePage
from lms.core import search


class ConferencePage(BookablePage):
    """A conference or event: one or more days, delegates from anywhere."""

    template = "courses/course_page.html"
    run_noun = ("conference", "conferences")
    report_as_event = True
    search_kind = search.CONFERENCES

    class Meta:
        verbose_name = "conference"


class WhatsOnPage(Page):
    """Every upcoming run across all courses and events, filterable, without JavaScript."""

    introduction = models.TextField(blank=True)
    per_page = 20

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    max_count = 1
    subpage_types = []

    class Meta:
        verbose_name = "“What's on” listing"

    def serve(self, request, *args, **kwargs):
        """People who are not signed in (most visitors, and the expensive case) get a copy
        cached until the catalogue next changes; signed-in pages show personal header links."""
        from django.contrib.messages import get_messages
        from django.core.cache import cache

        from lms.core import cache as catalogue

        if request.user.is_authenticated or len(get_messages(request)):
            return super().serve(request, *args, **kwargs)
        key = catalogue.page_key(request)
        body = cache.get(key)
        if body is None:
            response = super().serve(request, *args, **kwargs)
            response.render()
            if response.status_code != 200:
                return response
            body = response.content
            cache.set(key, body, catalogue.TIMEOUT)
        response = HttpResponse(body)
        response["Vary"] = "Cookie"
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        runs = upcoming_runs()
        filters = RunFilter(request.GET or None, queryset=runs)
        if filters.is_bound and filters.is_valid():
            runs = filters.qs
        page = Paginator(runs, self.per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filters": filters,
                "filters_html": self.filters_html(filters, query.urlencode()),
                "runs_page": page,
                "query": query.urlencode(),
                "filtered": any(v for k, v in request.GET.items() if k != "page"),
            }
        )
        return context

    @staticmethod
    def filters_html(filters, query):
        """The filter form as answered: its choices change only with the catalogue (themes,
        cities) and the month, so it is rendered once for each set of answers, not on every
        request (six selects of some forty options were a quarter of the page's time)."""
        from django.template.loader import render_to_string
        from django.utils import timezone
        from django.utils.safestring import mark_safe

        from lms.core import cache

        digest = hashlib.sha256(query.encode()).hexdigest()[:32]
        key = f"run-filters:{timezone.localdate():%Y-%m}:{digest}"
        html = cache.remembered(
            key,
            [cache.CATALOGUE],
            lambda: render_to_string("events/includes/run_filters.html", {"form": filters.form}),
        )
        return mark_safe(html)  # rendered by the template engine, which escaped it
