"""Every URL pattern the project defines, requested with hostile input by three kinds of visitor.

The patterns come from Django's resolver, so a new URL is covered without editing this file. For
each pattern and each visitor (anonymous, a signed-in councillor, an organiser) the suite sends:

- a clean GET, with real values for the path parameters where the small seeded programme below
  has them (found by name, or from links on pages fetched earlier in the walk), redirects
  followed to catch loops;
- a GET with hostile values in each path parameter, one parameter at a time (percent-encoded;
  an integer parameter gets hostile integers, since its converter takes nothing else);
- a GET with hostile values in the common query parameters and in the fields of every GET form
  on the page;
- a POST of hostile values in every field of every POST form found on the page (once per form:
  forms that recur on many pages, such as the admin's search box, are sent once).

Every request runs in a savepoint that is rolled back, so the seeded data stays as it was and a
database error on PostgreSQL cannot poison the requests after it. It asserts no 5xx (and no
exception from the view) and that the `<script>` payload is never echoed unescaped in an HTML
response. Failures are collected and reported together at the end; the summary (patterns, cases,
time) is printed in a "fuzz: every URL pattern" section of pytest's terminal report.

Hostile values are rotated deterministically across patterns (no randomness), so that every
pattern is requested by every kind of visitor and the whole walk fits in about two minutes. The
project's own views and every public URL get every hostile string in each path parameter, and
NUL, markup and 10,000 characters in every form; Wagtail's admin views get one value in turn.

Reading the report: each failure is one line, "[NEW]" or "[known: …]" (see KNOWN), then method,
path (long ones shortened), the visitor, the status, what was sent, the URL pattern, and the
exception with where it was raised ("at library:line < project:line"). Nothing is tolerated: a
server error in a library's view (Wagtail's admin included) fails the test as one in the project's
own code does, and is fixed at the project level (lms/core/admin_input.py and the overrides it
names).
"""

import itertools
import os
import re
import time
import traceback
import uuid
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from tests import factories
from tests.conftest import PASSWORD
from tests.fuzz.conftest import SUMMARY

pytestmark = pytest.mark.django_db

MARKER = "<script>fz1</script>"
ECHO = b"<script>fz1"  # what an unescaped echo of either markup payload shows
HUGE = "x" * 10_000

# Hostile strings: NUL, 10,000 characters, non-numeric, negative, path traversal, RTL override
# and emoji, a spreadsheet formula, and markup.
STRINGS = [
    ("nul", "a\x00b"),
    ("script", MARKER),
    ("script-no-slash", '"><script>fz1'),  # fits a <str:> path segment, which takes no "/"
    ("long", HUGE),
    ("traversal", "../../../etc/passwd"),
    ("rtl-emoji", "\u202eevil\u202c 🎓👩🏽‍💻"),
    ("formula", "=cmd|' /C calc'!A0"),
    ("text", "abc"),
    ("negative", "-1"),
]
# What an integer converter accepts, at its hostile end: zero, just past 32 bits, far past 64.
INTEGERS = [("zero", "0"), ("int32+1", "2147483648"), ("huge", "9" * 40)]

COMMON_QUERY = ["q", "page", "p", "export", "year", "theme", "course", "ordering", "next"]

# Requests whose error is the point of the view: Wagtail's own "failwhale" raises on purpose so
# that an operator can test error reporting. Still requested; its exception is expected.
DELIBERATE_ERRORS = {"admin/failwhale/": "This is a test of the emergency broadcast system."}

# The organiser goes first: links on the admin pages give real values for the others.
USERS = ("organiser", "councillor", "anonymous")


# Failures being fixed elsewhere, as (name, test(method, route, user, label, error)): tagged
# "[known: …]" in the report so that what is new stands out. They still fail the test. None now.
KNOWN: list = []

ROOT = str(Path(__file__).resolve().parents[2])


def ours(filename):
    return (
        filename.startswith(ROOT) and "site-packages" not in filename and "/tests/" not in filename
    )


# --- the patterns ---------------------------------------------------------------------------


class Pattern:
    """One URL pattern: its chain of pattern objects from the root resolver, the route string
    Django reports for it (ResolverMatch.route) and its parameters in order."""

    def __init__(self, chain, callback):
        self.chain = chain
        route = ""
        for pattern in chain:
            text = str(pattern)
            route = text if not route else route + text.removeprefix("^")
        self.route = route
        self.parts = []  # literal strings and (name, converter-or-regex) parameters
        for pattern in chain:
            self.parts.extend(_parts(pattern))
        self.params = [p for p in self.parts if isinstance(p, tuple)]
        # The project's own views, and everything public (allauth, page serving, documents),
        # get every hostile value; Wagtail's admin views get them in turn.
        self.ours = is_ours(callback) or not route.startswith("admin/")

    def render(self, values):
        out = []
        for part in self.parts:
            out.append(part if isinstance(part, str) else values[part[0]])
        return "/" + "".join(out)


def is_ours(view):
    """Whether a view is the project's own code (it then gets every hostile value, where
    Wagtail's and other libraries' views get them in turn)."""
    view = getattr(view, "view_class", None) or view
    while getattr(view, "__wrapped__", None) is not None:
        view = view.__wrapped__
    view = getattr(view, "view_class", None) or view
    module = getattr(view, "__module__", "") or ""
    return module.split(".")[0] in ("lms", "courses", "events", "podcasts")


def _parts(pattern):
    if isinstance(pattern, RoutePattern):
        route = pattern._route
        pieces, last = [], 0
        for m in re.finditer(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>", route):
            pieces.append(route[last : m.start()])
            pieces.append((m["name"], m["conv"] or "str"))
            last = m.end()
        pieces.append(route[last:])
        return [p for p in pieces if p != ""]
    assert isinstance(pattern, RegexPattern), pattern
    regex = pattern._regex.removeprefix("^").removesuffix("$")
    pieces, literal, i, depth, start, unnamed = [], "", 0, 0, 0, itertools.count()
    while i < len(regex):
        c = regex[i]
        if c == "\\" and depth == 0:
            literal += regex[i + 1]
            i += 2
            continue
        if c == "\\":
            i += 2
            continue
        if c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                group = regex[start : i + 1]
                named = re.match(r"\(\?P<(\w+)>(.*)\)$", group, re.S)
                if group.startswith("(?:"):
                    literal += "x"
                else:
                    if literal:
                        pieces.append(literal)
                        literal = ""
                    if named:
                        pieces.append((named[1], "re:" + named[2]))
                    else:
                        pieces.append((f"_{next(unnamed)}", "re:" + group[1:-1]))
        elif depth == 0:
            if regex[i : i + 2] in (".*", ".+"):
                literal += "fuzz"
                i += 2
                continue
            literal += c
        i += 1
    if literal:
        pieces.append(literal)
    return pieces


def all_patterns():
    found = []

    def walk(resolver, chain):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, chain + [entry.pattern])
            elif isinstance(entry, URLPattern):
                found.append(Pattern(chain + [entry.pattern], entry.callback))

    walk(get_resolver(), [])
    return found


def is_integer(converter):
    return converter == "int" or (
        converter.startswith("re:")
        and re.fullmatch(converter[3:], "123")
        and not re.fullmatch(converter[3:], "abc")
    )


# --- the seeded programme -------------------------------------------------------------------


def seed(settings, tmp_path):
    """A small programme with one of everything a URL can name. Returns the values by name."""
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from demo.site import load_organiser, load_site
    from lms.accounts.models import Council
    from lms.bookings import attendance
    from lms.bookings import services as bookings
    from lms.bookings.models import CalendarFeed
    from lms.certificates import services as certificates
    from lms.surveys import services as surveys
    from podcasts.models import EpisodePage, PodcastPage
    from tests.podcasts.conftest import make_audio, make_image

    settings.MEDIA_ROOT = tmp_path / "media"
    load_site()
    load_organiser()
    User = get_user_model()
    organiser = User.objects.get(email="organiser@example.org")
    councillor = User.objects.create_user(
        email="cllr.jones@example.org",
        password=PASSWORD,
        full_name="Sam Jones",
        role="councillor",
        council=Council.objects.get(gss_code="E08000003"),
    )
    EmailAddress.objects.create(
        user=councillor, email=councillor.email, verified=True, primary=True
    )

    page = factories.course_page()
    venue = factories.venue()
    future = factories.run(page=page, venue=venue, days=2)
    booking = bookings.book(councillor, future).booking
    past = factories.run(page=page, venue=venue, title="Bristol", starts_in=-timedelta(days=3))
    attended = bookings.add_person(councillor, past)
    for session in past.sessions.all():
        attendance.mark(attended, session, "attended")
    surveys.send_invitations(past)
    attended.refresh_from_db()
    certificate = certificates.issue(attended, by=organiser)
    survey = surveys.survey_for(past)
    feed = CalendarFeed.objects.create(person=councillor)

    home = Page.objects.get(slug="home")
    show = PodcastPage(
        title="Nudges for Social Good",
        slug="nudges-for-social-good",
        description="A show.",
        artwork=make_image(),
        author="LGA",
        owner_name="Team",
        owner_email="team@example.org",
    )
    home.add_child(instance=show)
    show.save_revision().publish()
    episode = EpisodePage(
        title="Episode 1",
        slug="episode-1",
        summary="Letters.",
        # Words the hostile queries search for: the site search then shows this episode, and
        # its snippet (and every page that shows the transcript) must escape the markup.
        transcript=f"A: Hello, abc. {MARKER}",
        episode_number=1,
        season_number=1,
        audio=make_audio(5),
        published_at=past.starts_at,
    )
    show.add_child(instance=episode)
    episode.save_revision().publish()
    episode = EpisodePage.objects.get(pk=episode.pk)
    document = get_document_model().objects.create(
        title="Programme", file=ContentFile(b"%PDF-1.4 fuzz", name="programme.pdf")
    )
    return {
        "users": {"councillor": councillor, "organiser": organiser},
        "run_id": future.pk,
        "run_pk": future.pk,
        "session_pk": future.sessions.first().pk,
        "session_id": future.sessions.first().pk,
        "reference": booking.reference,
        "code": certificate.code,
        "guid": str(episode.guid),
        "extension": "mp3",
        "page_id": page.pk,
        "parent_page_id": home.pk,
        "page_pk": page.pk,
        "document_id": document.pk,
        "doc_id": document.pk,
        "image_id": show.artwork_id,
        "media_id": episode.audio_id,
        "token": {"survey/": attended.survey_invitation.token, "calendar/": feed.token},
        "_0": {"documents/": document.pk},
        "_1": {"documents/": "programme.pdf"},
        # The most telling object for each admin listing: a session with marks, a person with
        # bookings, a template that surveys use (first match of the route's start wins).
        "pk": {
            "admin/runs/": future.pk,
            "admin/bookings/": booking.pk,
            "admin/sessions/": past.sessions.first().pk,
            "admin/certificates/runs/": past.pk,
            "admin/certificates/zips/": None,
            "admin/certificates/": certificate.pk,
            "admin/podcast/": episode.pk,
            "admin/councils/": councillor.council_id,
            "admin/users/": councillor.pk,
            "admin/surveys/": survey.pk,
            "admin/survey_templates/": survey.template_id,
        },
    }


def seeded_value(pattern, name, values):
    """The seeded object's value for a parameter, or None."""
    value = values.get(name)
    if isinstance(value, dict):
        value = next((v for prefix, v in value.items() if pattern.route.startswith(prefix)), None)
    return None if value is None else str(value)


def known_value(pattern, name, converter, values):
    value = seeded_value(pattern, name, values)
    if value is not None:
        return value
    if converter.startswith("re:"):
        for candidate in ("1", "audio", "abc", "fuzz/", ""):
            if re.fullmatch(converter[3:], candidate):
                return candidate
        return "1"
    return {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "fuzz", "path": "fuzz"}.get(
        converter, "fuzz"
    )


def encode(value, converter):
    return quote(value, safe="") if converter != "int" else value


# --- forms ----------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: method, action and fields (name, kind), plus every link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self.form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action"),
                "fields": {},
            }
            self.forms.append(self.form)
        elif tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            form = self.form
            if form is None and attrs.get("form"):
                return
            if form is not None:
                kind = attrs.get("type", "text") if tag == "input" else tag
                form["fields"].setdefault(attrs["name"], (kind, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def where(tb):
    """Where an exception was raised: the innermost frame of the project's own code, and the
    innermost frame of all if that is in a library."""
    frames = traceback.extract_tb(tb)
    project = [f for f in frames if ours(f.filename)]
    places = []
    if project:
        places.append(f"{os.path.relpath(project[-1].filename, ROOT)}:{project[-1].lineno}")
    if frames and (not project or frames[-1] is not project[-1]):
        last = frames[-1].filename.split("site-packages/")[-1]
        places.append(f"{last}:{frames[-1].lineno}")
    return "at " + " < ".join(reversed(places)) if places else ""


def hostile_form_data(fields, payload, csrf):
    data = {}
    for name, (kind, value) in fields.items():
        if name == "csrfmiddlewaretoken":
            data[name] = csrf or value
        elif kind == "file":
            data[name] = SimpleUploadedFile(
                payload[:200].replace("/", "_") + ".csv", payload.encode()
            )
        elif kind in ("submit", "button") and value:
            data[name] = value
        elif kind == "email" and payload == HUGE:
            # Long and well formed (each part within its limit, 260 characters in all), so
            # that it passes the format check and reaches the database's 254.
            data[name] = "a" * 64 + "@" + ("b" * 63 + ".") * 3 + "org"
        else:
            data[name] = payload
    return data


# --- the walk -------------------------------------------------------------------------------


class Walk:
    def __init__(self, values, budget):
        self.values = values
        self.budget = budget
        self.failures = []
        self.cases = Counter()
        self.statuses = Counter()
        self.seen_forms = set()
        self.followed = set()
        self.examples = {}  # route -> a real path seen in a link
        self.clients = {}
        self.rotation = itertools.count()

    def client(self, user):
        if user not in self.clients:
            client = Client(raise_request_exception=False)
            if user != "anonymous":
                client.force_login(self.values["users"][user])
            self.clients[user] = client
        return self.clients[user]

    def relogin(self, user):
        self.clients.pop(user, None)

    @staticmethod
    def signed_out(client, response):
        """Whether the response replaced or deleted the session cookie (signing out, or a new
        session key that the rollback has just taken out of the database): the next request
        would be anonymous, so the visitor signs in again."""
        cookie = response.cookies.get("sessionid")
        return cookie is not None and (
            not cookie.value or cookie.value != client.cookies["sessionid"].value
        )

    def payloads(self, n, pool=STRINGS):
        """The next n hostile values of the pool, in turn (MARKER and NUL first in each cycle)."""
        return [pool[next(self.rotation) % len(pool)] for _ in range(n)]

    def request(self, user, method, path, route, label, data=None, query=None):
        client = self.client(user)
        self.cases[user] += 1
        response = error = None
        try:
            with transaction.atomic():
                if method == "GET":
                    response = client.get(path, query or None)
                else:
                    response = client.post(path, data or {})
                transaction.set_rollback(True)
        except Exception as exc:
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        if user != "anonymous" and (response is None or self.signed_out(client, response)):
            self.relogin(user)
        status = response.status_code if response is not None else "raised"
        self.statuses[status if not isinstance(status, int) else f"{status // 100}xx"] += 1
        if response is not None and getattr(response, "exc_info", None):
            exc = response.exc_info[1]
            error = f"{type(exc).__name__}: {str(exc)[:160]} {where(response.exc_info[2])}"
        if error and DELIBERATE_ERRORS.get(route, "\0") in error:
            return response
        if error or (isinstance(status, int) and status >= 500):
            self.fail(method, path, user, status, error or "", label, query, route)
        elif (
            response is not None
            and "text/html" in response.get("Content-Type", "")
            and not response.streaming
            and ECHO in response.content
        ):
            self.fail(
                method,
                path,
                user,
                status,
                "unescaped <script> payload in the page",
                label,
                query,
                route,
            )
        return response

    def fail(self, method, path, user, status, error, label, query, route):
        shown = path if len(path) < 100 else path[:60] + f"…({len(path)} chars)"
        if query:
            shown += "?" + ",".join(sorted(query))
        known = next(
            (name for name, test in KNOWN if test(method, route, user, label, error)), None
        )
        tag = f"[known: {known}]" if known else "[NEW]"
        self.failures.append(
            (
                known is not None,
                f"{tag} {method} {shown} [{user}] {status} ({label}; pattern {route}) {error}",
            )
        )

    # ---

    def clean_path(self, pattern):
        """Seeded values where there are some for every parameter, else a link seen on an earlier
        page, else placeholders."""
        seeded = all(seeded_value(pattern, n, self.values) is not None for n, _ in pattern.params)
        if pattern.route in self.examples and not seeded:
            return self.examples[pattern.route]
        return pattern.render(
            {n: encode(known_value(pattern, n, c, self.values), c) for n, c in pattern.params}
        )

    def real_values(self, pattern, path):
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            match = None
        values = {n: encode(known_value(pattern, n, c, self.values), c) for n, c in pattern.params}
        if match is not None and match.route == pattern.route:
            positional = iter(match.args)
            for name, converter in pattern.params:
                raw = match.kwargs.get(
                    name, next(positional, None) if name.startswith("_") else None
                )
                if raw is not None:
                    values[name] = encode(str(raw), converter)
        return values

    def learn(self, base, response):
        if response is None or response.status_code != 200:
            return None
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            return None
        parser = Forms()
        try:
            parser.feed(response.content.decode("utf-8", "replace"))
        except Exception:
            return None
        for href in parser.links:
            parts = urlsplit(urljoin(base, href))
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            self.examples.setdefault(match.route, parts.path)
        return parser

    def follow(self, user, path, response, route):
        """Follow local redirects of a clean GET, failing on a loop."""
        visited = [path]
        while response is not None and response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(visited[-1], response["Location"])
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver"):
                return
            local = parts.path + ("?" + parts.query if parts.query else "")
            if local in visited:
                self.fail(
                    "GET",
                    path,
                    user,
                    response.status_code,
                    "redirect loop: " + " -> ".join(visited + [local]),
                    "clean, redirects followed",
                    None,
                    route,
                )
                return
            if (user, parts.path) in self.followed or len(visited) > 6:
                return
            self.followed.add((user, parts.path))
            visited.append(local)
            response = self.request(user, "GET", local, route, "redirect target")

    def walk_pattern(self, pattern, user):
        route = pattern.route
        path = self.clean_path(pattern)
        response = self.request(user, "GET", path, route, "clean")
        self.follow(user, path, response, route)
        parser = self.learn(path, response)

        # Hostile path parameters, one at a time, the others real.
        real = self.real_values(pattern, path)
        for name, converter in pattern.params:
            pool = INTEGERS if is_integer(converter) else STRINGS
            if pool is INTEGERS:
                n = len(INTEGERS) if user == "organiser" else 1
            else:
                n = len(STRINGS) if pattern.ours else self.budget["path"]
            for kind, value in self.payloads(n, pool):
                values = dict(real, **{name: encode(value, converter)})
                self.request(user, "GET", pattern.render(values), route, f"path {name}={kind}")

        # Hostile query parameters: the common ones and those of the page's GET forms.
        names = set(COMMON_QUERY)
        forms = parser.forms if parser else []
        for form in forms:
            if form["method"] == "get" and self.same_page(path, form["action"]):
                names |= set(form["fields"])
        for kind, value in self.payloads(self.budget["query"] * (3 if pattern.ours else 1)):
            self.request(
                user,
                "GET",
                urlsplit(path).path,
                route,
                f"query={kind}",
                query=dict.fromkeys(sorted(names), value),
            )

        # Hostile POSTs to the page's forms, each distinct form once per visitor.
        posts = []
        for form in forms:
            action = urljoin(path, form["action"] or path)
            parts = urlsplit(action)
            if parts.netloc not in ("", "testserver"):
                continue  # another site's form (none today): not ours to fuzz
            key = (user, form["method"], parts.path, tuple(sorted(form["fields"])))
            if key in self.seen_forms:
                continue
            self.seen_forms.add(key)
            if form["method"] == "get":
                if not self.same_page(path, form["action"]):
                    for kind, value in self.payloads(1):
                        self.request(
                            user,
                            "GET",
                            parts.path,
                            route,
                            f"GET form to {parts.path} {kind}",
                            query=dict.fromkeys(form["fields"], value),
                        )
                continue
            posts.append((parts.path, form, pattern.ours or self.ours(parts.path)))
        return posts

    @staticmethod
    def ours(path):
        try:
            return is_ours(resolve(path).func)
        except Resolver404:
            return False

    @staticmethod
    def same_page(path, action):
        return not action or urlsplit(urljoin(path, action)).path == urlsplit(path).path

    def post_form(self, user, route, action, form, ours):
        # The project's forms always get NUL, markup and 10,000 characters, then one more in turn;
        # other forms one hostile value in turn.
        payloads = [p for p in STRINGS if p[0] in ("nul", "script", "long")] if ours else []
        payloads += self.payloads(self.budget["post"])
        for kind, value in payloads:
            data = hostile_form_data(form["fields"], value, None)
            self.request(user, "POST", action, route, f"POST form fields={kind}", data=data)


def test_every_url_pattern_survives_hostile_input(settings, tmp_path):
    started, cpu_started = time.monotonic(), time.process_time()
    values = seed(settings, tmp_path)
    seeded = time.monotonic() - started
    patterns = all_patterns()
    # Parameterless patterns first: their pages' links give real values to the others.
    patterns.sort(key=lambda p: (len(p.params), p.route.startswith("admin/")))
    walk = Walk(values, budget={"path": 1, "query": 1, "post": 1})
    per_user = {}
    for user in USERS:
        for pattern in patterns:
            for action, form, ours in walk.walk_pattern(pattern, user):
                walk.post_form(user, pattern.route, action, form, ours)
        walk.relogin(user)
        per_user[user] = walk.cases[user]

    elapsed = time.monotonic() - started
    cpu = time.process_time() - cpu_started
    failures = [line for _, line in sorted(walk.failures, key=lambda f: f[0])]  # new ones first
    new = sum(not known for known, _ in walk.failures)
    SUMMARY.append(
        f"{len(patterns)} URL patterns, {sum(walk.cases.values())} cases "
        f"({', '.join(f'{u} {n}' for u, n in per_user.items())}) in {elapsed:.0f}s "
        f"({cpu:.0f}s CPU; seeding {seeded:.0f}s; load average {os.getloadavg()[0]:.1f}); "
        f"responses {dict(sorted(walk.statuses.items()))}"
    )
    SUMMARY.append(f"{len(failures)} failures ({new} new, {len(failures) - new} known)")
    SUMMARY.extend(failures)
    assert not failures, f"{len(failures)} failures ({new} new):\n" + "\n".join(failures)


# --- the suite's own check: it notices what it is looking for -------------------------------


def _echo(request, word="", number=0):
    from django.http import HttpResponse

    return HttpResponse(f"<p>{word}{request.GET.get('q', '')}</p>")  # unescaped, on purpose


def _crash(request, word=""):
    raise RuntimeError("boom")


def _form(request):
    from django.http import HttpResponse

    if request.method == "POST":
        return HttpResponse(f"<p>{request.POST.get('name', '')}</p>")  # unescaped, on purpose
    return HttpResponse('<form method="post"><input name="name"></form>')


def _urlpatterns():
    from django.urls import path

    return [
        path("echo/<str:word>/<int:number>/", _echo),
        path("crash/<str:word>/", _crash),
        path("form/", _form),
    ]


class _URLConf:
    urlpatterns = _urlpatterns()


def test_the_walk_reports_an_unescaped_echo_and_a_crash(settings):
    settings.ROOT_URLCONF = _URLConf
    walk = Walk({"users": {}}, budget={"path": 1, "query": 1, "post": 1})
    patterns = all_patterns()
    assert [p.route for p in patterns] == [
        "echo/<str:word>/<int:number>/",
        "crash/<str:word>/",
        "form/",
    ]
    for pattern in patterns:
        for action, form, ours in walk.walk_pattern(pattern, "anonymous"):
            walk.post_form("anonymous", pattern.route, action, form, ours)
    reported = "\n".join(line for _, line in walk.failures)
    assert (
        "GET /echo/%22%3E%3Cscript%3Efz1/1/ [anonymous] 200 (path word=script-no-slash" in reported
    )
    assert "unescaped <script> payload" in reported
    assert (
        "GET /crash/fuzz/ [anonymous] 500 (clean" in reported and "RuntimeError: boom" in reported
    )
    assert "POST /form/ [anonymous] 200 (POST form fields=script" in reported
