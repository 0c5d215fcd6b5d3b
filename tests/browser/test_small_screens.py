"""A phone 390 px wide: the pages a councillor finds and books through never scroll sideways, and
every link, button and field is a target of 44 px or more (WCAG 2.5.8's exceptions apply: a link
inside a sentence of running text is sized by its line, and is left out)."""

import pytest

from events.models import WhatsOnPage
from lms.bookings import services
from lms.bookings.models import Audience
from tests import factories
from tests.browser.test_booking import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 390
TARGET = 44

# Every visible target, with its size; a radio or checkbox is measured by the label it sits in
# (the label is what takes the tap). A link is "inline" when its block has words of its own
# besides its links and buttons: links stacked one per line are targets, not running text.
MEASURE_TARGETS = """() => {
    const blocks = 'p, li, dd, td, th, label, legend, figcaption, div, span.hint';
    const visible = el => {
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 1
            && box.height > 1 && box.right > 0 && box.left < innerWidth;
    };
    // Words of the block that are not inside a link or button: a sentence the link sits in.
    const prose = block => {
        const copy = block.cloneNode(true);
        copy.querySelectorAll('a, button, .visually-hidden').forEach(t => t.remove());
        return /[A-Za-z0-9]/.test(copy.textContent);
    };
    const inline = el => {
        if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
        const block = el.parentElement.closest(blocks);
        return Boolean(block) && prose(block);
    };
    return [...document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, summary'
    )].filter(visible).filter(el => !inline(el)).map(el => {
        const measured = (el.type === 'radio' || el.type === 'checkbox') && el.closest('label')
            ? el.closest('label') : el;
        const box = measured.getBoundingClientRect();
        return {
            what: el.outerHTML.slice(0, 120),
            width: Math.round(box.width * 10) / 10,
            height: Math.round(box.height * 10) / 10,
        };
    });
}"""


def assert_fits_a_phone(page):
    page.check_accessibility()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    targets = page.evaluate(MEASURE_TARGETS)
    assert targets, f"no targets measured on {page.url}"
    small = [t for t in targets if t["height"] < TARGET or t["width"] < TARGET]
    assert not small, f"targets under {TARGET} px on {page.url}:\n" + "\n".join(
        f"{t['width']} × {t['height']}: {t['what']}" for t in small
    )


@pytest.fixture
def programme(site_ready):
    venue = factories.venue("Manchester", "north_west")
    course = factories.course_page("Data and digital transformation")
    run = factories.run(
        page=course,
        capacity=5,
        title="Manchester",
        venue=venue,
        audience=Audience.COUNCILLORS,
        days=3,
    )
    listing = WhatsOnPage(title="What's on", slug="whats-on")
    course.get_parent().add_child(instance=listing)
    return course, run, listing


def test_home_whats_on_and_a_course_page_fit_a_phone(phone_page, programme):
    course, _run, listing = programme
    for path in ("/", listing.url, course.url):
        phone_page.visit(path)
        assert_fits_a_phone(phone_page)


def test_the_booking_steps_and_my_bookings_fit_a_phone(phone_page, programme):
    course, run, _listing = programme
    other = factories.run(page=course, title="Leeds", capacity=5)
    person = sign_in(phone_page)
    services.book(person, other)  # something to show and cancel in My bookings

    phone_page.visit(f"/book/{run.pk}/")
    assert_fits_a_phone(phone_page)
    phone_page.get_by_label("Do you have any access or dietary needs? (optional)").fill("None")
    phone_page.get_by_role("button", name="Continue").click()
    phone_page.wait_for_url("**/check/")
    assert_fits_a_phone(phone_page)
    phone_page.get_by_role("button", name="Confirm booking").click()
    phone_page.wait_for_url("**/bookings/*/")
    assert_fits_a_phone(phone_page)
    phone_page.get_by_role("link", name="See all your bookings").click()
    phone_page.wait_for_url("**/bookings/")
    assert_fits_a_phone(phone_page)
    assert phone_page.locator("main").get_by_text("Leeds").count() >= 1
