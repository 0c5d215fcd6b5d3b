"""An organiser moves a session of a booked run in the run editor, sees who will be told, and
confirms. axe-core checks the confirmation page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from lms.bookings import services
from lms.bookings.models import Run
from tests import factories
from tests.browser.test_register import sign_in_as_organiser

pytestmark = pytest.mark.django_db(transaction=True)


def test_organiser_moves_a_session_and_confirms_who_is_told(page):
    run = factories.run(capacity=5, title="Leeds")
    services.add_person(factories.person(full_name="Bea Booked"), run)
    session = run.sessions.get()
    new_start = timezone.localtime(session.starts_at + timedelta(days=7)).replace(second=0)
    sign_in_as_organiser(page)
    page.goto(f"{page.base_url}/admin/runs/edit/{run.pk}/")
    page.locator("#id_sessions-0-starts_at").fill(new_start.strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_sessions-0-ends_at").fill(
        (new_start + timedelta(hours=6)).strftime("%Y-%m-%d %H:%M")
    )
    page.keyboard.press("Escape")
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert "1 person holding a place will be told" in page.locator("main").inner_text()
    assert f"to {new_start:%A %-d %B %Y, %H:%M}" in page.locator("main").inner_text()
    page.check_accessibility()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and tell 1 person").click()
    assert "will be told" in page.locator(".messages").inner_text()
    assert Run.objects.get(pk=run.pk).starts_at == new_start
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Changed"]
