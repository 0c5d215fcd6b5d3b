"""Hostile or garbled input to Wagtail's own admin views gets a 4xx that says what was wrong,
never a server error (lms/core/admin_input.py, lms/core/search.py; deleting audio an episode
uses: tests/podcasts/test_audio_library.py)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page

from lms.pages.models import HomePage
from tests import factories
from tests.podcasts.conftest import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, organiser, demo_site):
    client.force_login(organiser)
    client.raise_request_exception = False  # a server error is a finding: seen as a 500 below
    return client


@pytest.fixture
def home(demo_site):
    return HomePage.objects.get(slug="home")


def refused(response, words):
    text = response.content.decode()
    return response.status_code == 400 and words in text


def test_moving_a_page_under_a_parent_id_that_is_not_a_number_is_refused_with_a_message(
    admin, home
):
    page = factories.course_page()
    response = admin.post(
        reverse("wagtailadmin_pages:move", args=[page.pk]), {"new_parent_page": "abc"}
    )
    assert refused(response, "Choose the parent page from the page chooser")
    assert page.get_parent().specific == home  # not moved


def test_copying_a_page_to_an_unknown_parent_or_none_is_refused_with_a_message(admin):
    page = factories.course_page()
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    count = Page.objects.count()
    for data in ({"new_parent_page": "abc"}, {"new_parent_page": "999999"}, {"new_title": "Copy"}):
        response = admin.post(url, {"new_title": "Copy", "new_slug": "copy", **data})
        assert refused(response, "Choose the parent page from the page chooser"), data
    assert Page.objects.count() == count


def test_creating_a_page_under_a_text_parent_id_is_refused_with_a_message(admin):
    response = admin.post(
        reverse("wagtailadmin_pages:choose_parent", args=["pages", "standardpage"]),
        {"parent_page": "abc"},
    )
    assert refused(response, "Choose the parent page from the page chooser")


def test_a_valid_parent_still_moves_the_page(admin, home):
    page = factories.course_page()
    other = home.add_child(instance=HomePage(title="Elsewhere", slug="elsewhere", introduction="x"))
    response = admin.post(
        reverse("wagtailadmin_pages:move", args=[page.pk]), {"new_parent_page": other.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:move_confirm", args=[page.pk, other.pk]
    )


def test_editing_rich_text_with_content_the_editor_never_sends_is_refused_naming_the_field(
    admin, home
):
    url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    form = {"title": home.title, "slug": home.slug, "introduction": "Hello"}
    add = reverse("wagtailadmin_pages:add", args=["pages", "standardpage", home.pk])
    for garbled in ("abc", "-1", "[1, 2]", json.dumps({"blocks": 3})):
        for target in (url, url + "preview/", add, add + "preview/"):
            response = admin.post(target, {**form, "slug": "new", "body": garbled})
            assert refused(response, "The content of the “Body” field could not be read"), (
                target,
                garbled,
            )
    home.refresh_from_db()
    assert home.introduction != "Hello"  # nothing saved
    # What the editor really sends is saved as before.
    body = {
        "blocks": [
            {
                "key": "a",
                "type": "unstyled",
                "text": "Welcome",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    response = admin.post(url, {**form, "body": json.dumps(body)})
    assert response.status_code == 302
    assert "Welcome" in HomePage.objects.get(pk=home.pk).get_latest_revision_as_object().body


def test_setting_the_position_of_the_root_page_is_refused_with_a_message(admin):
    root = Page.get_first_root_node()
    response = admin.post(
        reverse("wagtailadmin_pages:set_page_position", args=[root.pk]) + "?position=0"
    )
    assert refused(response, "The root page has no siblings")


def test_reverting_a_page_to_a_revision_it_does_not_have_is_not_found(admin, home):
    for revision_id in (0, 999999):
        response = admin.get(
            reverse("wagtailadmin_pages:revisions_revert", args=[home.pk, revision_id])
        )
        assert response.status_code == 404, revision_id


def test_a_next_address_that_is_not_an_address_is_refused_and_a_real_one_followed(admin):
    page = factories.course_page()
    url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    response = admin.post(url, {"next": "somewhere"})
    assert refused(response, "is not an address on this site")
    assert Page.objects.get(pk=page.pk).live  # not unpublished
    response = admin.post(url, {"next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert not Page.objects.get(pk=page.pk).live


def test_choosing_an_item_by_an_id_that_is_not_a_number_is_not_found(admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    venue = factories.venue()
    for name in (
        "wagtaildocs_chooser:chosen",
        "wagtailimages_chooser:chosen",
        "wagtailsnippetchoosers_bookings_venue:chosen",
    ):
        response = admin.get(reverse(name, args=["abc"]))
        assert response.status_code == 404, name
    response = admin.get(reverse("wagtailsnippetchoosers_bookings_venue:chosen", args=[venue.pk]))
    assert response.status_code == 200


def test_searching_the_image_library_while_filtering_by_usage_is_refused_with_a_message(
    admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_image(title="Show artwork")
    for name in ("wagtailimages:index", "wagtailimages:index_results"):
        response = admin.get(reverse(name), {"q": "artwork", "usage_count_min": "0"})
        assert refused(response, "but not both at once"), name
        assert "Show artwork" in admin.get(reverse(name), {"q": "artwork"}).content.decode()
        assert "Show artwork" in admin.get(reverse(name), {"usage_count_min": "0"}).content.decode()


@pytest.mark.parametrize("search", ['a"b', '"><script>x', '"', 'programme"'])
def test_an_admin_search_containing_a_double_quote_is_answered(admin, settings, tmp_path, search):
    settings.MEDIA_ROOT = tmp_path
    get_document_model().objects.create(
        title="Programme", file=ContentFile(b"%PDF-1.4", name="p.pdf")
    )
    response = admin.get(reverse("wagtaildocs:index"), {"q": search})
    assert response.status_code == 200
    found = "Programme" in response.content.decode().split("<main", 1)[-1]
    assert found == (search == 'programme"')  # the quote is searched for as typed, then ignored
