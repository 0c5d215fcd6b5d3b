"""Where tasks run inline (development), a request is not inside a transaction, so the bulk issue
it queues runs before the page answers and the organiser is told the outcome at once. (The other
admin tests run inside the test's own transaction, where queued work waits for its commit.)"""

import pytest
from django.contrib.auth import get_user_model

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def councils(transactional_db):
    """A transactional test starts from an emptied database: put the council directory back."""
    from lms.accounts.councils import load_councils

    load_councils()


def test_where_tasks_run_inline_the_organiser_is_told_the_outcome_at_once(client, attend):
    run = factories.run()
    ann, bob = attend(run), attend(run)
    # A flush empties the Organisers group its data migration made: an administrator instead.
    client.force_login(get_user_model().objects.create_superuser(email="admin@example.org"))
    url = f"/admin/certificates/runs/{run.pk}/issue/"
    page = client.post(url, {"booking": [ann.pk, bob.pk]}, follow=True).content.decode()
    assert "2 certificates issued." in page
    page = client.post(url, {"booking": [ann.pk]}, follow=True).content.decode()
    assert "0 certificates issued." in page and "1 person was no longer eligible" in page
