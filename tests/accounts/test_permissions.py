"""Who can reach the organisers' admin, and that every sign-in goes through allauth."""

import pytest
from django.contrib.auth.models import Group
from django.urls import resolve

from lms.accounts.models import Council
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_anyone_signed_out_is_sent_to_the_site_sign_in_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=/admin/")


def test_wagtail_admin_login_is_allauths_login():
    from allauth.account.views import LoginView

    match = resolve("/admin/login/")
    assert issubclass(match.func.view_class, LoginView)
    assert match.url_name == "admin_login"


def test_signing_in_at_the_admin_login_lands_in_the_admin(client, organiser):
    from demo.site import ORGANISER_PASSWORD

    response = client.post(
        "/admin/login/", {"login": organiser.email, "password": ORGANISER_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_person_who_is_not_an_organiser_cannot_reach_the_admin(client, councillor):
    client.force_login(councillor)
    for url in ["/admin/", "/admin/pages/", "/admin/councils/", "/admin/users/"]:
        response = client.get(url)
        assert response.status_code == 403, url


def test_organisers_group_has_sensible_permissions():
    organisers = Group.objects.get(name="Organisers")
    codenames = set(organisers.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_council", "change_theme", "change_footerlinks"} <= codenames
    assert not {"add_user", "change_user", "delete_user", "change_group"} & codenames
    page_perms = set(organisers.page_permissions.values_list("permission__codename", flat=True))
    assert {"add_page", "change_page", "publish_page"} <= page_perms
    assert organisers.collection_permissions.filter(permission__codename="add_image").exists()


def test_organiser_reaches_the_admin_and_browses_and_searches_councils(client, organiser):
    client.force_login(organiser)
    assert client.get("/admin/").status_code == 200
    listing = client.get("/admin/councils/")
    assert listing.status_code == 200
    assert b"Manchester City Council" in listing.content or b"Adur" in listing.content
    found = client.get("/admin/councils/", {"q": "Manchester"})
    assert b"Manchester City Council" in found.content
    assert b"Birmingham City Council" not in found.content
    london = client.get("/admin/councils/", {"region": "london", "type": "london_borough"})
    assert b"Camden" in london.content and b"Manchester City Council" not in london.content
    council = Council.objects.get(code="MAN")
    assert client.get(f"/admin/councils/inspect/{council.pk}/").status_code == 200


def test_the_council_directory_cannot_be_edited_by_hand_even_by_a_superuser(
    client, django_user_model
):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    council = Council.objects.get(code="MAN")
    assert client.get("/admin/councils/new/").status_code in (302, 403)
    assert client.post(
        f"/admin/councils/edit/{council.pk}/", {"official_name": "X"}
    ).status_code in (
        302,
        403,
    )
    assert Council.objects.get(code="MAN").official_name == "Manchester City Council"


def test_organiser_can_export_the_council_directory(client, organiser):
    client.force_login(organiser)
    response = client.get("/admin/councils/", {"export": "csv"})
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 366  # header + 365 councils
    assert any("E08000003" in row for row in rows)


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, councillor):
    for _ in range(5):
        response = client.post("/account/login/", {"login": councillor.email, "password": "wrong"})
        assert "Too many failed" not in response.content.decode()
    # The sixth try is refused even with the right password, on the admin's sign-in too,
    # because it is the same allauth view.
    for url in ("/account/login/", "/admin/login/"):
        response = client.post(url, {"login": councillor.email, "password": PASSWORD})
        assert response.status_code == 200
        assert "Too many failed login attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_a_flood_of_sign_in_requests_from_one_address_gets_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post("/account/login/", {"login": f"p{i}@example.org", "password": "x"}).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_admin_user_forms_edit_the_full_name_and_profile(
    client, django_user_model, councillor, manchester
):
    admin = django_user_model.objects.create_superuser(
        email="root@example.org", password="x", full_name="Root Admin"
    )
    client.force_login(admin)
    page = client.get(f"/admin/users/edit/{councillor.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'name="full_name"' in html and 'name="council"' in html and 'name="first_name"' not in html
    )
    assert client.get("/admin/users/new/").status_code == 200

    response = client.post(
        f"/admin/users/edit/{councillor.pk}/",
        {
            "email": councillor.email,
            "full_name": "Samantha Jones",
            "role": "councillor",
            "council": manchester.pk,
            "organisation": "",
            "job_title": "Leader",
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    councillor.refresh_from_db()
    assert (councillor.full_name, councillor.job_title) == ("Samantha Jones", "Leader")


def test_admin_account_page_edits_the_full_name(client, organiser):
    client.force_login(organiser)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_email-full_name"' in html and "first_name" not in html
