"""Deleting audio from wagtailmedia's library ("Episode audio") when an episode uses it.

An episode's audio is ``on_delete=PROTECT`` (an episode never loses its file by accident), but
wagtailmedia's delete view does not expect that: its confirmation offered "Yes, delete" and the
POST was a server error (ProtectedError). This view, mounted in lms/urls.py ahead of the admin's
own URL for it, asks Django's deletion collector first (``lms.core.deletion.protected_by``): the
page then says which episodes use the audio and offers no delete button, and a POST anyway gets
the same page with 409. Audio no episode uses goes on to wagtailmedia's own view.
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.admin.auth import permission_denied
from wagtailmedia import get_media_model
from wagtailmedia.views.media import delete as wagtailmedia_delete
from wagtailmedia.views.media import permission_checker

from lms.core.deletion import protected_by


@permission_checker.require("delete")
def delete_audio(request, media_id):
    media = get_object_or_404(get_media_model(), id=media_id)
    if not permission_checker.policy.user_has_permission_for_instance(
        request.user, "delete", media
    ):
        return permission_denied(request)
    blocking = protected_by(media)
    if not blocking:
        return wagtailmedia_delete(request, media_id)
    return TemplateResponse(
        request,
        "podcasts/admin/audio_protected.html",
        {"media": media, "protected_by": blocking},
        status=409 if request.method == "POST" else 200,
    )
