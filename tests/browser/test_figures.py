"""An organiser reads the figures: the summary with its chart, reach, a course's detail and the
board paragraph copied to the clipboard. axe-core checks every page visited."""

import pytest

from tests.reports.conftest import build_programme

from .test_register import sign_in_as_organiser

pytestmark = pytest.mark.django_db(transaction=True)


def test_organiser_reads_the_figures_and_copies_the_board_paragraph(page, live_server):
    programme = build_programme()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in_as_organiser(page)

    page.get_by_role("button", name="Figures").click()
    page.get_by_role("link", name="Programme summary").click()
    page.wait_for_url("**/admin/figures/summary/")
    page.check_accessibility()
    assert "In 2020/21: 1 run held" in page.inner_text("main")  # the latest year with a run held

    page.get_by_label("Financial year", exact=True).select_option("2019/20")
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    page.check_accessibility()
    assert "In 2019/20: 3 runs held, 6 people attended" in page.inner_text("main")
    chart = page.get_by_role("img", name="Attendances at sessions by month, 2019/20")
    assert chart.is_visible()

    page.get_by_label("Theme", exact=True).select_option(label="Generating income")
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    page.check_accessibility()
    assert "In 2019/20: 1 run held, 2 people attended" in page.inner_text("main")

    page.visit("/admin/figures/reach/?year=2019/20")
    assert "5 of " in page.inner_text(".figures-headline")
    page.visit(f"/admin/figures/course/?year=2019/20&course={programme.digital.pk}")
    assert page.get_by_role("img", name="Satisfaction, Data and digital, 2019/20").is_visible()
    page.visit("/admin/figures/summary/?year=2019%2F21")
    assert page.get_by_role("alert").is_visible()  # the error summary, with a link to the field

    page.visit(f"/admin/figures/paragraph/?year=2019/20&course={programme.digital.pk}")
    page.get_by_role("button", name="Copy to clipboard").click()
    page.get_by_text("Copied. Paste it into your report.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        "Two masterclasses for elected members on data and digital transformation took place"
    )
    assert copied == page.inner_text("#board-paragraph").strip()
    page.check_accessibility()
