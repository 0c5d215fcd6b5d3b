"""Report filters, read from the query string.

Bad input never becomes an error page: an unknown year, theme or course leaves the form invalid
with a message beside the field, and the report shows an empty state that says what to do.
"""

from django import forms
from django.db.models import Max, Min
from django.utils import timezone

from lms.accounts.models import CouncilType, Region, Role
from lms.bookings.models import Run, RunStatus
from lms.bookings.pages import BookablePage
from lms.core.years import FinancialYear
from lms.pages.models import Theme

ALL_YEARS = "all"
NOT_A_CHOICE = {
    "invalid_choice": "“%(value)s” is not one of the choices. Choose one from the list."
}


def years_with_runs(now=None):
    """Financial years from the first held run to the current one, newest first."""
    now = now or timezone.now()
    span = Run.objects.filter(status=RunStatus.SCHEDULED, starts_at__lt=now).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    current = FinancialYear.current(now)
    if span["first"] is None:
        return [current]
    first = FinancialYear.containing(span["first"]).start_year
    return [FinancialYear(y) for y in range(current.start_year, first - 1, -1)]


def latest_year_with_runs(now=None):
    now = now or timezone.now()
    last = Run.objects.filter(status=RunStatus.SCHEDULED, starts_at__lt=now).aggregate(
        last=Max("starts_at")
    )["last"]
    return FinancialYear.containing(last) if last else FinancialYear.current(now)


class YearField(forms.Field):
    """A financial year written "2019/20"; with `allow_all`, "all" means every year (None)."""

    def __init__(self, *, allow_all=False, **kwargs):
        self.allow_all = allow_all
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value or (self.allow_all and value == ALL_YEARS):
            return None
        year = FinancialYear.parse(value)
        if year is None:
            raise forms.ValidationError(
                "“%(value)s” is not a financial year. Write it like 2019/20.",
                params={"value": value[:20]},
            )
        return year


class CourseField(forms.ModelChoiceField):
    """A course by id; an id no database could hold is simply not a course."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class FigureFilters(forms.Form):
    year = YearField(label="Financial year")
    theme = forms.ModelChoiceField(
        Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All themes",
        error_messages={"invalid_choice": "There is no such theme. Choose one from the list."},
    )
    course = CourseField(
        BookablePage.objects.order_by("title"),
        required=False,
        empty_label="All courses",
        error_messages={"invalid_choice": "There is no such course. Choose one from the list."},
    )
    role = forms.ChoiceField(
        label="People",
        choices=[("", "Everyone")] + [(r.value, f"{r.label}s") for r in Role],
        required=False,
        error_messages=NOT_A_CHOICE,
    )
    council_type = forms.ChoiceField(
        label="Council type",
        choices=[("", "All types")] + list(CouncilType.choices),
        required=False,
        error_messages=NOT_A_CHOICE,
    )
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "All regions")] + list(Region.choices),
        required=False,
        error_messages=NOT_A_CHOICE,
    )

    def __init__(self, data, *, fields, allow_all_years=False, courses=None, now=None):
        data = data.copy()
        super().__init__(data)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if "year" in self.fields:
            years = years_with_runs(now)
            choices = ([(ALL_YEARS, "All years")] if allow_all_years else []) + [
                (y.label, y.label) for y in years
            ]
            asked = (data.get("year") or "").strip()
            if asked and asked not in dict(choices):
                choices.append((asked, asked))  # shown back as chosen, with its error
            self.fields["year"] = YearField(label="Financial year", allow_all=allow_all_years)
            self.fields["year"].widget = forms.Select(choices=choices)
            if not asked:  # by default, the latest year in which a run took place
                self.data["year"] = latest_year_with_runs(now).label
        if courses is not None and "course" in self.fields:
            self.fields["course"].queryset = courses

    def clean(self):
        cleaned = super().clean()
        theme, course = cleaned.get("theme"), cleaned.get("course")
        if theme and course and course.theme_id != theme.pk:
            self.add_error("course", f"{course.title} is not in the theme {theme.name}.")
        return cleaned
