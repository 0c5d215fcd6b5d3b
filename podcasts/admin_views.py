"""Podcast downloads in the Wagtail admin, for organisers (the Figures permission).

Two pages: the show (its first month, all time, and each episode's first 7 days, first 30 days
and all time) and one episode (per day with a chart, per month, by app). Each builds its tables
once from `podcasts.stats`; the screen, the CSV and the XLSX (`?export=csv|xlsx`) are renderings
of the same tables.
"""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from lms.core import charts
from lms.core.figures_views import OrganiserFiguresView
from lms.core.numbers import per_cent
from lms.core.tables import Column, Table, cell_text

from . import stats
from .models import EpisodePage, PodcastPage

MENU_LABEL = "Podcast downloads"
COUNTING_RULE = (
    "A download is counted once a listener's app or browser has fetched one minute of the "
    "episode's audio (the whole file for an episode under a minute), once per listener per 24 "
    "hours; known bots are left out. Days are London time."
)
NO_DOWNLOADS = (
    "No downloads yet. Downloads appear here once podcast apps or the episode pages' players "
    "fetch the audio: share the show's page or its feed, and check that its episodes are "
    "published."
)


def _day(value):
    return cell_text(value) if value else "–"


class StatsView(OrganiserFiguresView):
    template_name = "podcasts/admin/stats.html"
    header_icon = "media"
    section_url_name = "podcast_stats"
    section_label = MENU_LABEL

    def get(self, request, *args, **kwargs):
        self.report = {"tables": [], "charts": [], "headline": "", "empty": "", "choices": []}
        self.report.update(self.build())
        return self.export_response(self.report["tables"]) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.report)
        context.update(
            export_csv=self.export_url("csv"),
            export_xlsx=self.export_url("xlsx"),
            counting_rule=COUNTING_RULE,
        )
        return context


class ShowStatsView(StatsView):
    page_title = MENU_LABEL

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": MENU_LABEL}]

    def build(self):
        shows = list(PodcastPage.objects.order_by("path"))
        if not shows:
            return {
                "empty": "There is no podcast show yet. In Pages, add a “podcast show” page under "
                "the home page, then add and publish its episodes: their downloads appear here."
            }
        chosen = self.request.GET.get("show")
        if chosen:
            show = next((s for s in shows if str(s.pk) == chosen), None)
            if show is None:
                raise Http404("No such show.")
        else:
            show = shows[0]
        self.show = show
        choices = (
            [(s.title, f"?show={s.pk}", s.pk == show.pk) for s in shows] if len(shows) > 1 else []
        )
        figures = stats.show_figures(show)
        if not figures.episodes:
            return {
                "choices": choices,
                "show": show,
                "empty": f"{show.title} has no episodes yet. Add an episode under the show in "
                "Pages, with its audio and transcript, and publish it.",
            }
        first, last = figures.first_month_days
        today = stats.local_day(timezone.now())
        summary = Table(
            f"{show.title}: downloads",
            [
                Column("Period", numeric=False),
                Column("First day", numeric=False),
                Column("Last day", numeric=False),
                Column("Downloads"),
            ],
            [
                ["First month (30 days from the first episode)", first, last, figures.first_month],
                ["All time", figures.launched, today if figures.launched else None, figures.total],
            ],
            note=(
                "The first month is the day the first episode was published and the 29 days "
                "after it. " + COUNTING_RULE
            ),
        )
        episodes = Table(
            "Downloads per episode",
            [
                Column("Episode", numeric=False),
                Column("Published", numeric=False),
                Column("First 7 days"),
                Column("First 30 days"),
                Column("All time"),
            ],
            [
                [_episode_label(e.episode), e.published, e.first_week, e.first_month, e.total]
                for e in figures.episodes
            ],
            total=[
                "All episodes",
                None,
                sum(e.first_week for e in figures.episodes),
                sum(e.first_month for e in figures.episodes),
                figures.total,
            ],
            links=[reverse("podcast_stats_episode", args=[e.episode.pk]) for e in figures.episodes],
            note=(
                "First 7 days: the day of publication and the 6 days after; first 30 days: the "
                "day of publication and the 29 after. An episode published more recently shows "
                "the days so far. Drafts are listed with their planned date."
            ),
        )
        out = {"choices": choices, "show": show, "tables": [summary, episodes]}
        if figures.total:
            out["headline"] = (
                f"{figures.first_month:,} download{'s' if figures.first_month != 1 else ''} in "
                f"the show's first month ({_day(first)} to {_day(last)}); {figures.total:,} in all."
            )
        else:
            out["empty"] = NO_DOWNLOADS
        return out

    def filename(self):
        return f"podcast-downloads-{slugify(self.show.title)}"


def _episode_label(episode):
    return f"{episode.episode_number}. {episode.title}" if episode.episode_number else episode.title


class EpisodeStatsView(StatsView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # id (Page's primary key), not pk (the parent link, a foreign key whose lookup does not
        # guard against a number too large for the database: the URL takes any number of digits).
        self.episode = get_object_or_404(EpisodePage, id=kwargs["pk"])

    def get_page_title(self):
        return f"Downloads: {self.episode.title}"

    def get_breadcrumbs_items(self):
        show = self.episode.get_parent()
        return self.breadcrumbs_items + [
            {"url": reverse("podcast_stats") + f"?show={show.pk}", "label": MENU_LABEL},
            {"url": "", "label": self.episode.title},
        ]

    def build(self):
        episode = self.episode
        figures = stats.episode_figures(episode)
        published = figures.published
        if not figures.total:
            return {
                "empty": NO_DOWNLOADS,
                "headline": f"Published {_day(published)}."
                if episode.live
                else "This episode is not published yet: publish it from its page in Pages.",
            }
        summary = Table(
            f"Downloads of {episode.title}",
            [
                Column("Period", numeric=False),
                Column("First day", numeric=False),
                Column("Last day", numeric=False),
                Column("Downloads"),
            ],
            [
                ["First 7 days", published, _last(published, stats.FIRST_WEEK), figures.first_week],
                [
                    "First 30 days",
                    published,
                    _last(published, stats.FIRST_MONTH),
                    figures.first_month,
                ],
                ["All time", published, stats.local_day(timezone.now()), figures.total],
            ],
            note=COUNTING_RULE,
        )
        per_day = figures.per_day()
        days_total = sum(n for _, n in per_day)
        daily = Table(
            "Downloads per day, first 30 days",
            [Column("Day", numeric=False), Column("Downloads")],
            [[day, n] for day, n in per_day],
            total=[f"{len(per_day)} day{'s' if len(per_day) != 1 else ''}", days_total],
        )
        chart = charts.bar_chart(
            title="Downloads per day, first 30 days",
            description=(
                f"Each bar is one day's downloads, from the day of publication, "
                f"{_day(published)}: {days_total:,} in {len(per_day)} days. The table "
                "“Downloads per day, first 30 days” below gives every figure."
            ),
            rows=[(f"{day.day} {day:%b}", n) for day, n in per_day],
            unit="downloads",
            orientation="vertical",
            label_heading="Day",
        )
        monthly = Table(
            "Downloads per month",
            [Column("Month", numeric=False), Column("Downloads")],
            [[f"{month:%B %Y}", n] for month, n in figures.per_month()],
            total=["All time", figures.total],
        )
        apps = stats.by_app(episode)
        by_app = Table(
            "Downloads by app",
            [Column("App", numeric=False), Column("Downloads"), Column("% of downloads")],
            [[name, n, per_cent(n, figures.total)] for name, n in apps],
            total=["All apps", figures.total, 100],
            note="Apps are named from the Open Podcast Analytics Working Group's list of user "
            f"agents; “{stats.UNKNOWN_APP}” is any app or browser the list does not name.",
        )
        return {
            "headline": (
                f"{figures.total:,} download{'s' if figures.total != 1 else ''} since "
                f"{_day(published)}: {figures.first_week:,} in the first 7 days and "
                f"{figures.first_month:,} in the first 30 days."
            ),
            "tables": [summary, daily, monthly, by_app],
            "charts": [chart],
            "chart_after": daily.title,
        }

    def filename(self):
        return f"podcast-downloads-{slugify(self.episode.title)}"


def _last(first, length):
    return first + timedelta(days=length - 1) if first else None
