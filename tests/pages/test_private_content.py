"""Private pages and document collections once opened with a shared password stay private, now
to signed-in people (lms/pages/migrations/0002_shared_password_restrictions_become_login.py)."""

import importlib

import pytest
from django.apps import apps
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from lms.pages.models import StandardPage

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "lms.pages.migrations.0002_shared_password_restrictions_become_login"
)


def test_a_page_once_behind_a_shared_password_is_for_signed_in_people(
    client, demo_site, councillor
):
    page = StandardPage.objects.live().first()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="letmein"
    )
    collection = Collection.get_first_root_node().add_child(name="Board papers")
    papers = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password="letmein"
    )
    by_group = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node().add_child(name="Organisers only"),
        restriction_type="groups",
    )
    # No one could open it: the shared-password form is gone.
    response = client.get(page.url)
    assert response.status_code == 200 and page.body not in response.content.decode()

    migration.shared_passwords_become_login(apps, None)

    for changed in (restriction, papers):
        changed.refresh_from_db()
        assert (changed.restriction_type, changed.password) == ("login", "")
    by_group.refresh_from_db()
    assert by_group.restriction_type == "groups"
    response = client.get(page.url)
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    client.force_login(councillor)
    response = client.get(page.url)
    assert response.status_code == 200
