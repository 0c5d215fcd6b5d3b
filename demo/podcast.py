"""The demo podcast: Nudges for Social Good, its episodes, and a month of listening.

The show launched at the behavioural insights in local government conference on 11 February
2020 with a trailer and two episodes; two more followed within the month. Every episode has real
audio made on this machine (`podcasts.synth`), a written transcript and show notes.

Its downloads are not typed in. A synthetic request log — listeners with real podcast apps'
user-agent strings, a launch-day spike that fades over the month, probes, ranged requests,
people who stop before a minute, re-downloads within a day, bots, listeners who come back on a
later day — is replayed through `podcasts.counting.record_request`, the same code the audio URL
calls. The show's first-month figure is whatever those rules count (a little over 800, as the
programme reported); `load_podcast` returns it and `load_demo` prints it.
"""

import io
import ipaddress
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model

from lms.core.client import network
from lms.core.time import LONDON
from lms.pages.models import HomePage
from podcasts import counting, stats, synth
from podcasts.models import Chapter, EpisodeAudio, EpisodePage, PodcastPage, SubscribeLink

SLUG = "nudges-for-social-good"
TITLE = "Nudges for Social Good"
SEED = 2020
LAUNCH = datetime(2020, 2, 11, 10, 30, tzinfo=LONDON)  # the conference's opening session

DESCRIPTION = (
    "Nudges for Social Good demystifies behavioural insights for councils. Each short episode "
    "takes one idea from the research — social norms, defaults, timely reminders, the EAST "
    "framework — and one council that tried it, with practical tips to design and run your own "
    "projects: how to choose what to test, how to write the letter, and how to tell whether it "
    "worked. Launched at the behavioural insights in local government conference, February 2020."
)


@dataclass(frozen=True)
class EpisodeText:
    slug: str
    title: str
    number: int | None
    kind: str
    seconds: int
    published: datetime
    summary: str
    show_notes: str
    transcript: str
    chapters: tuple = ()


EPISODES = [
    EpisodeText(
        slug="trailer",
        title="Welcome to Nudges for Social Good",
        number=None,
        kind="trailer",
        seconds=45,
        published=LAUNCH,
        summary="What the show is for, who makes it, and what is coming in the first episodes.",
        show_notes=(
            "<p>A short introduction to the show, recorded for the behavioural insights in local "
            "government conference.</p>"
        ),
        transcript="""Amira: Hello, and welcome to Nudges for Social Good. I'm Amira, and I lead the behavioural insights work on the council skills programme.

Tom: And I'm Tom. I run a revenues team in a district council, so I'm the one who gets to ask the awkward questions.

Amira: This is a podcast for people in councils who keep hearing the word "nudge" and want to know what it means on a Monday morning. Each episode is short. We take one idea from the research and one council that tried it.

Tom: We'll talk about letters, bins, websites and forms. Things you already send and already run.

Amira: And we'll be honest about what didn't work, because most tests don't, and that's useful too.

Tom: The first two episodes are out today, launched at the conference. Subscribe wherever you get your podcasts.

Amira: Thanks for listening.""",
    ),
    EpisodeText(
        slug="letters-that-get-council-tax-paid",
        title="Letters that get council tax paid",
        number=1,
        kind="full",
        seconds=95,
        published=LAUNCH + timedelta(minutes=5),
        summary=(
            "Why one sentence about what most people in your area do can bring in more council "
            "tax than a firmer warning, and how to test it on your own reminder letters."
        ),
        show_notes=(
            "<p>Amira and Tom look at reminder letters: what the tax trials found, and how a "
            "revenues team can run its own test.</p>"
            "<h2>Tips from this episode</h2><ul>"
            "<li>Put the one thing you want people to do at the top, with the date.</li>"
            "<li>Only use a social norm that is true for your area.</li>"
            "<li>Send two versions at random to similar households and compare payments.</li>"
            "</ul>"
        ),
        transcript="""Amira: Welcome to Nudges for Social Good. Today: letters that get council tax paid on time.

Tom: Which is my world. Every spring we send thousands of reminders, and every spring a good share of them don't work.

Amira: The best-known study here is from HMRC. They added one sentence to tax reminder letters: that nine out of ten people in your area pay their tax on time. More people paid, and paid sooner, than with the standard letter.

Tom: That's the social norm bit. People want to do what people like them do.

Amira: Exactly. But it only works if it's true. If half your residents pay late, don't tell them that. You'd be telling them late is normal.

Tom: So what would you change first on my letter?

Amira: Make it easy. Your letter opens with the legal text and the payment link is on page two. Put the action at the top: what to pay, by when, and the one way to pay it.

Tom: And then?

Amira: Test it. Send the new letter to half your reminders, chosen at random, and the old letter to the other half. Compare how many pay within fourteen days.

Tom: We can do that with the mail merge we already have.

Amira: That's the point. No new system. Just a fair comparison.

Tom: And if it doesn't work?

Amira: Then you've learned something for the price of a print run. Next time: recycling, and the power of what your neighbours do.""",
        chapters=(
            (0, "Why reminder letters"),
            (20, "The tax trials and social norms"),
            (45, "Make it easy"),
            (70, "Testing your own letter"),
        ),
    ),
    EpisodeText(
        slug="recycling-and-what-neighbours-do",
        title="Recycling and what the neighbours do",
        number=2,
        kind="full",
        seconds=80,
        published=LAUNCH + timedelta(minutes=10),
        summary=(
            "Feedback cards, street-level figures and why telling people that contamination is "
            "common can make it more common."
        ),
        show_notes=(
            "<p>Recycling is where many councils first try a nudge. Dan from a waste services "
            "team joins Amira to talk about what they tested on their rounds.</p>"
        ),
        transcript="""Amira: Welcome back. Today I'm joined by Dan, who manages collection rounds in a unitary council.

Dan: Hello. My problem is contamination. The wrong things in the recycling bin, which means whole loads rejected.

Amira: What did you try first?

Dan: A leaflet that said one in four bins in the borough was contaminated. We thought it would shock people.

Amira: And it made things worse.

Dan: A bit, yes. We'd told people that getting it wrong was normal.

Amira: That's the trap with social norms. Describe the behaviour you want, and how common it is. Most bins on your street are recycled right.

Dan: So the second time we used feedback cards. The crews tag a bin that's correct with a green card saying thank you, and one that's wrong with a card showing the one item that shouldn't be there.

Amira: Specific, personal and timely. Right at the kerb, on collection day.

Dan: Contamination on the trial rounds dropped, and the crews liked it because it was positive.

Amira: And you compared with rounds that didn't get cards?

Dan: Similar rounds, same weeks. That was Amira's idea.

Amira: It's everybody's idea after the first leaflet. Thanks, Dan.""",
    ),
    EpisodeText(
        slug="organ-donation-and-the-power-of-defaults",
        title="Organ donation and the power of defaults",
        number=3,
        kind="full",
        seconds=110,
        published=datetime(2020, 2, 25, 7, 0, tzinfo=LONDON),
        summary=(
            "What the NHS organ donor register trial tells councils about the message at the "
            "moment people act, and what an opt-out system changes."
        ),
        show_notes=(
            "<p>Amira and Tom look at the organ donation message trial run with the NHS and the "
            "DVLA, and at defaults: the choice that happens when people do nothing.</p>"
            "<h2>Ideas for councils</h2><ul>"
            "<li>Ask at the moment people are already acting: after they pay, renew or register.</li>"
            "<li>Test several wordings at once when you have the numbers.</li>"
            "<li>Think hard about defaults: they are a choice you make for people.</li>"
            "</ul>"
        ),
        transcript="""Amira: Welcome to Nudges for Social Good. Today, something bigger than bins: organ donation.

Tom: Not a council service.

Amira: No, but one of the clearest trials in the UK, and the lessons travel. When people renewed their car tax online, the last page asked them to join the NHS organ donor register. The team tested eight different messages on that page.

Tom: Eight at once?

Amira: With that many visitors, you can. The winner asked a question: if you needed an organ transplant, would you have one? If so, please help others.

Tom: Reciprocity.

Amira: Yes. And one version with a photo of a crowd did worse than the plain text, which surprised everyone.

Tom: So the lesson for me is what, exactly?

Amira: Two lessons. First, timing. Ask people when they're already doing something, like after they've paid online. Your payment confirmation page is prime space.

Tom: We use it for a logo.

Amira: Second, wording matters enough to test. Small changes, real differences, and you can't guess which in advance.

Tom: And defaults?

Amira: England is moving to an opt-out system this spring, so the default becomes being a donor unless you say otherwise. Defaults are powerful because most people stick with them.

Tom: Which means councils set defaults all the time. Paper bills or email, direct debit or not.

Amira: Exactly. A default is a decision you're making for people. Make it the one that helps them, and make it easy to change.

Tom: Next time?

Amira: EAST: four words to check any letter, form or web page against.""",
        chapters=(
            (0, "The donor register trial"),
            (40, "Asking at the right moment"),
            (75, "Defaults"),
        ),
    ),
    EpisodeText(
        slug="east-easy-attractive-social-timely",
        title="EAST: easy, attractive, social, timely",
        number=4,
        kind="full",
        seconds=100,
        published=datetime(2020, 3, 10, 7, 0, tzinfo=LONDON),
        summary=(
            "The Behavioural Insights Team's four-word checklist, applied to a real council form, "
            "and how to plan a small trial of your own."
        ),
        show_notes=(
            "<p>A practical episode: the EAST framework applied to a free school meals "
            "application, step by step.</p>"
            "<ol><li>Easy: remove steps and pre-fill what you know.</li>"
            "<li>Attractive: make the benefit personal and visible.</li>"
            "<li>Social: show that others like me do this.</li>"
            "<li>Timely: ask when people are ready to act.</li></ol>"
        ),
        transcript="""Amira: Welcome to Nudges for Social Good. Today we're doing a practical one: EAST.

Tom: Which stands for?

Amira: Easy, attractive, social and timely. It's the Behavioural Insights Team's checklist, published in 2014. If you want people to do something, make it easy, attractive, social and timely.

Tom: Let's try it on something real. Our free school meals form.

Amira: Go on. How long is it?

Tom: Six pages. And it asks for things we already know from housing benefit.

Amira: Easy, then. Every question you can remove or pre-fill is worth more than any clever wording. That's usually the biggest win.

Tom: Attractive?

Amira: Make the benefit clear and personal. Not "apply for eligibility assessment" but "your child could get a free hot lunch every school day".

Tom: Social. Most families who qualify in our area already claim?

Amira: If it's true, say it. It takes away the stigma.

Tom: And timely would be when the school year starts, or when someone's benefit changes.

Amira: Yes. Send the reminder when people are already thinking about school, not in the middle of the summer holidays.

Tom: And then we test it.

Amira: Then you test it. Pick one change, send the new version to half the families at random, and count applications. Write down before you start what you'll measure and for how long.

Tom: That last bit matters?

Amira: It stops you finding a result you wanted afterwards. Thanks for listening to Nudges for Social Good. Tell us what you test.""",
    ),
]

SUBSCRIBE_LINKS = [
    ("Apple Podcasts", "https://podcasts.apple.com/gb/search?term=Nudges%20for%20Social%20Good"),
    ("Spotify", "https://open.spotify.com/search/Nudges%20for%20Social%20Good"),
    ("Pocket Casts", "https://pocketcasts.com/search?q=Nudges%20for%20Social%20Good"),
]


def load_podcast():
    """Create the show, its episodes and their listening, unless the show is already there.

    Returns the downloads counted in the show's first month, or None when nothing was done."""
    if PodcastPage.objects.filter(slug=SLUG).exists():
        return None
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Load the demo site first (demo.site.load_site).")
    with transaction.atomic():
        show = _create_show(home)
        episodes = [_create_episode(show, text) for text in EPISODES]
        replay(episodes)
    return stats.show_figures(show).first_month


def artwork_png(title=TITLE, size=1400):
    """Square RGB PNG artwork: the title on a teal ground with a few 'nudge' arrows."""
    image = Image.new("RGB", (size, size), "#0b4f51")
    draw = ImageDraw.Draw(image)
    for i in range(6):  # arrows leaning the same way: a gentle push
        y = 180 + i * 90
        draw.polygon(
            [(880, y), (1180, y + 30), (880, y + 60)], fill="#f4c542" if i == 2 else "#1f7a7c"
        )
    font = _font(150)
    small = _font(60)
    y = 720
    for line in _wrap(title, 12):
        draw.text((110, y), line, font=font, fill="white")
        y += 170
    draw.text((110, size - 150), "Behavioural insights for councils", font=small, fill="#f4c542")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _font(size):
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "DejaVuSans-Bold.ttf",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _wrap(text, width):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def _create_show(home):
    artwork = get_image_model().objects.create(
        title="Nudges for Social Good artwork",
        file=ImageFile(io.BytesIO(artwork_png()), name="nudges-for-social-good.png"),
    )
    show = PodcastPage(
        title=TITLE,
        slug=SLUG,
        description=DESCRIPTION,
        artwork=artwork,
        author="Council skills programme",
        owner_name="Council skills programme team",
        owner_email="productivity@example.org",
        copyright="© 2020 Council skills programme",
        subscribe_links=[SubscribeLink(name=name, url=url) for name, url in SUBSCRIBE_LINKS],
    )
    home.add_child(instance=show)
    show.save_revision().publish()
    return PodcastPage.objects.get(pk=show.pk)


def _create_episode(show, text):
    label = "Trailer" if text.number is None else f"Episode {text.number}"
    audio = EpisodeAudio(title=f"{label}: {text.title}", type="audio")
    audio.file.save(
        f"{text.slug}.mp3",
        ContentFile(synth.mp3(text.seconds, title=text.title, album=TITLE, seed=text.number or 0)),
        save=False,
    )
    audio.full_clean()
    audio.save()
    episode = EpisodePage(
        title=text.title,
        slug=text.slug,
        summary=text.summary,
        show_notes=text.show_notes,
        audio=audio,
        published_at=text.published,
        season_number=1,
        episode_number=text.number,
        episode_type=text.kind,
        transcript=text.transcript,
        chapters=[Chapter(start=start, title=title) for start, title in text.chapters],
    )
    show.add_child(instance=episode)
    episode.save_revision().publish()
    return EpisodePage.objects.get(pk=episode.pk)


# --- The request log -------------------------------------------------------------------------

# (user agent, weight): what the show's listeners used in 2020, by share of listeners.
APPS = [
    ("Podcasts/1420.36 CFNetwork/1121.2.2 Darwin/19.3.0", 34),  # Apple Podcasts, iOS 13
    ("Spotify/8.5.44 iOS/13.3.1 (iPhone11,2)", 9),
    ("Spotify/8.5.46 Android/29 (SM-G973F)", 8),
    ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", 6),
    ("PocketCasts/1.0 (Pocket Casts Android, 7.6.1; Android 10)", 6),
    (
        "Podcast Addict - v4.8.4 - Dalvik/2.1.0 (Linux; U; Android 10; SM-A505FN Build/QP1A.190711.020)",
        4,
    ),
    ("GooglePodcasts/2.0.2 iPhone/13.3.1 hw/iPhone11_2", 3),
    ("Castro 2020.2/1166 CFNetwork/1121.2.2 Darwin/19.3.0", 2),
    ("BBC%20Sounds/1.15.0 CFNetwork/1121.2.2 Darwin/19.3.0", 2),
    ("AppleCoreMedia/1.0.0.17D50 (iPhone; U; CPU OS 13_3_1 like Mac OS X; en_gb)", 3),
    ("CommuteCast/2.1 (Android 9; Moto G7)", 2),  # an app no list knows: "Other / unknown"
]
BROWSERS = [  # the player on the episode pages
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/80.0.3987.100 Safari/537.36",
        9,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/80.0.3987.106 Safari/537.36 Edg/80.0.361.54",
        4,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 13_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/13.0.5 Mobile/15E148 Safari/604.1",
        4,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:73.0) Gecko/20100101 Firefox/73.0", 2),
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)",
    "iTMS",
    "curl/7.68.0",
]
PROBING = ("Podcasts/", "AppleCoreMedia/", "Overcast/")
AUTO_DOWNLOAD = ("Podcasts/", "Overcast", "PocketCasts", "Castro", "Podcast Addict")

LISTENERS = 306  # people who found the show in its first four months
FIRST_DAY_SHARE = 0.30  # signed up in the room at the conference
JOIN_MEAN_DAYS = 9  # the rest found it later: a launch-day spike that fades


@dataclass
class Listener:
    ip: str
    user_agent: str
    browser: bool


@dataclass(order=True)
class Request:
    at: datetime
    episode: int  # index into the episode list
    ip: str
    user_agent: str
    bytes_sent: int


def _addresses(rng):
    """Distinct addresses: home broadband (IPv4), mobile networks (IPv4 behind carrier NAT) and
    IPv6 households, each its own /64. Documentation and shared address ranges only."""
    seen = set()
    while True:
        kind = rng.random()
        if kind < 0.45:
            ip = str(
                ipaddress.IPv4Address(
                    int(ipaddress.IPv4Address("100.64.0.0")) + rng.randrange(1, 2**22)
                )
            )
        elif kind < 0.7:
            ip = f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randrange(1, 255)}"
        else:
            prefix = rng.getrandbits(32)
            ip = str(
                ipaddress.IPv6Address((0x20010DB8 << 96) | (prefix << 64) | rng.getrandbits(64))
            )
        household = network(ip)
        if household not in seen:
            seen.add(household)
            yield ip


def _weighted(rng, choices):
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def request_log(episodes, seed=SEED):
    """Every audio request of the show's first months, in time order: deterministic for a seed."""
    rng = random.Random(seed)
    sizes = [e.audio.size for e in episodes]
    thresholds = [counting.download_threshold(e) for e in episodes]
    published = [e.published_at for e in episodes]
    addresses = _addresses(rng)
    log = []

    def session(listener, index, at):
        """One listener fetching one episode: how much they take, and how."""
        size, threshold = sizes[index], thresholds[index]
        behaviour = rng.random()
        # Under 13 per cent listened to a little and stopped: they never reach a minute.
        wanted = int(threshold * rng.uniform(0.1, 0.85)) if behaviour < 0.13 else size
        fetch(listener, index, at, wanted, size)
        if behaviour >= 0.13:
            later = rng.random()
            if later < 0.10:  # downloaded again on another device setting: same 24 hours
                fetch(listener, index, at + timedelta(hours=rng.uniform(1, 20)), size, size)
            elif later < 0.16:  # came back to it on a later day: a second download
                fetch(listener, index, at + timedelta(days=rng.uniform(1.5, 9)), size, size)

    def fetch(listener, index, at, wanted, size):
        if listener.browser:
            # <audio preload="none">: one open-ended range when play is pressed, cut off where
            # the listener stopped.
            log.append(Request(at, index, listener.ip, listener.user_agent, wanted))
            return
        # Apple's players probe with bytes=0-1 first; apps then ask for the file in one or two
        # ranges.
        if listener.user_agent.startswith(PROBING):
            log.append(Request(at, index, listener.ip, listener.user_agent, 2))
        sent, step, t = 0, max(wanted // rng.randint(1, 2), 1), at
        while sent < wanted:
            part = min(step, wanted - sent)
            t += timedelta(seconds=rng.uniform(0.5, 4))
            log.append(Request(t, index, listener.ip, listener.user_agent, part))
            sent += part

    for _ in range(LISTENERS):
        browser = rng.random() < 0.17
        agent = _weighted(rng, BROWSERS if browser else APPS)
        listener = Listener(next(addresses), agent, browser)
        if rng.random() < FIRST_DAY_SHARE:
            joined = LAUNCH + timedelta(minutes=rng.uniform(15, 10 * 60))
        else:
            joined = LAUNCH + timedelta(
                days=rng.expovariate(1 / JOIN_MEAN_DAYS) + rng.uniform(0, 1)
            )
        if joined > LAUNCH + timedelta(days=120):
            continue
        auto = not browser and listener.user_agent.startswith(AUTO_DOWNLOAD)
        for index, episode in enumerate(episodes):
            trailer = episode.episode_type == "trailer"
            if published[index] <= joined:
                # Catching up on what is out: most take the newest, fewer go back.
                if rng.random() < (0.35 if trailer else 0.72):
                    log_at = joined + timedelta(minutes=rng.uniform(0, 90) + 20 * index)
                    session(listener, index, log_at)
            elif rng.random() < (0.8 if auto else 0.45):
                # Subscribed: the app fetches a new episode soon after it comes out; others
                # press play within a few days.
                hours = rng.expovariate(1 / 3) if auto else rng.expovariate(1 / 40)
                session(listener, index, published[index] + timedelta(hours=hours))
    for _ in range(70):  # crawlers fetch whole files; the counting drops them
        index = rng.randrange(len(episodes))
        at = published[index] + timedelta(days=rng.uniform(0, 60))
        log.append(Request(at, index, next(addresses), rng.choice(BOTS), sizes[index]))
    return sorted(log)


def replay(episodes, log=None):
    """Send each request of the log through the counting rules, as the audio URL does."""
    for request in log if log is not None else request_log(episodes):
        counting.record_request(
            episodes[request.episode],
            ip=request.ip,
            user_agent=request.user_agent,
            bytes_sent=request.bytes_sent,
            at=request.at,
        )


def first_month_label(show):
    first, last = stats.show_figures(show).first_month_days
    return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"


def load_and_describe():
    """Load the podcast; a sentence for `load_demo` saying what was counted."""
    downloads = load_podcast()
    if downloads is None:
        return "Podcast already there: kept as it is."
    show = PodcastPage.objects.get(slug=SLUG)
    return (
        f"Podcast {TITLE}: {len(EPISODES)} episodes; requests replayed through the download "
        f"counting: {downloads:,} downloads in its first month ({first_month_label(show)})."
    )
