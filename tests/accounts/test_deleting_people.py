"""Deleting a person in the admin: someone with bookings is part of the programme's records, and
the confirmation page says so before anything is posted."""

import pytest
from django.contrib.auth import get_user_model

from lms.bookings import services
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client):
    client.force_login(
        User.objects.create_superuser(
            email="admin@example.org", password="x", full_name="Ada Admin"
        )
    )
    return client


def test_a_person_with_bookings_is_not_deleted_and_the_page_says_why(admin_client):
    person = factories.person(full_name="Bea Booked")
    services.book(person, factories.run())
    url = f"/admin/users/delete/{person.pk}/"
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This person cannot be deleted." in text
    assert "bookings (1)" in text
    assert "untick “Active”" in text
    assert "Yes, delete" not in text
    response = admin_client.post(url)
    assert response.status_code == 409
    assert "This person cannot be deleted." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_a_person_without_bookings_is_deleted_as_before(admin_client):
    person = factories.person(full_name="Nell Neverbooked")
    url = f"/admin/users/delete/{person.pk}/"
    assert "Yes, delete" in admin_client.get(url).content.decode()
    assert admin_client.post(url).status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_deleting_several_people_at_once_keeps_everyone_if_one_has_bookings(admin_client):
    booked = factories.person(full_name="Bea Booked")
    services.book(booked, factories.run())
    other = factories.person(full_name="Nell Neverbooked")
    url = f"/admin/bulk/accounts/user/delete/?next=/admin/users/&id={booked.pk}&id={other.pk}"
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This person cannot be deleted. These records depend on them: bookings (1)." in text
    assert "Yes, delete" not in text
    response = admin_client.post(url)
    assert response.status_code == 409
    assert "Some of these people cannot be deleted" in response.content.decode()
    assert User.objects.filter(pk__in=[booked.pk, other.pk]).count() == 2
    # Without the person who has booked, the other is deleted as before.
    response = admin_client.post(
        f"/admin/bulk/accounts/user/delete/?next=/admin/users/&id={other.pk}"
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=other.pk).exists()
