"""The demo site: home page, themes, footer pages and the demo organiser."""

import datetime
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from lms.pages.models import (
    FooterLinks,
    HomePage,
    Navigation,
    NavigationLink,
    StandardPage,
    Theme,
    ThemeIndexPage,
    ThemePage,
)

ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_PASSWORD = "demo-organiser-2020"

THEMES = [
    (
        "Transforming services",
        "transforming-services",
        "Using data, digital tools, design and behavioural insights to redesign council services "
        "around the people who use them.",
    ),
    (
        "Smarter sourcing",
        "smarter-sourcing",
        "Buying and managing contracts well: procurement, contract management and social value.",
    ),
    (
        "Generating income",
        "generating-income",
        "Commercial skills for councillors and officers, so councils can invest, trade and charge "
        "with confidence.",
    ),
    (
        "Cross-cutting",
        "cross-cutting",
        "Leadership, efficiency and skills that every council service draws on.",
    ),
]

# What each theme is, in the words an editor writes on its theme page.
THEME_BODIES = {
    "transforming-services": (
        "<p>Councils redesign services around the people who use them: using their data well, "
        "building digital services people prefer to use, and applying behavioural insights to "
        "nudge small changes that add up.</p><p>Councillors come to one-day masterclasses on data "
        "and digital transformation; officers and partners hear how others did it at the "
        "conferences and on the <em>Nudges for Social Good</em> podcast.</p>"
    ),
    "smarter-sourcing": (
        "<p>A council spends much of its budget through contracts. This theme helps councillors "
        "and officers buy well and manage what they buy: procurement strategy, contract "
        "management, and the social value a contract can bring to a place.</p>"
    ),
    "generating-income": (
        "<p>Commercial skills help councils invest, trade and charge with confidence, and protect "
        "services that would otherwise be cut. Councillors take the commercial skills "
        "masterclasses; officers join the commercial skills programme in cohorts over several "
        "weeks, and its alumni meet again at their own conference.</p>"
    ),
    "cross-cutting": (
        "<p>Leadership, efficiency and the skills every council service draws on: e-learning any "
        "officer can take at their own pace, and events such as the launch of the cyber security "
        "guide for councils.</p>"
    ),
}

THEMES_INTRODUCTION = (
    "The programme has four strands. Each brings together masterclasses, training and events for "
    "councillors and officers."
)

HOME_INTRODUCTION = (
    "The productivity programme helps councils save money, improve services and generate income. "
    "Councillors come to one-day masterclasses, officers join commercial skills cohorts and "
    "e-learning intakes, and everyone can book the conferences. Book a place, get a calendar "
    "invitation, and keep a record of what you have done."
)

ACCESSIBILITY_BODY = """
<p>This statement applies to the council skills programme website. We want as many people as
possible to be able to use it. For example, that means you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate most of the website using just a keyboard or speech recognition software</li>
<li>listen to most of the website using a screen reader</li>
</ul>
<h2>How accessible this website is</h2>
<p>We test every public page with automated checks (axe-core) in a real browser against the
Web Content Accessibility Guidelines version 2.2, level AA, and by hand with a keyboard.</p>
<h2>Feedback and contact information</h2>
<p>If you find a problem or need information in a different format, email us and we will reply
within 5 working days.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector
Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not
happy with how we respond to your complaint, contact the Equality Advisory and Support Service
(EASS).</p>
<h2>Compliance status</h2>
<p>This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA
standard, as far as our testing has found.</p>
"""

PRIVACY_BODY = """
<p>This notice explains what we do with the information you give us when you create an account
and book places on the programme.</p>
<h2>What we collect</h2>
<ul>
<li>your name, email address and password (stored only as a secure hash)</li>
<li>whether you are a councillor, a council officer or from another organisation, your council or
organisation, and your job title</li>
<li>the places you book, your attendance, your survey answers and your certificates</li>
</ul>
<h2>Why we collect it</h2>
<p>To manage your bookings, tell you about them, issue certificates, and report to our board how
many people from which councils took part. Reports show numbers, not names.</p>
<h2>How long we keep it</h2>
<p>We keep your account while you use it. If you ask us to erase your data we anonymise your
records, so the programme's historical figures stay true without identifying you.</p>
<h2>Your rights</h2>
<p>You can ask to see, correct or erase your data by contacting us.</p>
"""

CONTACT_BODY = """
<p>The programme team answers questions about bookings, certificates and the programme itself.</p>
<p>Email <a href="mailto:productivity@example.org">productivity@example.org</a>. We reply within
5 working days.</p>
"""


def load_site():
    """Create the home page, themes and footer pages that do not exist yet. Returns how many."""
    created = 0
    for order, (name, slug, summary) in enumerate(THEMES):
        _, was_created = Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "summary": summary, "sort_order": order}
        )
        created += was_created

    home = HomePage.objects.first()
    if home is None:
        root = ensure_page_tree()
        # Wagtail's placeholder "Welcome to your new Wagtail site!" page makes way for ours.
        placeholder = root.get_children().filter(slug="home").first()
        if placeholder is not None and placeholder.specific_class is Page:
            placeholder.delete()  # its Site goes with it; it is recreated below
        home = root.add_child(
            instance=HomePage(
                title="Council skills programme", slug="home", introduction=HOME_INTRODUCTION
            )
        )
        created += 1
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        # The address `make run` serves (SITE_URL), so that absolute links the site writes
        # (the podcast feed's, a page's full URL) work from a podcast app on this machine.
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site = Site.objects.create(
            hostname=address.hostname or "localhost",
            port=address.port or (443 if address.scheme == "https" else 80),
            root_page=home,
            is_default_site=True,
            site_name="Council skills programme",
        )

    pages = {}
    for slug, title, summary, body in [
        ("accessibility", "Accessibility statement", "", ACCESSIBILITY_BODY),
        ("privacy", "Privacy notice", "How we use your personal information.", PRIVACY_BODY),
        ("contact", "Contact us", "", CONTACT_BODY),
    ]:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = StandardPage(
                title=title,
                slug=slug,
                summary=summary,
                body=body,
                last_reviewed=datetime.date(2026, 11, 22),
                show_in_menus=False,
            )
            home.add_child(instance=page)
            created += 1
        pages[slug] = page

    created += load_theme_pages(home)

    links = FooterLinks.for_site(site)
    if not (links.accessibility_statement_id or links.privacy_notice_id or links.contact_id):
        links.accessibility_statement = pages["accessibility"]
        links.privacy_notice = pages["privacy"]
        links.contact = pages["contact"]
        links.save()
    return created


def load_theme_pages(home):
    """The themes index at /themes/ and a page for each theme that has none. Returns how many."""
    created = 0
    index = ThemeIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ThemeIndexPage(
                title="Themes", slug="themes", introduction=THEMES_INTRODUCTION, show_in_menus=True
            )
        )
        created += 1
    for theme in Theme.objects.filter(page__isnull=True):
        index.add_child(
            instance=ThemePage(
                title=theme.name,
                slug=theme.slug,
                theme=theme,
                body=THEME_BODIES.get(theme.slug, f"<p>{theme.summary}</p>"),
            )
        )
        created += 1
    return created


def load_navigation(*links):
    """The header's sections, in order, unless an organiser has already chosen some. Each link
    is a page or (page, label); a missing page (None) is left out."""
    site = Site.objects.get(is_default_site=True)
    navigation = Navigation.for_site(site)
    if navigation.links.exists():
        return False
    pairs = [link if isinstance(link, tuple) else (link, "") for link in links]
    for order, (page, label) in enumerate((p, label) for p, label in pairs if p is not None):
        NavigationLink.objects.create(
            navigation=navigation, page=page, label=label, sort_order=order
        )
    return True


def ensure_page_tree():
    """Wagtail's migrations make the default locale, root page and root collection; a database
    emptied by `flush` (as transactional tests do) has none of them. Put back what is missing."""
    if not Locale.objects.exists():
        Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def load_organiser():
    """The demo organiser: staff, in the Organisers group, email verified. Returns True if new."""
    User = get_user_model()
    if User.objects.filter(email=ORGANISER_EMAIL).exists():
        return False
    organiser = User.objects.create_user(
        email=ORGANISER_EMAIL,
        password=ORGANISER_PASSWORD,
        full_name="Olivia Organiser",
        role="other",
        organisation="National association of councils",
        job_title="Programme organiser",
        is_staff=True,
    )
    organiser.groups.add(Group.objects.get(name="Organisers"))
    EmailAddress.objects.create(user=organiser, email=ORGANISER_EMAIL, verified=True, primary=True)
    return True
