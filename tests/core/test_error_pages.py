"""The site's own 404 and 500 pages: in the site's style, and the 500 page renders when nothing
else can."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.template import Context, Template
from django.test import override_settings
from django.urls import include, path

ROOT = Path(__file__).resolve().parent.parent.parent


def broken_view(request):
    raise RuntimeError("something inside broke")


urlpatterns = [path("broken/", broken_view), path("", include("lms.urls"))]
handler500 = "lms.core.errors.server_error"


def test_the_500_template_renders_as_a_plain_template_with_the_database_blocked():
    """No database here (pytest-django refuses any query outside a `db` test), no context
    processors and no request: a plain Template over the file's own text."""
    source = (ROOT / "templates" / "500.html").read_text()
    assert "{% extends" not in source and "{% load" not in source and "{% include" not in source
    html = Template(source).render(Context({}))
    assert "Sorry, there is a problem with the service" in html
    assert "Council skills programme" in html
    assert 'href="/static/css/site.css"' in html
    assert "<style" not in html and "style=" not in html  # the CSP allows no inline style


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_page_naming_the_site_and_the_request(client):
    client.raise_request_exception = False

    def refuse(*args):
        raise OperationalError("the database is down")

    with connection.execute_wrapper(refuse):
        response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
    assert settings.SITE_NAME in html
    assert response["X-Request-ID"] in html  # the reference a person can quote
    assert settings.PROGRAMME_CONTACT_EMAIL in html
    assert "something inside broke" not in html and "Traceback" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_if_even_the_500_template_fails_a_plain_answer_goes_out(client, monkeypatch, db):
    from django.template import loader

    def missing(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(loader, "get_template", missing)
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.django_db
def test_a_page_wagtail_does_not_have_gets_the_sites_404(client, demo_site):
    response = client.get("/no-such-course/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "<title>Page not found – " in html


@pytest.mark.django_db
def test_an_unknown_booking_gets_the_same_404(client, councillor):
    client.force_login(councillor)
    response = client.get("/bookings/ZZ-0000/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "My bookings" in response.content.decode()  # signed in: the header shows it
