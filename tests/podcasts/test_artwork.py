"""Artwork podcast apps would refuse is refused when it is chosen for a show or an episode, with
a message on the artwork field that says what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import querydict_from_html

from podcasts.models import PodcastPage
from tests.podcasts.conftest import make_image

SIZE_RULE = "podcast apps need 1400 to 3000 pixels, square."


def artwork_errors(page):
    try:
        page.full_clean()
    except ValidationError as error:
        return error.message_dict.get("artwork", [])
    return []


@pytest.mark.parametrize(
    "width, height, mode, fmt, message",
    [
        (1200, 1200, "RGB", "JPEG", f"The artwork is 1200 × 1200 pixels; {SIZE_RULE}"),
        (1400, 1500, "RGB", "PNG", f"The artwork is 1400 × 1500 pixels; {SIZE_RULE}"),
        (3001, 3001, "RGB", "PNG", f"The artwork is 3001 × 3001 pixels; {SIZE_RULE}"),
        (1400, 1400, "CMYK", "JPEG", "The artwork is in CMYK colour (for print); podcast apps"),
        (1400, 1400, "P", "GIF", "The artwork is a GIF file; podcast apps need a JPEG or PNG."),
        (1400, 1400, "RGBA", "PNG", "The artwork is in RGB with a transparent layer;"),
        (1400, 1400, "L", "PNG", "The artwork is in greyscale; podcast apps need RGB"),
    ],
)
def test_artwork_that_breaks_the_rule_is_refused_with_the_reason(
    show, episode, width, height, mode, fmt, message
):
    image = make_image(width, height, mode, fmt, title="Proposed artwork")
    for page in (show, episode):
        page.artwork = image
        errors = artwork_errors(page)
        assert any(error.startswith(message) for error in errors), errors


@pytest.mark.parametrize("size, fmt", [(1400, "JPEG"), (3000, "PNG")])
def test_good_artwork_is_accepted(show, episode, size, fmt):
    image = make_image(size, size, "RGB", fmt, title="Good artwork")
    for page in (show, episode):
        page.artwork = image
        assert artwork_errors(page) == []


def test_the_show_edit_form_shows_the_message_on_the_artwork_field(client, organiser, show):
    client.force_login(organiser)
    small = make_image(1200, 1200, "RGB", "JPEG", title="Too small")
    form = client.get(f"/admin/pages/{show.pk}/edit/").content.decode()
    data = querydict_from_html(form, form_id="page-edit-form")
    data["artwork"] = str(small.pk)

    response = client.post(f"/admin/pages/{show.pk}/edit/", data.dict())

    assert response.status_code == 200
    assert response.context["form"].errors["artwork"] == [
        f"The artwork is 1200 × 1200 pixels; {SIZE_RULE}"
    ]
    assert PodcastPage.objects.get(pk=show.pk).artwork_id != small.pk
    assert f"The artwork is 1200 × 1200 pixels; {SIZE_RULE}" in response.content.decode()
