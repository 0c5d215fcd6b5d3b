"""The Figures menu (organisers only), its pages and the admin home's panel."""

from django.core.cache import cache
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from lms.bookings.models import Run, RunStatus
from lms.core import cache as cache_versions
from lms.core.figures_views import can_see_figures
from lms.core.sections import THEME_PAGE_SECTIONS, Section
from lms.core.years import FinancialYear

from . import figures, views


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_figures(request.user)


@hooks.register("register_admin_menu_item")
def figures_menu():
    items = [
        FiguresMenuItem(view.page_title, reverse(view.url_name), icon_name="table", order=i)
        for i, view in enumerate(views.REPORTS)
    ]
    return SubmenuMenuItem(
        "Figures", Menu(items=items), icon_name="table", order=250, name="figures"
    )


class ThisYearPanel(Component):
    """This financial year to date at a glance, on the admin home (organisers only).

    Its figures are kept in the shared cache (see `cached_figures`): the admin home is every
    organiser's first page, and the figures change only with a booking, a register, a survey or
    a run starting."""

    name = "figures_this_year"
    order = 120
    template_name = "reports/this_year_panel.html"

    def __init__(self, now=None):
        self.year = FinancialYear.current(now)
        self.scope = figures.Scope(year=self.year, now=now)

    def get_context_data(self, parent_context=None):
        total, reached = cached_figures(self.scope)
        return {
            "year": self.year,
            "figures": total,
            "councils": reached,
            "headline": views.headline(total, f"{self.year.label} to date"),
            "summary_url": f"{reverse('reports_summary')}?year={self.year.label}",
            "figures_url": reverse("reports_index"),
        }


def cached_figures(scope):
    """(Figures, councils reached) of a year to date, from the shared cache when still true.

    Kept under the versions that change with what they count (lms/core/cache.py): the
    catalogue (runs, sessions, pages), places (bookings) and figures (registers, surveys,
    responses, certificates, people's role and council, the councils' dates), so any such change
    makes the copy stale at once. Time also changes them, with no write: a run counts once it has started, so
    a copy is good only until the next run starts."""
    key = f"figures:this-year:{cache_versions.version(cache_versions.CATALOGUE)}.{cache_versions.version(cache_versions.PLACES)}.{cache_versions.version(FIGURES)}:{scope.year.label}"
    cached = cache.get(key)
    if cached is not None and scope.now < cached["good_until"]:
        return cached["figures"], cached["councils"]
    total = figures.figures(scope)[None]
    reached = figures.councils_reached(scope).count()
    next_start = Run.objects.filter(status=RunStatus.SCHEDULED, starts_at__gte=scope.now).aggregate(
        first=Min("starts_at")
    )["first"]
    good_until = min(filter(None, [next_start, scope.year.ends_before]))
    cache.set(
        key,
        {"figures": total, "councils": reached, "good_until": good_until},
        cache_versions.TIMEOUT,
    )
    return total, reached


FIGURES = "figures"


def figures_changed(*args, **kwargs):
    """Signal receiver: something the figures count changed (as the catalogue's versions, on
    save, inside the writer's transaction)."""
    cache_versions.bump_version(FIGURES)


@hooks.register("construct_homepage_panels")
def this_year_panel(request, panels):
    if can_see_figures(request.user):
        panels.append(ThisYearPanel())


def cached_theme_record(theme, now=None):
    """`figures.theme_record(theme)` from the shared cache when still true: kept under the same
    versions as the year's figures above, and good only until the next run starts."""
    now = now or timezone.now()
    key = f"figures:theme:{cache_versions.version(cache_versions.CATALOGUE)}.{cache_versions.version(cache_versions.PLACES)}.{cache_versions.version(FIGURES)}:{theme.pk}"
    cached = cache.get(key)
    if cached is not None and (cached["good_until"] is None or now < cached["good_until"]):
        return cached["record"]
    record = figures.theme_record(theme, now=now)
    good_until = Run.objects.filter(status=RunStatus.SCHEDULED, starts_at__gte=now).aggregate(
        first=Min("starts_at")
    )["first"]
    cache.set(key, {"record": record, "good_until": good_until}, cache_versions.TIMEOUT)
    return record


@hooks.register(THEME_PAGE_SECTIONS)
def theme_achievements(request, page, theme):
    """What the theme achieved, year by year, from the figures the Figures pages show."""
    years = [
        {"year": year, "figures": f, "sentence": who_attended(f)}
        for year, f in cached_theme_record(theme)
    ]
    return Section(
        "reports/includes/theme_achievements.html", {"years": years, "theme": theme}, order=30
    )


def who_attended(f):
    """ "54 councillors and 3 other people attended 4 dates held that year." from a year's
    Figures: the people present, by role (each counted once), and the runs held."""
    groups = [
        (f.councillors, "councillor", "councillors"),
        (f.officers, "council officer", "council officers"),
        (f.others, "other person", "other people"),
    ]
    parts = [f"{n:,} {one if n == 1 else many}" for n, one, many in groups if n]
    people = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    dates = f"{f.runs:,} date{'' if f.runs == 1 else 's'} held that year"
    if not people:
        return f"Nobody has been marked present yet at the {dates}."
    return f"{people} attended the {dates}."
