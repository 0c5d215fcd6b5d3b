"""An administrator manages people in /admin/users/, but a person's email — their sign-in — is
theirs to change, through allauth's verified flow only."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

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


def test_an_administrator_cannot_give_someone_an_address_nobody_confirmed(admin_client, councillor):
    url = reverse("wagtailusers_users:edit", args=[councillor.pk])
    page = admin_client.get(url).content.decode()
    assert "People change their own address at My account → Email" in page
    response = admin_client.post(
        url,
        {
            "email": "squatted@example.org",
            "full_name": "Sam Jones-Smith",
            "role": "councillor",
            "council": councillor.council_id,
            "organisation": "",
            "job_title": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    councillor.refresh_from_db()
    assert councillor.email == "cllr.jones@example.org"  # unchanged
    assert councillor.full_name == "Sam Jones-Smith"  # the rest of the form still saves
    assert not EmailAddress.objects.filter(email="squatted@example.org").exists()


def test_a_person_an_administrator_adds_is_asked_to_confirm_their_address(admin_client, manchester):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "New.Person@example.org",
            "full_name": "Nia New",
            "role": "councillor",
            "council": manchester.pk,
            "organisation": "",
            "job_title": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(full_name="Nia New")
    address = EmailAddress.objects.get(user=person)
    assert (address.email.lower(), address.primary, address.verified) == (
        "new.person@example.org",
        True,
        False,
    )
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "/account/confirm-email/" in message.body
