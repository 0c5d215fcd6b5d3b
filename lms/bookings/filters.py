"""The filters people use to find runs: shared by the "What's on" listing and the public feed."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from lms.accounts.models import Region
from lms.core import cache
from lms.pages.models import Theme

from .models import Audience, Run, Venue


def upcoming_runs():
    """Upcoming, scheduled runs of live pages, as the listing and the public feed show them."""
    return Run.objects.for_listing().filter(page__live=True)


def month_choices(months=12):
    today = timezone.localdate().replace(day=1)
    choices = []
    year, month = today.year, today.month
    for _ in range(months):
        first = today.replace(year=year, month=month)
        choices.append((f"{year}-{month:02d}", first.strftime("%B %Y")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


def _catalogue_choices():
    """The themes and cities to choose from: read once per change of the catalogue (themes and
    venues raise its version), not on every request."""
    cities = Venue.objects.order_by("city").values_list("city", flat=True).distinct()
    return {
        "themes": list(Theme.objects.values_list("slug", "name")),
        "cities": [(city, city) for city in cities],
    }


class RunFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search", widget=forms.TextInput(attrs={"type": "search"})
    )
    theme = django_filters.ChoiceFilter(
        field_name="page__theme__slug", choices=[], empty_label="Any theme", label="Theme"
    )
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, empty_label="Anyone", label="Who can book"
    )
    region = django_filters.ChoiceFilter(
        method="filter_region",
        choices=[("online", "Online"), *Region.choices],
        empty_label="Anywhere",
        label="Region",
    )
    city = django_filters.ChoiceFilter(
        field_name="venue__city", choices=[], empty_label="Any city", label="City"
    )
    month = django_filters.ChoiceFilter(
        method="filter_month", choices=[], empty_label="Any month", label="Month"
    )

    class Meta:
        model = Run
        fields = ["q", "theme", "audience", "region", "city", "month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = cache.remembered("run-filter-choices", [cache.CATALOGUE], _catalogue_choices)
        self.filters["theme"].extra["choices"] = choices["themes"]
        self.filters["city"].extra["choices"] = choices["cities"]
        self.filters["month"].extra["choices"] = month_choices()

    def search(self, queryset, name, value):
        words = value.split()[:8]
        for word in words:
            queryset = queryset.filter(
                Q(page__title__icontains=word)
                | Q(page__summary__icontains=word)
                | Q(title__icontains=word)
                | Q(venue__city__icontains=word)
                | Q(page__theme__name__icontains=word)
            )
        return queryset

    def filter_region(self, queryset, name, value):
        if value == "online":
            return queryset.filter(Q(online=True) | Q(venue__isnull=True))
        return queryset.filter(venue__region=value, online=False)

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(starts_at__year=year, starts_at__month=month)
