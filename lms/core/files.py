"""Handing a stored file to the client once a view has decided that this client may have it.

Files that are not public (certificate PDFs, a run's ZIP of them, podcast audio before it is
counted) are stored under prefixes that the web server refuses on `MEDIA_URL`; only a view that
has checked the request may hand one out. `PROTECTED_FILE_DELIVERY` chooses how:

- "django" (the default): Django reads the file from storage and sends it (`FileResponse`);
- "x-accel-redirect": an empty answer with `X-Accel-Redirect: PROTECTED_FILES_ACCEL_PREFIX +
  the file's name`; nginx sends the file from an `internal` location whose `alias` is
  `MEDIA_ROOT` (and answers byte ranges itself);
- "redirect": a 302 to the storage's URL for the file. Only for storage that signs its URLs
  (object storage with query-string authentication on a private bucket): an unsigned URL is
  the public link this module exists to avoid.

The podcast has its own names for the same choice (`PODCAST_AUDIO_DELIVERY`,
`PODCAST_ACCEL_PREFIX`, which default to these) and streams byte ranges itself in "django" mode.
"""

import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.views.static import serve

MODES = ("django", "x-accel-redirect", "redirect")
DEFAULT_ACCEL_PREFIX = "/protected-media/"
# Folders under MEDIA_ROOT whose files only a checking view hands out (certificates/models.py,
# podcasts/models.py). The web server refuses them on MEDIA_URL (see the README's nginx lines);
# so does the development server (`public_media`).
PROTECTED_MEDIA_PREFIXES = ("certificates/", "podcast-audio/")


def delivery_mode():
    mode = getattr(settings, "PROTECTED_FILE_DELIVERY", "django")
    if mode not in MODES:
        raise ImproperlyConfigured(f"PROTECTED_FILE_DELIVERY must be one of {', '.join(MODES)}.")
    return mode


def accel_prefix():
    return getattr(settings, "PROTECTED_FILES_ACCEL_PREFIX", DEFAULT_ACCEL_PREFIX)


def send_file(
    field_file,
    *,
    content_type,
    filename=None,
    as_attachment=True,
    cache_control="private, no-store",
    mode=None,
    prefix=None,
):
    """The answer that gives `field_file` (a stored FieldFile) to the client, by `mode` (the
    `PROTECTED_FILE_DELIVERY` setting unless given).

    Every answer says `Cache-Control` (`cache_control` for the file itself; "no-store" for a
    redirect, so that no cache replays it past the check) and `X-Content-Type-Options: nosniff`;
    the file's answers carry `Content-Disposition` with `filename` (the stored name's last part
    by default). A redirect cannot set the file's headers: the storage's answer does.
    """
    mode = mode or delivery_mode()
    if mode not in MODES:
        raise ImproperlyConfigured(f"Unknown file delivery mode {mode!r}.")
    name = field_file.name
    filename = filename or name.rsplit("/", 1)[-1]
    if mode == "redirect":
        response = HttpResponseRedirect(field_file.storage.url(name))
        response["Cache-Control"] = "no-store"
    elif mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = (prefix or accel_prefix()) + quote(name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        response["Cache-Control"] = cache_control
    else:
        response = FileResponse(
            field_file.storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
        response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_media(request, path, document_root=None, show_indexes=False):
    """MEDIA_URL as the development server (DEBUG) serves it: like nginx in production, it
    refuses the protected folders, so a link that works locally is one that works live."""
    normalised = posixpath.normpath(path).lstrip("/").lower()
    if normalised.startswith(PROTECTED_MEDIA_PREFIXES):
        raise Http404("Not a public file.")
    return serve(request, path, document_root=document_root, show_indexes=show_indexes)
