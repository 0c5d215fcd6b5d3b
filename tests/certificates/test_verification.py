"""The public verification page and its JSON form, the rate limit, and downloads."""

import hashlib

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.utils import timezone

from lms.certificates import services
from lms.certificates.views import VERIFY_LIMIT
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(response):
    return " ".join(
        BeautifulSoup(response.content, "html.parser").find("main").get_text(" ").split()
    )


def test_verification_page_shows_only_name_course_date_status_and_the_pdfs_hash(client, completed):
    certificate = services.issue(completed)
    response = client.get(f"/certificates/verify/{certificate.code}/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("h1").get_text() == "This certificate is valid"
    fields = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in page.select("main dt")}
    assert fields == {
        "Name": "Sam Jones",
        "Course": "Data and digital transformation",
        "Date": certificate.dates,
        "Status": "Valid",
        "SHA-256 of the issued PDF": certificate.sha256,
    }
    with certificate.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() in text_of(response)
    main = text_of(response)
    assert completed.person.email not in main and completed.reference not in main


def test_revoked_certificate_says_revoked_and_when_but_not_why(client, completed, organiser):
    certificate = services.issue(completed)
    services.revoke(certificate, "Attendance recorded in error", by=organiser)
    response = client.get(f"/certificates/verify/{certificate.code}/")
    page = text_of(response)
    assert "This certificate has been revoked" in page
    assert f"Revoked on {timezone.localtime(certificate.revoked_at):%A %-d %B %Y}" in page
    assert "error" not in page


def test_json_form_carries_the_same_fields(client, completed, organiser):
    certificate = services.issue(completed)
    data = client.get(f"/certificates/verify/{certificate.code}.json").json()
    assert data == {
        "name": "Sam Jones",
        "course": "Data and digital transformation",
        "date": certificate.dates,
        "status": "valid",
        "revoked_on": None,
        "sha256": certificate.sha256,
    }
    services.revoke(certificate, "Wrong person", by=organiser)
    data = client.get(f"/certificates/verify/{certificate.code}.json").json()
    assert (
        data["status"] == "revoked"
        and data["revoked_on"] == timezone.localdate(certificate.revoked_at).isoformat()
    )


def test_an_unknown_code_gets_the_check_page_with_its_error_and_a_not_found_status(client):
    well_formed = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789"
    response = client.get(f"/certificates/verify/{well_formed}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("title").get_text().startswith("Error: Check a certificate")
    assert page.find("h1").get_text() == "Check a certificate"
    assert page.select_one(".error-summary a")["href"] == "#id_code"
    assert (
        page.select_one("#id_code_error")
        .get_text(" ", strip=True)
        .endswith("No certificate has this code.")
    )
    assert page.select_one("#id_code")["value"] == well_formed  # kept, to correct a typo

    malformed = client.get("/certificates/verify/not-a-code/")
    assert malformed.status_code == 404
    explained = BeautifulSoup(malformed.content, "html.parser").select_one("#id_code_error")
    assert "32 letters and numbers" in explained.get_text()


def test_an_unknown_code_in_the_json_form_is_a_plain_not_found(client):
    for code in ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789", "not-a-code"):
        response = client.get(f"/certificates/verify/{code}.json")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode() == "No certificate has this code."


def test_the_form_takes_a_code_as_typed_and_explains_a_malformed_one(client, completed):
    certificate = services.issue(completed)
    typed = certificate.code.lower().replace("-", " ")
    response = client.get("/certificates/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/verify/{certificate.code}/"
    response = client.get("/certificates/verify/", {"code": "12345"})
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".error-summary a")["href"] == "#id_code"
    assert "32 letters and numbers" in page.select_one("#id_code_error").get_text()
    assert page.select_one("#id_code")["value"] == "12345"
    assert page.find("label", attrs={"for": "id_code"})
    assert len(page.find_all("h1")) == 1


def test_lookups_are_rate_limited_per_address(client, completed, still_clock):
    certificate = services.issue(completed)
    url = f"/certificates/verify/{certificate.code}/"
    for _ in range(VERIFY_LIMIT):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(f"/certificates/verify/{certificate.code}.json", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert (
        "Too many" in refused.content.decode()
        and certificate.sha256 not in refused.content.decode()
    )
    refused_page = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert refused_page.status_code == 429 and "Retry-After" in refused_page
    assert "Too many certificate look-ups" in text_of(refused_page)
    assert certificate.sha256 not in refused_page.content.decode()
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200  # someone else


@pytest.mark.parametrize(
    "address, traces",
    [
        ("203.0.113.7", ["203.0.113.7"]),
        ("2001:db8:beef:cafe::7", ["2001:db8:beef:cafe", "2001:0db8:beef:cafe"]),
        ("::ffff:203.0.113.7", ["203.0.113.7", "::ffff"]),
    ],
)
def test_lookups_leave_no_client_address_in_the_cache(client, completed, address, traces):
    """The look-up counter is kept under a keyed hash: whoever reads the cache (Redis, the
    database's cache table) learns nothing of who checked which certificate."""
    certificate = services.issue(completed)
    cache.clear()
    url = f"/certificates/verify/{certificate.code}/"
    assert client.get(url, REMOTE_ADDR=address).status_code == 200

    keys = list(cache._cache)  # LocMemCache in tests
    assert keys, "the look-up was not counted"
    for trace in traces:
        assert not any(trace in key.lower() for key in keys), (trace, keys)


def test_one_ipv6_network_shares_one_lookup_limit(client, completed, still_clock):
    """An IPv6 user can take any address in their /64: cycling through them buys no more
    look-ups."""
    certificate = services.issue(completed)
    url = f"/certificates/verify/{certificate.code}/"
    for n in range(VERIFY_LIMIT):
        assert client.get(url, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").status_code == 200
    refused = client.get(url, REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert client.get(url, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200  # the next /64


def test_a_person_downloads_their_own_certificate_and_nobody_elses(client, completed, make_person):
    certificate = services.issue(completed)
    url = f"/certificates/{certificate.code}/download/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(completed.person)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == certificate.sha256
    client.force_login(make_person(email="someone.else@example.org"))
    assert client.get(url).status_code == 404


def test_a_revoked_certificate_is_not_downloadable_by_its_owner_but_is_by_organisers(
    client, completed, organiser
):
    certificate = services.issue(completed)
    services.revoke(certificate, "Issued in error", by=organiser)
    url = f"/certificates/{certificate.code}/download/"
    client.force_login(completed.person)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_codes_are_unique_across_many_certificates(attend):
    run = factories.run(capacity=40)
    codes = {services.issue(attend(run)).code for _ in range(30)}
    assert len(codes) == 30
