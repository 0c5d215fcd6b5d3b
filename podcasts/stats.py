"""The podcast's download figures, for the admin pages and their exports.

A download is a `Listen` with `downloaded_at` set (see `podcasts/counting.py` for the rules).
Every figure here comes from one database aggregate: downloads counted per episode per day, the
day taken in Europe/London. The windows are built from those daily counts, so the first 7 days,
the first 30 days, the per-day chart and the all-time total can never disagree.

- An episode's **first 7 days** are the day it was published (London time) and the 6 days after;
  its **first 30 days** the day it was published and the 29 after. An episode published more
  recently shows the days so far.
- The show's **first month** is the 30 days from the day its first episode was published: for
  Nudges for Social Good, launched at the behavioural insights conference on 11 February 2020,
  that is 11 February to 11 March 2020.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from lms.core.time import LONDON

from .models import EpisodePage, Listen, PodcastPage

FIRST_WEEK = 7
FIRST_MONTH = 30
UNKNOWN_APP = "Other / unknown"


def downloads():
    return Listen.objects.filter(downloaded_at__isnull=False)


def local_day(moment):
    return timezone.localtime(moment, LONDON).date() if moment else None


def daily_downloads(episode_ids):
    """{episode id: {London day: downloads}} for these episodes, in one query."""
    rows = (
        downloads()
        .filter(episode_id__in=list(episode_ids))
        .annotate(day=TruncDate("downloaded_at", tzinfo=LONDON))
        .values("episode_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = defaultdict(dict)
    for row in rows:
        out[row["episode_id"]][row["day"]] = row["n"]
    return out


def in_window(days, first_day, length):
    """Downloads on `first_day` and the `length - 1` days after it."""
    if first_day is None:
        return 0
    last = first_day + timedelta(days=length - 1)
    return sum(n for day, n in days.items() if first_day <= day <= last)


@dataclass
class EpisodeFigures:
    episode: EpisodePage
    published: date | None  # London day
    days: dict = field(default_factory=dict)  # {London day: downloads}

    @property
    def first_week(self):
        return in_window(self.days, self.published, FIRST_WEEK)

    @property
    def first_month(self):
        return in_window(self.days, self.published, FIRST_MONTH)

    @property
    def total(self):
        return sum(self.days.values())

    def per_day(self, length=FIRST_MONTH):
        """(day, downloads) for each of the first `length` days, days without downloads too,
        up to today."""
        if self.published is None:
            return []
        today = local_day(timezone.now())
        out = []
        for offset in range(length):
            day = self.published + timedelta(days=offset)
            if day > today:
                break
            out.append((day, self.days.get(day, 0)))
        return out

    def per_month(self):
        """(first day of the month, downloads) for every month from publication to the last
        download, months without downloads too."""
        if not self.days:
            return []
        months = defaultdict(int)
        for day, n in self.days.items():
            months[day.replace(day=1)] += n
        start = min([*months, *([self.published.replace(day=1)] if self.published else [])])
        end = max(months)
        out, month = [], start
        while month <= end:
            out.append((month, months.get(month, 0)))
            month = (month + timedelta(days=32)).replace(day=1)
        return out


@dataclass
class ShowFigures:
    show: PodcastPage
    episodes: list[EpisodeFigures]

    @property
    def launched(self):
        """The London day the first published episode came out."""
        days = [e.published for e in self.episodes if e.published and e.episode.live]
        return min(days) if days else None

    @property
    def first_month_days(self):
        if self.launched is None:
            return None, None
        return self.launched, self.launched + timedelta(days=FIRST_MONTH - 1)

    @property
    def first_month(self):
        """Downloads of every episode in the show's first 30 days."""
        if self.launched is None:
            return 0
        return sum(in_window(e.days, self.launched, FIRST_MONTH) for e in self.episodes)

    @property
    def total(self):
        return sum(e.total for e in self.episodes)


def show_figures(show):
    """The show's episodes (newest last, as they came out) with their daily downloads: two
    queries whatever the number of downloads."""
    episodes = list(EpisodePage.objects.child_of(show).order_by("published_at", "path").specific())
    days = daily_downloads(e.pk for e in episodes)
    return ShowFigures(
        show,
        [EpisodeFigures(e, local_day(e.published_at), days.get(e.pk, {})) for e in episodes],
    )


def episode_figures(episode):
    days = daily_downloads([episode.pk])
    return EpisodeFigures(episode, local_day(episode.published_at), days.get(episode.pk, {}))


def by_app(episode):
    """(app name, downloads) for one episode, most first; a blank app is "Other / unknown"."""
    rows = (
        downloads()
        .filter(episode=episode)
        .values("app")
        .annotate(n=Count("id"))
        .order_by("-n", "app")
    )
    merged = defaultdict(int)
    for row in rows:
        merged[row["app"] or UNKNOWN_APP] += row["n"]
    return sorted(merged.items(), key=lambda kv: (kv[0] == UNKNOWN_APP, -kv[1], kv[0]))
