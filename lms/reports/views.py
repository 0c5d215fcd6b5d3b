"""The Figures pages in the Wagtail admin: each filters by query string, shows its tables (and
charts), and exports exactly those tables as CSV or XLSX (`?export=csv|xlsx`)."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.text import slugify

from lms.accounts.models import CouncilType, Region
from lms.bookings.pages import BookablePage
from lms.core import charts
from lms.core.figures_views import OrganiserFiguresView
from lms.core.numbers import per_cent
from lms.core.tables import Column, Table
from lms.surveys.figures import ANONYMITY_THRESHOLD

from . import documents, figures, paragraph
from .figures import Scope
from .forms import FigureFilters


class FigureView(OrganiserFiguresView):
    template_name = "reports/report.html"
    header_icon = "table"
    filter_fields = ["year"]
    allow_all_years = False
    url_name = ""
    intro = ""

    def course_choices(self):
        return None

    def get(self, request, *args, **kwargs):
        self.form = FigureFilters(
            request.GET,
            fields=self.filter_fields,
            allow_all_years=self.allow_all_years,
            courses=self.course_choices(),
        )
        self.report = {"tables": [], "charts": [], "headline": "", "empty": ""}
        if self.form.is_valid():
            data = self.form.cleaned_data
            self.scope = Scope(
                year=data.get("year"), theme=data.get("theme"), course=data.get("course")
            )  # now: this moment
            self.report.update(self.build(data))
        else:
            self.report["empty"] = (
                "Nothing to show for these filters: see the message beside the filter, then choose again."
            )
        return self.export_response(self.report["tables"]) or super().get(request, *args, **kwargs)

    def filename(self):
        parts = [self.url_name.removeprefix("reports_")]
        data = getattr(self.form, "cleaned_data", {})
        for name in ("year", "theme", "course"):
            if data.get(name):
                parts.append(slugify(str(getattr(data[name], "label", data[name]))))
        return "-".join(parts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.report)
        context.update(
            form=self.form,
            intro=self.intro,
            export_csv=self.export_url("csv"),
            export_xlsx=self.export_url("xlsx"),
            reset_url=reverse(self.url_name),
        )
        return context

    def build(self, data):
        raise NotImplementedError


def _satisfaction_cells(s):
    return [
        s.answered,
        s.very_satisfied,
        s.top_box.per_cent,
        s.top_two.per_cent,
        s.respondents,
        s.attendees,
        s.response_rate.per_cent,
    ]


SATISFACTION_COLUMNS = [
    Column("Answered the satisfaction question"),
    Column("Very satisfied"),
    Column("% very satisfied"),
    Column("% satisfied or very satisfied"),
    Column("Respondents"),
    Column("Attendees surveyed"),
    Column("% responded"),
]
NUMBER_COLUMNS = [
    Column("Runs held"),
    Column("Places offered"),
    Column("Asked for a place"),
    Column("Still waiting"),
    Column("Applications"),
    Column("Attendances"),
    Column("People"),
    Column("Councillors"),
    Column("Officers"),
    Column("Others"),
    Column("Completions"),
    Column("Certificates"),
]


def _number_cells(f):
    return [
        f.runs,
        f.places,
        f.asked,
        f.still_waiting,
        f.applications,
        f.attendances,
        f.people,
        f.councillors,
        f.officers,
        f.others,
        f.completions,
        f.certificates,
    ]


def headline(f, year_label):
    """The sentence at the top of a summary; the same figures as the tables."""
    if f.is_empty:
        return ""
    text = (
        f"In {year_label}: {f.runs:,} run{'s' if f.runs != 1 else ''} held, {f.people:,} "
        f"{'person' if f.people == 1 else 'people'} attended ({f.attendances:,} attendances)"
    )
    s = f.satisfaction
    if s.answered:
        text += (
            f"; {s.top_box.per_cent} per cent of respondents very satisfied ({s.very_satisfied:,} of "
            f"{s.answered:,}; {s.respondents:,} of {s.attendees:,} attendees responded)"
        )
    return text + "."


class SummaryView(FigureView):
    slug = "summary"
    page_title = "Programme summary"
    url_name = "reports_summary"
    filter_fields = ["year", "theme"]
    intro = (
        "Runs that took place in the financial year (1 April to 31 March), by theme and course. "
        "Totals count each person once, so they can be less than the sum of the rows."
    )

    def build(self, data):
        scope = self.scope
        year = data["year"]
        chart = bool(year) and not self.exporting()  # the exports hold the tables, not the chart
        grouped = figures.figures_by(scope, [None, "theme", "course"], months=chart)
        total = grouped[None][None]
        label = year.label if year else "all years"
        if total.is_empty:
            return {
                "empty": f"No runs took place in {label}{self._theme_words(data)}. Choose another year or theme."
            }
        themes, courses = grouped["theme"], grouped["course"]
        from lms.pages.models import Theme

        theme_names = dict(Theme.objects.values_list("pk", "name"))
        pages = {
            p.pk: p
            for p in BookablePage.objects.filter(pk__in=[k for k in courses if k]).select_related(
                "theme"
            )
        }
        theme_rows = sorted(
            themes.items(), key=lambda kv: (kv[0] is None, theme_names.get(kv[0], ""))
        )
        course_rows = sorted(
            courses.items(),
            key=lambda kv: (
                pages[kv[0]].theme.name if pages[kv[0]].theme else "~",
                pages[kv[0]].title,
            ),
        )

        by_theme = Table(
            f"By theme, {label}",
            [Column("Theme", numeric=False)] + NUMBER_COLUMNS,
            [[theme_names.get(k, "No theme")] + _number_cells(f) for k, f in theme_rows],
            total=["All themes"] + _number_cells(total),
        )
        by_course = Table(
            f"By course, {label}",
            [Column("Course", numeric=False), Column("Theme", numeric=False)] + NUMBER_COLUMNS,
            [
                [pages[k].title, pages[k].theme.name if pages[k].theme else "No theme"]
                + _number_cells(f)
                for k, f in course_rows
            ],
            total=["All courses", ""] + _number_cells(total),
            links=[
                f"{reverse('reports_course')}?year={year.label if year else ''}&course={k}"
                for k, _ in course_rows
            ],
        )
        note = (
            "Shares are of those who answered the question “"
            + (total.satisfaction.question_text or "Overall satisfaction")
            + "”."
        )
        if total.satisfaction.withheld:
            note += f" {total.satisfaction.withheld:,} answers to anonymous surveys with fewer than {ANONYMITY_THRESHOLD} responses are not counted."
        satisfaction = Table(
            f"Satisfaction by course, {label}",
            [Column("Course", numeric=False)] + SATISFACTION_COLUMNS,
            [[pages[k].title] + _satisfaction_cells(f.satisfaction) for k, f in course_rows],
            total=["All courses"] + _satisfaction_cells(total.satisfaction),
            note=note,
        )
        chart_list = []
        if chart:
            months = figures.attendance_by_month(scope, grouped["month"])
            chart_list.append(
                charts.bar_chart(
                    title=f"Attendances at sessions by month, {label}",
                    description=f"Each bar counts people present at a session in that month, once for each session: {sum(n for _, n in months):,} in all. Someone at a three-day cohort counts three times.",
                    rows=[(f"{_month_name(m)} {y}", n) for (y, m), n in months],
                    unit="attendances at sessions",
                    orientation="vertical",
                    label_heading="Month",
                )
            )
        return {
            "headline": headline(total, label),
            "tables": [by_theme, by_course, satisfaction],
            "charts": chart_list,
        }

    @staticmethod
    def _theme_words(data):
        return f" in the theme {data['theme'].name}" if data.get("theme") else ""


def _month_name(month):
    return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
        month - 1
    ]


def _dates(run):
    return figures.local_day(run.starts_at), figures.local_day(run.ends_at)


class CourseView(FigureView):
    slug = "course"
    page_title = "Courses and runs"
    url_name = "reports_course"
    filter_fields = ["year", "course"]
    intro = "Choose a course to see each of its runs in the year: attendance per session, satisfaction and comments."

    def build(self, data):
        scope = self.scope
        year = data["year"]
        label = year.label if year else "all years"
        course = data.get("course")
        if course is None:
            courses = figures.figures(scope, "course")
            if not courses:
                return {"empty": f"No runs took place in {label}. Choose another year."}
            pages = BookablePage.objects.filter(pk__in=list(courses)).order_by("title")
            return {
                "empty": "Choose a course above to see its runs.",
                "choices": [
                    (
                        page.title,
                        f"{reverse('reports_course')}?year={year.label if year else ''}&course={page.pk}",
                        courses[page.pk].runs,
                    )
                    for page in pages
                ],
            }
        grouped = figures.figures_by(scope, ["run", None], detail=True)
        by_run, total = grouped["run"], grouped[None][None]
        if total.is_empty:
            return {
                "empty": f"{course.title} had no runs in {label}. Choose another year or course."
            }
        runs = list(figures.held_runs(scope))
        run_table = Table(
            f"Runs of {course.title}, {label}",
            [
                Column("Run", numeric=False),
                Column("Place", numeric=False),
                Column("First day", numeric=False),
                Column("Last day", numeric=False),
                Column("Places offered"),
                Column("Confirmed"),
                Column("Attendances"),
                Column("No-shows"),
                Column("Completions"),
                Column("Certificates"),
            ]
            + SATISFACTION_COLUMNS
            + [Column("NPS")],
            [
                [
                    run.title,
                    run.place_description if not run.venue_id else run.venue.city,
                    *_dates(run),
                    by_run[run.pk].places,
                    by_run[run.pk].confirmed,
                    by_run[run.pk].attendances,
                    by_run[run.pk].no_shows,
                    by_run[run.pk].completions,
                    by_run[run.pk].certificates,
                ]
                + _satisfaction_cells(by_run[run.pk].satisfaction)
                + [_nps(by_run[run.pk].satisfaction)]
                for run in runs
            ],
            total=[
                "All runs",
                "",
                None,
                None,
                total.places,
                total.confirmed,
                total.attendances,
                total.no_shows,
                total.completions,
                total.certificates,
            ]
            + _satisfaction_cells(total.satisfaction)
            + [_nps(total.satisfaction)],
            note="Completions and the total row count people once. NPS: per cent promoters (9–10) minus per cent detractors (0–6) on “how likely are you to recommend”.",
        )
        titles = {run.pk: run.title for run in runs}
        sessions = Table(
            "Attendance per session",
            [
                Column("Run", numeric=False),
                Column("Session", numeric=False),
                Column("Date", numeric=False),
                Column("Attended"),
                Column("Late"),
                Column("Absent"),
                Column("Excused"),
                Column("Not marked"),
            ],
            [
                [
                    titles[s.run_id],
                    s.title or "",
                    figures.local_day(s.starts_at),
                    c["attended"],
                    c["late"],
                    c["absent"],
                    c["excused"],
                    c["unmarked"],
                ]
                for s, c in figures.session_attendance(scope)
            ],
        )
        s = total.satisfaction
        distribution = Table(
            "Satisfaction: all runs",
            [Column("Answer", numeric=False), Column("Respondents"), Column("Per cent")],
            [[label_, share.count, share.per_cent] for label_, share in s.distribution],
            total=["All who answered", s.answered, 100 if s.answered else None],
            note=f"{s.respondents:,} of {s.attendees:,} attendees responded."
            + (
                f" {s.withheld:,} answers to anonymous surveys with fewer than {ANONYMITY_THRESHOLD} responses are not shown."
                if s.withheld
                else ""
            ),
        )
        comments = figures.comments(scope)
        comment_table = Table(
            "Comments",
            [
                Column("Run", numeric=False),
                Column("Question", numeric=False),
                Column("Comment", numeric=False),
                Column("Name", numeric=False),
            ],
            [
                [titles.get(c["run"], ""), c["question"], c["text"], c["name"] or "Anonymous"]
                for c in comments
            ],
            note=f"Anonymous surveys show no names and are in alphabetical order; those with fewer than {ANONYMITY_THRESHOLD} responses are not shown.",
        )
        tables = [run_table, sessions]
        chart_list = []
        if s.answered:
            tables.append(distribution)
            chart_list.append(
                charts.bar_chart(
                    title=f"Satisfaction, {course.title}, {label}",
                    description=f"How the {s.answered:,} respondents who answered rated the course: {s.very_satisfied:,} very satisfied ({s.top_box.per_cent} per cent).",
                    rows=[(label_, share.count) for label_, share in s.distribution],
                    unit="respondents",
                    total=s.answered,
                    label_heading="Answer",
                )
            )
        if comments:
            tables.append(comment_table)
        return {"headline": headline(total, label), "tables": tables, "charts": chart_list}


def _nps(satisfaction):
    return satisfaction.nps.score if satisfaction.nps else None


class ReachView(FigureView):
    slug = "reach"
    page_title = "Reach"
    url_name = "reports_reach"
    filter_fields = ["year", "theme", "course", "role"]
    allow_all_years = True
    intro = (
        "Councils with at least one person present at a run, by council type and region, beside how "
        "many councils of each existed during the year."
    )

    def build(self, data):
        scope, role = self.scope, data.get("role") or None
        label = data["year"].label if data.get("year") else "all years"
        reach = figures.reach_by(scope, role)
        (by_type, type_total), (by_region, region_total) = reach["type"], reach["region"]
        if not type_total.reached:
            return {
                "empty": f"No council was reached in {label} with these filters. Try another year, theme or course."
            }
        columns = [Column("Councils reached"), Column("Councils that existed"), Column("% reached")]
        tables = [
            Table(
                f"By council type, {label}",
                [Column("Council type", numeric=False)] + columns,
                [[r.label, r.reached, r.existing, r.share.per_cent] for r in by_type],
                total=[
                    type_total.label,
                    type_total.reached,
                    type_total.existing,
                    type_total.share.per_cent,
                ],
            ),
            Table(
                f"By region, {label}",
                [Column("Region", numeric=False)] + columns,
                [[r.label, r.reached, r.existing, r.share.per_cent] for r in by_region],
                total=[
                    region_total.label,
                    region_total.reached,
                    region_total.existing,
                    region_total.share.per_cent,
                ],
            ),
        ]
        chart = charts.bar_chart(
            title=f"Councils reached by region, {label}",
            description=f"{region_total.reached:,} of {region_total.existing:,} councils reached; each bar is a region's councils reached.",
            rows=[(r.label, r.reached) for r in by_region],
            unit="councils",
            label_heading="Region",
        )
        return {
            "headline": f"{type_total.reached:,} of {type_total.existing:,} councils reached ({type_total.share.per_cent} per cent) in {label}.",
            "tables": tables,
            "charts": [chart],
        }


class NeverReachedView(FigureView):
    slug = "never-reached"
    page_title = "Councils never reached"
    url_name = "reports_never_reached"
    filter_fields = ["theme", "course", "role", "council_type", "region"]
    intro = (
        "Councils that exist today and have never had anyone present at a run of the chosen theme "
        "or course — for example, councils that have never had an officer on the commercial skills "
        "programme. A council that took over a merged one counts as reached if the merged council was."
    )

    def build(self, data):
        councils = figures.never_reached(
            self.scope,
            role=data.get("role") or None,
            council_type=data.get("council_type") or None,
            region=data.get("region") or None,
        )
        rows = [
            [c.name, c.official_name, CouncilType(c.type).label, Region(c.region).label, c.code]
            for c in councils
        ]
        if not rows:
            return {"empty": "Every council matching these filters has been reached."}
        table = Table(
            "Councils never reached",
            [
                Column("Council", numeric=False),
                Column("Official name", numeric=False),
                Column("Type", numeric=False),
                Column("Region", numeric=False),
                Column("Code", numeric=False),
            ],
            rows,
        )
        return {
            "headline": f"{len(rows):,} council{'s' if len(rows) != 1 else ''} never reached.",
            "tables": [table],
        }


class IntakesView(FigureView):
    slug = "intakes"
    page_title = "E-learning intakes"
    url_name = "reports_intakes"
    filter_fields = ["year", "course"]
    allow_all_years = True
    intro = (
        "Places allocated on e-learning courses that run elsewhere, and completions recorded from the "
        "provider's file (import it from the intake's page)."
    )

    def course_choices(self):
        types = [ct.pk for ct in figures.provider_completed_pages()]
        return BookablePage.objects.filter(content_type__in=types).order_by("title")

    def build(self, data):
        scope = figures.intakes(self.scope)
        label = data["year"].label if data.get("year") else "all years"
        grouped = figures.figures_by(scope, ["run", None])
        by_run, total = grouped["run"], grouped[None][None]
        if total.is_empty:
            return {"empty": f"No e-learning intake opened in {label}. Choose another year."}
        # Only what the table shows: an intake a row, and a course can have hundreds of them.
        runs = list(
            figures.held_runs(scope)
            .select_related(None)
            .values_list("pk", "page_id", "title", "starts_at", named=True)
        )
        titles = dict(
            BookablePage.objects.filter(pk__in={run.page_id for run in runs}).values_list(
                "pk", "title"
            )
        )
        table = Table(
            f"E-learning intakes, {label}",
            [
                Column("Course", numeric=False),
                Column("Intake", numeric=False),
                Column("Opened", numeric=False),
                Column("Places allocated"),
                Column("Enrolled"),
                Column("Completed"),
                Column("% completed"),
            ],
            [
                [
                    titles[run.page_id],
                    run.title,
                    figures.local_day(run.starts_at),
                    by_run[run.pk].places,
                    by_run[run.pk].confirmed,
                    by_run[run.pk].completions,
                    per_cent(by_run[run.pk].completions, by_run[run.pk].confirmed),
                ]
                for run in runs
            ],
            total=[
                "All intakes",
                "",
                None,
                total.places,
                total.confirmed,
                total.completions,
                per_cent(total.completions, total.confirmed),
            ],
            links=_run_links(runs),
            note="Enrolled: confirmed places. Completed: people the provider's file records as having completed.",
        )
        latest = runs[-1]
        return {
            "headline": (
                f"{total.confirmed:,} enrolled in {label}, {by_run[latest.pk].confirmed:,} of them in the latest "
                f"intake ({latest.title}); {total.completions:,} completed."
            ),
            "tables": [table],
        }


def _run_links(runs):
    """Each run's management page: the URL reversed once, not once a run."""
    marker = 987654321
    url = reverse("bookings_manage_run", args=[marker])
    head, tail = url.split(str(marker))
    return [f"{head}{run.pk}{tail}" for run in runs]


class ParagraphView(FigureView):
    slug = "paragraph"
    page_title = "Board paragraph"
    url_name = "reports_paragraph"
    filter_fields = ["year", "theme", "course"]
    template_name = "reports/paragraph.html"
    intro = (
        "A drafted paragraph for the board report, built only from the figures. Choose a year and a "
        "course or a theme, then copy it or download it to edit."
    )

    def build(self, data):
        year = data["year"]
        label = year.label if year else "all years"
        if not (data.get("course") or data.get("theme")):
            return {"empty": "Choose a course or a theme above to draft its paragraph."}
        facts = course_facts(self.scope, label)
        if not facts:
            return {
                "empty": f"No runs took place in {label} for this choice. Choose another year, theme or course."
            }
        paragraphs = paragraph.draft_many(facts)
        return {"paragraphs": paragraphs, "title": self.document_title(data), "tables": []}

    def document_title(self, data):
        subject = data["course"].title if data.get("course") else data["theme"].name
        return f"{subject}, {data['year'].label if data.get('year') else 'all years'}"

    def get(self, request, *args, **kwargs):
        download = request.GET.get("download")
        response = super().get(request, *args, **kwargs)
        paragraphs = self.report.get("paragraphs")
        if download in ("txt", "docx") and paragraphs:
            title = self.report["title"]
            if download == "txt":
                out = HttpResponse(
                    documents.text_file(title, paragraphs), content_type=documents.TEXT_CONTENT_TYPE
                )
            else:
                out = HttpResponse(
                    documents.docx_file(title, paragraphs), content_type=documents.DOCX_CONTENT_TYPE
                )
            out["Content-Disposition"] = (
                f'attachment; filename="board-paragraph-{slugify(title)}.{download}"'
            )
            return out
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        for kind in ("txt", "docx"):
            query["download"] = kind
            context[f"download_{kind}"] = f"?{query.urlencode()}"
        return context


AUDIENCES = {"councillors", "officers", "alumni"}


def course_facts(scope, label):
    """What the paragraph says about each course in the scope, from the same figures."""
    grouped = figures.figures_by(scope, ["course", "run"])
    by_course, by_run = grouped["course"], grouped["run"]
    if not by_course:
        return []
    runs = list(figures.held_runs(scope))
    pages = {
        p.pk: p for p in BookablePage.objects.filter(pk__in=list(by_course)).select_related("theme")
    }
    out = []
    for page in sorted(
        pages.values(), key=lambda p: min(r.starts_at for r in runs if r.page_id == p.pk)
    ):
        f = by_course[page.pk]
        page_runs = [r for r in runs if r.page_id == page.pk]
        audiences = {r.audience for r in page_runs}
        single_session = all(
            r.starts_at and figures.local_day(r.starts_at) == figures.local_day(r.ends_at)
            for r in page_runs
        )
        s = f.satisfaction
        specific = page.specific_class
        event = bool(getattr(specific, "report_as_event", False))
        enrolment_only = bool(getattr(specific, "completion_from_provider", False))
        out.append(
            paragraph.CourseFacts(
                year_label=label,
                subject=page.report_subject or page.title[:1].lower() + page.title[1:],
                run_noun=tuple(getattr(specific, "run_noun", ("run", "runs"))),
                audience=audiences.pop()
                if len(audiences) == 1 and audiences & AUDIENCES
                else "anyone",
                runs=[
                    paragraph.RunFact(
                        title=r.title,
                        place=r.venue.city if r.venue_id and not r.online else "online",
                        first_day=figures.local_day(r.starts_at),
                        last_day=figures.local_day(r.ends_at),
                        enrolled=by_run[r.pk].confirmed,
                        attended=by_run[r.pk].attendances,
                    )
                    for r in page_runs
                ],
                people={"councillor": f.councillors, "officer": f.officers, "other": f.others},
                # Completion is worth a clause for multi-day training and e-learning, not for a
                # one-day masterclass (where it is attendance) or a conference.
                completed=f.completions
                if enrolment_only or not (single_session or event)
                else None,
                places=f.places,
                asked=f.asked,
                still_waiting=f.still_waiting,
                satisfaction=paragraph.SatisfactionFact(
                    very_satisfied=s.very_satisfied,
                    satisfied_or_better=s.satisfied_or_better,
                    answered=s.answered,
                    respondents=s.respondents,
                    attendees=s.attendees,
                    question_text=s.question_text,
                )
                if s.answered
                else None,
                enrolment_only=enrolment_only,
                named_event=event,
            )
        )
    return out


class IndexView(FigureView):
    page_title = "Figures"
    url_name = "reports_index"
    template_name = "reports/index.html"
    filter_fields = []

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Figures"}]

    def build(self, data):
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(reports=REPORTS, **kwargs)


REPORTS = [SummaryView, CourseView, ReachView, NeverReachedView, IntakesView, ParagraphView]
