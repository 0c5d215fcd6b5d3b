"""`manage.py create_organiser`: the first organiser of a new site, made by command."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PASSWORD = "an-organiser-passphrase-77"


def sign_in(client, email, password):
    return client.post("/account/login/", {"login": email, "password": password})


def test_the_organiser_signs_in_and_reaches_the_admin_and_the_figures(client, monkeypatch):
    monkeypatch.setenv("LMS_ORGANISER_PASSWORD", PASSWORD)
    call_command("create_organiser", "--email", "Olu.Okafor@Example.org", "--name", "Olu Okafor")

    response = sign_in(client, "olu.okafor@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/figures/").status_code == 200


def test_a_weak_password_is_refused_and_nobody_is_created(monkeypatch):
    monkeypatch.setenv("LMS_ORGANISER_PASSWORD", "password")
    with pytest.raises(CommandError, match="refused"):
        call_command("create_organiser", "--email", "o@example.org", "--name", "O Organiser")
    assert not get_user_model().objects.filter(email="o@example.org").exists()


def test_without_a_password_or_a_terminal_it_says_what_to_set(monkeypatch):
    monkeypatch.delenv("LMS_ORGANISER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="LMS_ORGANISER_PASSWORD"):
        call_command("create_organiser", "--email", "o@example.org", "--name", "O Organiser")


def test_an_existing_person_becomes_an_organiser_and_keeps_their_password(
    client, make_person, monkeypatch
):
    from tests.conftest import PASSWORD as THEIR_PASSWORD

    make_person(email="pat@example.org")
    sign_in(client, "pat@example.org", THEIR_PASSWORD)
    assert client.get("/admin/").status_code == 403

    monkeypatch.setenv("LMS_ORGANISER_PASSWORD", PASSWORD)
    call_command("create_organiser", "--email", "pat@example.org")

    assert client.get("/admin/").status_code == 200
    client.logout()
    assert sign_in(client, "pat@example.org", THEIR_PASSWORD).status_code == 302
