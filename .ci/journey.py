"""The production stage's journey: the site used over HTTPS through nginx, as people use it.

    python .ci/journey.py journey    sign-up to certificate, the podcast, the figures, the
                                     sign-in limit across both web processes
    python .ci/journey.py restored   the restored copy answers the figures CSV and the certificate
                                     byte for byte as the original did
    python .ci/journey.py logs       every email arrived exactly once; no 5xx in any log

Started by .ci/production, which sets LMS_STAGE_* and the site's environment. Only the standard
library talks HTTP (urllib, http.cookiejar); BeautifulSoup (installed with Wagtail) reads the
pages' forms; the files the site hands out are read back with independent parsers (icalendar,
pypdf, feedparser). Each step says what it checked; the first failure stops the journey."""

import csv
import email
import email.policy
import hashlib
import http.cookiejar
import io
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import feedparser
import icalendar
from bs4 import BeautifulSoup
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
STAGE = Path(os.environ["LMS_STAGE_DIR"])
BASE = os.environ["LMS_STAGE_BASE"]  # https://localhost:PORT, nginx
HTTP_BASE = os.environ["LMS_STAGE_HTTP_BASE"]
LOGS = STAGE / "logs"
MAIL = STAGE / "mail"
DATA = json.loads((STAGE / "data.json").read_text())
WEB_PORTS = os.environ["LMS_STAGE_WEB_PORTS"].split()
ORGANISER = (os.environ["LMS_STAGE_ORGANISER_EMAIL"], os.environ["LMS_STAGE_ORGANISER_PASSWORD"])
PERSON = {
    "email": "sam.jones@stage.example.org",
    "full_name": "Sam Jones",
    "password": "a-long-stage-passphrase-2026",
}
PODCAST_APP = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
TLS = ssl.create_default_context(cafile=os.environ["LMS_STAGE_CA"])
STEP_STARTED = time.monotonic()


def step(message):
    global STEP_STARTED
    now = time.monotonic()
    print(f"  ok  {message}  ({now - STEP_STARTED:.1f} s)", flush=True)
    STEP_STARTED = now


def check(condition, message):
    if not condition:
        raise AssertionError(message)


# --- HTTP ------------------------------------------------------------------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # every redirect is looked at, then followed by Browser.request


class Response:
    def __init__(self, status, headers, body, url):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def soup(self):
        return BeautifulSoup(self.body, "html.parser")


class Browser:
    """One person's browser: their cookies (kept in a file, so the restored copy can be visited
    with the same session), no automatic redirects, and the Origin header a browser sends with
    a form."""

    def __init__(self, name, user_agent="Mozilla/5.0 (X11; Linux x86_64) lms-stage-journey"):
        self.cookies = http.cookiejar.MozillaCookieJar(STAGE / f"cookies-{name}.txt")
        if Path(self.cookies.filename).exists():
            self.cookies.load(ignore_discard=True)
        self.user_agent = user_agent
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=TLS),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirects,
        )

    def save(self):
        self.cookies.save(ignore_discard=True)

    def request(self, method, url, data=None, headers=None, follow=True):
        url = urllib.parse.urljoin(BASE + "/", url)
        for _ in range(10):
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            request = urllib.request.Request(url, data=body, method=method)
            request.add_header("User-Agent", self.user_agent)
            if method == "POST":
                request.add_header("Origin", BASE)
                request.add_header("Referer", url)
            for name, value in (headers or {}).items():
                request.add_header(name, value)
            try:
                with self.opener.open(request, timeout=30) as answer:
                    response = Response(answer.status, answer.headers, answer.read(), url)
            except urllib.error.HTTPError as error:
                response = Response(error.code, error.headers, error.read(), url)
            if not (follow and response.status in (301, 302, 303, 307, 308)):
                return response
            url = urllib.parse.urljoin(url, response.headers["Location"])
            if response.status in (301, 302, 303):
                method, data = "GET", None
        raise AssertionError(f"Too many redirects from {url}")

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def csrf_token(self):
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def post(self, url, data, **kwargs):
        return self.request(
            "POST", url, {**data, "csrfmiddlewaretoken": self.csrf_token()}, **kwargs
        )

    def submit(self, page, form, changes=None, **kwargs):
        """Send `form` (a BeautifulSoup form of `page`) as a browser would, with `changes`."""
        data = {}
        for field in form.find_all(["input", "select", "textarea"]):
            name, kind = field.get("name"), field.get("type", "text")
            if not name or kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    data.setdefault(name, []).append(field.get("value", "on"))
            elif field.name == "select":
                chosen = field.find("option", selected=True)
                data[name] = chosen.get("value", "") if chosen else ""
            elif field.name == "textarea":
                data[name] = field.text
            else:
                data[name] = field.get("value", "")
        data.update(changes or {})
        action = urllib.parse.urljoin(page.url, form.get("action") or page.url)
        return self.post(action, data, **kwargs)

    def sign_in(self, login, password):
        page = self.get("/account/login/")
        form = page.soup().find("input", attrs={"name": "login"}).find_parent("form")
        return self.submit(page, form, {"login": login, "password": password}, follow=False)


def expect(response, status, what):
    check(
        response.status == status,
        f"{what}: expected {status}, got {response.status} for {response.url}\n{response.text[:1500]}",
    )
    return response


# --- Mail ------------------------------------------------------------------------------------


def messages():
    found = []
    for path in sorted(MAIL.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.append((path.name, message))
    return found


def wait_for_mail(to, subject_contains, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for _, message in messages():
            if to in message["To"] and subject_contains.lower() in message["Subject"].lower():
                return message
        time.sleep(0.3)
    seen = [(m["To"], m["Subject"]) for _, m in messages()]
    raise AssertionError(
        f"No email to {to} about “{subject_contains}” within {timeout} s; seen {seen}"
    )


def text_of(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def link_in(message, pattern):
    match = re.search(pattern, text_of(message))
    check(match, f"No link matching {pattern} in “{message['Subject']}”:\n{text_of(message)}")
    return match[0]


# --- Logs -----------------------------------------------------------------------------------


def log_lines(name):
    path = LOGS / name
    return path.read_text(errors="replace").splitlines() if path.exists() else []


def nginx_access():
    """(request line, status, upstream, upstream status) for each line of nginx's access log."""
    pattern = re.compile(r'"([^"]*)" (\d{3}) .* upstream=(\S+) upstream_status=(\S+)')
    return [m.groups() for line in log_lines("nginx-access.log") if (m := pattern.search(line))]


def wait_until(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s")


def manage(*args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    check(
        result.returncode == 0,
        f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}",
    )
    return result.stdout


# --- The journey ------------------------------------------------------------------------------


def journey():
    anonymous = Browser("anonymous")

    # HTTPS only, and nginx serves what it should itself.
    response = anonymous.get(HTTP_BASE + "/", follow=False)
    expect(response, 301, "plain HTTP")
    check(
        response.headers["Location"] == BASE + "/",
        f"HTTP redirects to {response.headers['Location']}",
    )
    home = expect(anonymous.get("/"), 200, "the home page")
    check("max-age=31536000" in home.headers.get("Strict-Transport-Security", ""), "no HSTS header")
    stylesheet = home.soup().find("link", rel="stylesheet")["href"]
    check(
        re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet), f"stylesheet {stylesheet}"
    )
    css = expect(
        anonymous.get(stylesheet, headers={"Accept-Encoding": "gzip"}), 200, "the stylesheet"
    )
    check(css.headers.get("Content-Encoding") == "gzip", "the stylesheet is not sent compressed")
    check(
        "immutable" in css.headers.get("Cache-Control", ""),
        "the hashed stylesheet is not immutable",
    )
    # nginx writes a request's log line after the response has gone, so the line may come a
    # moment after the stylesheet has arrived.
    served = wait_until(
        lambda: [e for e in nginx_access() if e[0].startswith(f"GET {stylesheet} ")],
        "the stylesheet's line in nginx's access log",
        timeout=10,
    )
    check(
        served and all(upstream == "-" for _, _, upstream, _ in served), f"the stylesheet: {served}"
    )
    step("HTTP redirects to HTTPS; HSTS; nginx sends the hashed stylesheet gzipped and immutable")

    # The load balancer's probe: through nginx, and straight to each web process over plain HTTP
    # at its own address (no Host the site knows, no TLS), cheap and revealing nothing.
    health = expect(anonymous.get("/healthz"), 200, "/healthz through nginx")
    check(json.loads(health.body) == {"status": "ok"}, f"/healthz says {health.text}")
    check("no-store" in health.headers.get("Cache-Control", ""), "/healthz may be cached")
    check("Set-Cookie" not in health.headers, "/healthz sets a cookie")
    request_id = health.headers.get("X-Request-ID", "")
    check(re.fullmatch(r"[0-9a-f]{32}", request_id), f"nginx's request id {request_id!r}")
    wait_until(
        lambda: any(
            request_id in line and "GET /healthz 200" in line
            for port in WEB_PORTS
            for line in log_lines(f"web-{port}.log")
        ),
        "the web process's log line for /healthz under nginx's request id",
        timeout=10,
    )
    for port in WEB_PORTS:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as probe:
            check(
                probe.status == 200 and json.loads(probe.read()) == {"status": "ok"},
                f"/healthz on 127.0.0.1:{port}",
            )
    step(
        "/healthz answers through nginx and on each web process's own address; the request id "
        "nginx gave is the one the web process logged"
    )

    audio_path = "/media/" + DATA["audio_name"]
    for url in (
        audio_path,
        "/media/certificates/x.pdf",
        "/media/documents/x.pdf",
        "/protected-media/" + DATA["audio_name"],
    ):
        expect(anonymous.get(url), 404, f"the protected file {url}")
    step("protected files are refused on /media/ and /protected-media/ (the audio file exists)")

    # Sign up, verify the address from the email, sign in.
    person = Browser("person")
    page = expect(person.get("/account/signup/"), 200, "the sign-up page")
    form = page.soup().find("input", attrs={"name": "email"}).find_parent("form")
    council = next(
        option["value"]
        for option in form.find("select", attrs={"name": "council"}).find_all("option")
        if option.get("value")
    )
    response = person.submit(
        page,
        form,
        {
            "full_name": PERSON["full_name"],
            "email": PERSON["email"],
            "role": "officer",
            "council": council,
            "job_title": "Digital lead",
            "password1": PERSON["password"],
        },
    )
    expect(response, 200, "sign-up")
    check(
        "/account/confirm-email/" in response.url,
        f"after sign-up: {response.url}\n{response.text[:800]}",
    )
    verification = wait_for_mail(PERSON["email"], "confirm your email")
    link = link_in(verification, re.escape(BASE) + r"/account/confirm-email/\S+/")
    page = expect(person.get(link), 200, "the verification link")
    response = person.submit(page, page.soup().find("form", method=re.compile("post", re.I)))
    expect(response, 200, "confirming the address")
    step(f"signed up; the verification email's link ({link[:60]}…) confirmed the address")

    response = person.sign_in(PERSON["email"], PERSON["password"])
    expect(response, 302, "signing in")
    account = expect(person.get("/account/"), 200, "My account")
    check(PERSON["full_name"] in account.text, "My account does not name the person")
    person.save()
    step("signed in; My account names them")

    # Book the run.
    course = expect(person.get(DATA["course_url"]), 200, "the course page")
    check(f"/book/{DATA['run']}/" in course.text, "the course page has no booking link")
    page = expect(person.get(f"/book/{DATA['run']}/"), 200, "the booking form")
    response = person.submit(page, page.soup().find("main").find("form"))
    check(
        response.url.endswith(f"/book/{DATA['run']}/check/"), f"after the answers: {response.url}"
    )
    response = person.submit(response, response.soup().find("main").find("form"))
    expect(response, 200, "the booking confirmation page")
    reference = re.search(r"/bookings/([A-Z0-9-]+)/$", response.url)
    check(reference, f"not on a booking's page: {response.url}")
    reference = reference[1]
    step(f"booked the run: {reference}")

    confirmation = wait_for_mail(PERSON["email"], "booking confirmed")
    calendars = [
        part
        for part in confirmation.walk()
        if part.get_content_type() == "text/calendar"
        or (part.get_filename() or "").endswith(".ics")
    ]
    check(calendars, "the confirmation has no calendar file")
    for part in calendars:
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        events = list(calendar.walk("VEVENT"))
        check(len(events) == 1, f"{len(events)} events in the calendar file")
        check("Data and digital transformation" in str(events[0]["SUMMARY"]), "the event's summary")
        check(events[0].decoded("DTSTART").tzinfo is not None, "the event's start has no time zone")
    check(reference in text_of(confirmation), "the confirmation does not give the reference")
    worker_log = "\n".join(log_lines("worker.log"))
    check(
        "send_booking_email" in worker_log, "the worker's log does not show the booking email task"
    )
    step(
        f"the worker sent the confirmation with its .ics ({len(calendars)} calendar parts, read by icalendar)"
    )

    # The run takes place; the organiser marks attendance.
    organiser = Browser("organiser")
    expect(organiser.sign_in(*ORGANISER), 302, "the organiser signing in")
    organiser.save()
    subprocess.run(
        [sys.executable, ".ci/stage_data.py", "end-run", str(DATA["run"])],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    register_url = f"/admin/runs/{DATA['run']}/register/{DATA['session']}/"
    page = expect(organiser.get(register_url), 200, "the register")
    booking_input = page.soup().find("input", attrs={"name": "booking"})
    check(booking_input is not None, "the register lists nobody")
    response = organiser.post(
        register_url + "mark/", {"booking": booking_input["value"], "status": "attended"}
    )
    expect(response, 200, "marking attendance")
    marked = response.soup().find("button", attrs={"value": "attended", "aria-pressed": "true"})
    check(
        marked is not None and PERSON["full_name"] in marked.get("aria-label", ""),
        "not marked attended",
    )
    step("the run ended; the organiser marked them attended on the register")

    output = manage("survey_housekeeping")
    check(output.startswith("1 survey invitations sent"), f"survey_housekeeping said: {output}")
    invitation = wait_for_mail(PERSON["email"], "how was")
    link = link_in(invitation, re.escape(BASE) + r"/survey/[^/\s]+/")
    page = expect(person.get(link), 200, "the survey")
    form = page.soup().find("main").find("form")
    answers = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if field.get("type") == "radio":
            answers[name] = field["value"]  # one mark for each question (the last option)
        elif field.get("type") == "checkbox":
            answers.setdefault(name, field["value"])
        elif field.name == "select":
            answers[name] = next(o["value"] for o in field.find_all("option") if o.get("value"))
        else:
            answers[name] = "Clear, practical and well run."
    response = person.submit(page, form, answers)
    check(
        response.url.endswith("/survey/thank-you/"),
        f"after the survey: {response.url}\n{response.text[:800]}",
    )
    step(f"survey_housekeeping sent the survey; they answered {len(answers)} questions")

    # Certificates: issued by the worker, downloaded by their owner, verified by anyone.
    page = expect(
        organiser.get(f"/admin/certificates/runs/{DATA['run']}/issue/"), 200, "the issue page"
    )
    response = organiser.submit(
        page, page.soup().find("input", attrs={"name": "booking"}).find_parent("form")
    )
    expect(response, 200, "issuing certificates")

    def certificate_link():
        learning = person.get("/learning/")
        return re.search(r'href="(/certificates/([^/"]+)/download/)"', learning.text)

    link = wait_until(certificate_link, "a certificate on My learning")
    code = link[2]
    pdf = expect(person.get(link[1]), 200, "the certificate PDF")
    check(pdf.headers["Content-Type"] == "application/pdf", f"type {pdf.headers['Content-Type']}")
    check("X-Accel-Redirect" not in pdf.headers, "nginx passed X-Accel-Redirect to the client")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body)).pages)
    check(PERSON["full_name"] in text, f"the PDF does not name them: {text[:300]}")
    (STAGE / "certificate-original.pdf").write_bytes(pdf.body)
    check(
        "issue_certificates" in "\n".join(log_lines("worker.log")), "the worker did not issue them"
    )
    step(f"the worker issued certificate {code}; its owner downloaded the PDF (read by pypdf)")

    verified = expect(anonymous.get(f"/certificates/verify/{code}.json"), 200, "verification JSON")
    facts = json.loads(verified.body)
    check(
        facts["status"] == "valid" and facts["name"] == PERSON["full_name"],
        f"verification: {facts}",
    )
    check(facts["sha256"] == hashlib.sha256(pdf.body).hexdigest(), "the PDF's hash differs")
    step("the public verification JSON says valid, with the downloaded PDF's SHA-256")

    # The podcast: the feed, then the audio through nginx, counted.
    feed_url = DATA["show_url"] + "feed/"
    app = Browser("app", user_agent=PODCAST_APP)
    feed = expect(app.get(feed_url), 200, "the podcast feed")
    parsed = feedparser.parse(feed.body)
    check(not parsed.bozo, f"the feed does not parse: {parsed.get('bozo_exception')}")
    enclosure = parsed.entries[0].enclosures[0]
    check(int(enclosure["length"]) == DATA["audio_size"], "the enclosure's length")
    again = app.get(feed_url, headers={"If-None-Match": feed.headers["ETag"]})
    expect(again, 304, "the feed asked again with its ETag")
    step("podcast feed 200 (read by feedparser), then 304 Not Modified")

    audio_url = urllib.parse.urlsplit(enclosure["href"]).path
    size = DATA["audio_size"]
    audio = app.get(audio_url, headers={"Range": "bytes=0-"})
    expect(audio, 206, "the audio range")
    check(
        audio.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}",
        audio.headers["Content-Range"],
    )
    check(len(audio.body) == size and audio.body[:3] == b"ID3", "the audio bytes")
    check(
        audio.headers["Content-Type"] == "audio/mpeg", f"audio type {audio.headers['Content-Type']}"
    )
    line = wait_until(
        lambda: [e for e in nginx_access() if e[0].startswith(f"GET {audio_url}")],
        "the audio in nginx's log",
    )[-1]
    check(line[1] == "206" and line[3] == "200", f"nginx answered {line[1]}, the app {line[3]}")
    wait_until(
        lambda: any(
            audio_url in entry and '" 200 0 ' in entry
            for port in WEB_PORTS
            for entry in log_lines(f"web-{port}.log")
        ),
        "a web process answering the audio with an empty 200 (X-Accel-Redirect)",
        timeout=10,
    )
    stats = expect(
        organiser.get(f"/admin/podcast/episodes/{DATA['episode']}/?export=csv"), 200, "episode CSV"
    )
    rows = list(csv.reader(io.StringIO(stats.body.decode("utf-8-sig"))))
    (STAGE / "episode-downloads.csv").write_bytes(stats.body)
    check(["Overcast", "1", "100"] in rows, f"not counted as one download by Overcast: {rows}")
    step(
        "the audio range: 206 from nginx via X-Accel-Redirect (the app answered an empty 200), counted"
    )

    figures = expect(organiser.get("/admin/figures/summary/"), 200, "the Figures summary")
    check("Data and digital transformation" in figures.text, "the Figures do not show the course")
    export = expect(organiser.get("/admin/figures/summary/?export=csv"), 200, "the Figures CSV")
    check("text/csv" in export.headers["Content-Type"], export.headers["Content-Type"])
    (STAGE / "figures-original.csv").write_bytes(export.body)
    step(f"the Figures summary page, and its CSV ({len(export.body)} bytes)")

    # allauth's sign-in limit, whichever web process answers. The form is fetched once and sent
    # seven times: nginx takes the web processes in turn, so the attempts alternate between them
    # and neither sees five failures of its own.
    stranger = Browser("stranger")
    page = expect(stranger.get("/account/login/"), 200, "the sign-in page")
    answered_by = []
    for attempt in range(1, 8):
        password = PERSON["password"] if attempt == 7 else f"wrong-password-{attempt}"
        before = len(nginx_access())
        response = stranger.post(
            "/account/login/", {"login": PERSON["email"], "password": password}
        )
        expect(response, 200, f"sign-in attempt {attempt}")
        limited = "Too many failed login attempts" in response.text
        check(
            limited == (attempt >= 6),
            f"attempt {attempt}: limited={limited}\n{response.text[:600]}",
        )
        logged = wait_until(
            lambda before=before: [
                e for e in nginx_access()[before:] if e[0].startswith("POST /account/login/")
            ],
            "the sign-in attempt in nginx's log",
            timeout=10,
        )
        answered_by.append(logged[-1][2])
    sixth = answered_by[5]
    seen_by_sixth = answered_by[:5].count(sixth)
    check(
        set(answered_by) == {f"127.0.0.1:{port}" for port in WEB_PORTS},
        f"answered by {answered_by}",
    )
    check(
        seen_by_sixth < 5,
        f"the 6th attempt's process answered {seen_by_sixth} of the 5 failures itself",
    )
    for port in WEB_PORTS:
        check(
            any('"POST /account/login/' in line for line in log_lines(f"web-{port}.log")),
            f"web process {port} logged no sign-in",
        )
    step(
        f"5 wrong passwords refused as wrong, the 6th and then the right one as too many: the 6th "
        f"answered by {sixth}, which had answered {seen_by_sixth} of the 5 failures (attempts by "
        f"{', '.join(a.rsplit(':', 1)[1] for a in answered_by)})"
    )

    expected_mail()


EXPECTED_MAIL = [  # (to, words in the subject): each exactly once, and nothing else
    (PERSON["email"], "confirm your email"),  # allauth's verification, sent by the web process
    (PERSON["email"], "booking confirmed"),  # the rest by the worker
    (PERSON["email"], "how was"),  # the survey invitation
]


def expected_mail():
    time.sleep(3)  # the worker polls every second: anything sent twice would be here by now
    found = messages()
    subjects = [f"{name}: {m['To']} — {m['Subject']}" for name, m in found]
    check(len(found) == len(EXPECTED_MAIL), "emails delivered:\n" + "\n".join(subjects))
    for to, words in EXPECTED_MAIL:
        matching = [m for _, m in found if to in m["To"] and words in m["Subject"].lower()]
        check(
            len(matching) == 1,
            f"{len(matching)} emails to {to} about {words}:\n" + "\n".join(subjects),
        )
    step(f"{len(found)} emails, each exactly once: " + "; ".join(m["Subject"] for _, m in found))


def restored():
    organiser, person = Browser("organiser"), Browser("person")
    export = expect(
        organiser.get("/admin/figures/summary/?export=csv"), 200, "the restored Figures CSV"
    )
    original = (STAGE / "figures-original.csv").read_bytes()
    check(
        export.body == original,
        f"the restored copy's CSV differs:\n{export.text}\n---\n{original.decode()}",
    )
    step(
        f"the restored copy's Figures CSV equals the original's byte for byte ({len(original)} bytes)"
    )
    link = re.search(r'href="(/certificates/[^/"]+/download/)"', person.get("/learning/").text)
    check(link, "the restored copy lists no certificate")
    pdf = expect(person.get(link[1]), 200, "the restored certificate")
    check(pdf.body == (STAGE / "certificate-original.pdf").read_bytes(), "the restored PDF differs")
    step(
        "the restored copy hands the owner the same certificate PDF from the restored media folder"
    )


def logs():
    server_errors = []
    for request, status, upstream, upstream_status in nginx_access():
        if status.startswith("5") or upstream_status.startswith("5"):
            server_errors.append(f"nginx: {request} {status} {upstream} {upstream_status}")
    nginx_lines = len(nginx_access())
    check(nginx_lines > 40, f"only {nginx_lines} lines in nginx's access log")
    for name in sorted(path.name for path in LOGS.glob("web-*.log")):
        for line in log_lines(name):
            if (
                re.search(r'" 5\d\d ', line)
                or re.search(r"\[(ERROR|CRITICAL)\]", line)
                or any(words in line for words in ("Internal Server Error", "Traceback"))
            ):
                server_errors.append(f"{name}: {line}")
    for name in ("nginx-error.log", "nginx-main-error.log"):
        for line in log_lines(name):
            if re.search(r"\[(error|crit|alert|emerg)\]", line):
                server_errors.append(f"{name}: {line}")
    check(not server_errors, "server errors in the logs:\n" + "\n".join(server_errors))
    step(f"no 5xx and no error in nginx's log ({nginx_lines} requests) or the web processes' logs")
    expected_mail()


if __name__ == "__main__":
    {"journey": journey, "restored": restored, "logs": logs}[sys.argv[1]]()
