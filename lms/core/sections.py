"""Sections that apps add to the site's own pages, without those pages importing the apps.

The home page and the theme pages (lms.pages) show the next dates, a person's next booking and
the latest podcast episode, which belong to apps above them (lms.bookings, events, podcasts,
lms.reports). The import contracts keep lms.pages from importing those, so each app registers a
Wagtail hook that returns a `Section` (or None, to show nothing) and the page collects them:

    @hooks.register(HOME_PAGE_SECTIONS)
    def latest_episode(request, page):
        return Section("podcasts/includes/latest_episode.html", {"episode": ...}, order=40)

Theme page hooks are called with the theme as well: `fn(request, page, theme)`. A section's
template reads its context as `section` ({{ section.episode.title }}); `slot` says where on the
page it goes ("main", or "hero" beside the page's heading); lower `order` comes first.
"""

from dataclasses import dataclass, field
from operator import attrgetter

from wagtail import hooks

HOME_PAGE_SECTIONS = "lms_home_page_sections"
THEME_PAGE_SECTIONS = "lms_theme_page_sections"


@dataclass(frozen=True)
class Section:
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100
    slot: str = "main"


def collect(hook_name, *args):
    """{slot: [Section, …]} from every function registered for `hook_name`, in order."""
    found = [section for fn in hooks.get_hooks(hook_name) if (section := fn(*args)) is not None]
    slots = {}
    for section in sorted(found, key=attrgetter("order")):
        slots.setdefault(section.slot, []).append(section)
    return slots
