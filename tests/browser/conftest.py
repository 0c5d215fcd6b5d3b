"""Browser tests: Playwright driving Debian's Chromium, with axe-core on every page visited."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the browser tests: /usr/bin/chromium is missing (apt-get install chromium)"
            )
        pytest.skip(
            "Browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class CheckedPage:
    """A Playwright page that runs axe-core on every page it lands on."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.checked = []

    def __getattr__(self, name):
        return getattr(self.page, name)

    def visit(self, path):
        self.page.goto(self.base_url + path)
        self.check_accessibility()

    def wait_for_animations(self):
        """Let fades and slides finish (Wagtail's messages fade in after a short delay), so
        axe-core measures colours as people finally see them, not half-way through a fade."""
        self.page.wait_for_timeout(150)
        # Repeating animations (a spinner, Wagtail's pulsing "new" badge: five 5-second pings)
        # are decorations, not fades: only one-off animations are waited for.
        self.page.wait_for_function(
            "document.getAnimations().every(a => a.playState !== 'running'"
            " || a.effect.getComputedTiming().iterations > 1)",
            timeout=5_000,
        )

    def check_accessibility(self):
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        self.wait_for_animations()
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        self.checked.append(self.page.url)
        assert results.violations_count == 0, (
            f"Accessibility violations on {self.page.url}:\n{results.generate_report()}"
        )


@pytest.fixture
def site_ready(transactional_db):
    """A live server's database is emptied between tests: put the site tree and demo pages back."""
    from django.contrib.contenttypes.models import ContentType

    from demo.site import load_site
    from lms.accounts.councils import load_councils

    ContentType.objects.clear_cache()  # the flush gave content types new ids
    load_councils()
    load_site()
    _rerun_data_migrations()


# A live server's flush also empties what data migrations made: the Organisers group and its
# permissions, and the default satisfaction survey.
DATA_MIGRATIONS = [
    ("lms.accounts.migrations.0002_organisers_group", ["create_organisers"]),
    ("lms.bookings.migrations.0003_organisers_permissions", ["grant"]),
    ("lms.bookings.migrations.0005_organisers_take_attendance", ["grant"]),
    (
        "lms.surveys.migrations.0002_default_template_and_organisers",
        ["create_default_template", "grant"],
    ),
    ("lms.certificates.migrations.0002_organisers_permissions", ["grant"]),
    ("lms.reports.migrations.0002_organisers_see_figures", ["grant"]),
    ("podcasts.migrations.0002_organisers_upload_audio", ["grant"]),
    ("lms.pages.migrations.0004_organisers_choose_the_navigation", ["grant"]),
]


def _rerun_data_migrations():
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    from lms.surveys.models import SurveyTemplate

    if Group.objects.filter(name="Organisers").exists() and SurveyTemplate.objects.exists():
        return  # the first transactional test: nothing has been flushed yet
    for module, functions in DATA_MIGRATIONS:
        migration = import_module(module)
        for name in functions:
            getattr(migration, name)(apps, None)


def _checked_page(browser, live_server, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, CheckedPage(page, live_server.url)


@pytest.fixture
def page(browser, live_server, site_ready):
    context, checked = _checked_page(browser, live_server)
    yield checked
    context.close()


@pytest.fixture
def page_without_js(browser, live_server, site_ready):
    """The site's own scripts never arrive (as for someone whose JavaScript failed or is off).

    All of the site's JavaScript is in external files (the CSP forbids inline script), so
    refusing them leaves exactly the no-JavaScript page, while axe-core can still be injected.
    """
    context, checked = _checked_page(browser, live_server)
    context.route("**/*.js", lambda route: route.abort())
    yield checked
    context.close()


@pytest.fixture
def phone_page(browser, live_server, site_ready):
    """A phone-sized touch screen, as an organiser holds at the door."""
    context, checked = _checked_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield checked
    context.close()
