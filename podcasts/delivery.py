"""Episode audio over HTTP: GET and HEAD, single byte ranges (RFC 9110 §14), counted downloads.

Django has no Range support, so this view answers `Range: bytes=a-b`, `bytes=a-` and `bytes=-n`
itself and streams the slice from storage in chunks (the file is never read into memory).

Every GET is counted (`podcasts/counting.py`) when it is answered, with the length of what is
being sent; a client that hangs up half way is not detected. `PODCAST_AUDIO_DELIVERY` (by
default `PROTECTED_FILE_DELIVERY`, shared with the certificates) chooses who sends the bytes
after counting:

- "django" (the default): this view streams them;
- "x-accel-redirect": an empty answer with `X-Accel-Redirect: PODCAST_ACCEL_PREFIX + file name`,
  and nginx serves the file and its ranges from an `internal` location;
- "redirect": a 302 to the storage's URL for the file (a signed URL on object storage that
  signs them).

The last two are `lms.core.files.send_file`, the same hand-over as the certificates'.
"""

import hashlib
import re

from django.conf import settings
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.utils.http import http_date, parse_http_date_safe

from lms.core import cache as cache_versions
from lms.core import files
from lms.core.client import client_address
from podcasts import counting, feed
from podcasts.models import published_episodes

CHUNK = 64 * 1024
# At most 19 digits (any file's offsets fit): a longer number is a header we cannot read, and
# is ignored like any other, rather than reaching int() and its 4,300-digit limit. The unit is
# case-insensitive (RFC 9110 §14.1).
RANGE = re.compile(r"^bytes=(\d{0,19})-(\d{0,19})$", re.IGNORECASE)
EXTENSIONS = {"audio/mpeg": "mp3", "audio/mp4": "m4a"}


class Unsatisfiable(Exception):
    """The range starts past the end of the file, or asks for the last zero bytes."""


def parse_range(header, size):
    """(start, end) inclusive for one byte range, or None to send the whole file.

    A header we cannot read is ignored (RFC 9110 §14.2: a server MAY ignore Range), and so is a
    request for several ranges: answering those would need multipart/byteranges, and RFC 9110
    lets a server send the whole representation with 200 instead. Podcast apps ask for one
    range at a time.
    """
    if not header:
        return None
    match = RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last n bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # not a valid range: ignore it
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def stream(storage, name, start, length):
    """The bytes [start, start + length) of a stored file, in chunks."""
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def find_episode(guid, extension):
    """The public episode with this audio address. Players ask for ranges of the same file all
    day, so the episode and its audio are kept in the cache until anything a feed shows changes
    (publishing, unpublishing, moving, a view restriction, new audio: the feed's version)."""
    episode = cache_versions.remembered(
        f"podcasts:audio-episode:{guid}",
        [feed.VERSION_NAME],
        lambda: published_episodes().filter(guid=guid).select_related("audio").first(),
    )
    if episode is None or episode.audio is None or not episode.audio.file:
        raise Http404("No such episode.")
    if EXTENSIONS.get(episode.audio.mime_type, "mp3") != extension:
        raise Http404("No such episode.")
    return episode


def validators(audio):
    """ETag and Last-Modified for the stored file (a replaced file gets a new name and size)."""
    name = hashlib.sha256(audio.file.name.encode()).hexdigest()[:16]
    etag = f'"{audio.pk}-{audio.size}-{name}"'
    try:
        modified = audio.file.storage.get_modified_time(audio.file.name)
    except (NotImplementedError, OSError):
        modified = audio.created_at
    return etag, modified


def delivery_mode():
    return getattr(settings, "PODCAST_AUDIO_DELIVERY", None) or files.delivery_mode()


def audio(request, guid, extension):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ip = client_address(request)
    wait = counting.admit(ip)
    if wait:
        response = HttpResponse(
            "Too many requests from your address. Please try again in a minute.",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response
    episode = find_episode(guid, extension)
    media = episode.audio
    size = media.size or media.file.size
    mode = delivery_mode()
    etag, modified = validators(media) if mode == "django" else (None, None)

    range_header = request.META.get("HTTP_RANGE", "")
    if_range = request.META.get("HTTP_IF_RANGE", "")
    if (
        range_header
        and if_range
        and mode == "django"
        and not if_range_matches(if_range, etag, modified)
    ):
        range_header = ""  # the client's copy is stale: send the whole new file

    try:
        byte_range = parse_range(range_header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        common_headers(response, etag, modified)
        return response

    start, end = byte_range if byte_range else (0, size - 1)
    length = end - start + 1 if size else 0
    if request.method == "GET":
        counting.record_request(
            episode,
            ip=ip,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            bytes_sent=length,
            admitted=True,
        )

    if mode in ("x-accel-redirect", "redirect"):
        # nginx answers the Range header itself from the internal location; a redirect says
        # "no-store", so every play comes back here to be counted.
        return files.send_file(
            media.file,
            content_type=media.mime_type,
            as_attachment=False,
            cache_control="private",
            mode=mode,
            prefix=getattr(settings, "PODCAST_ACCEL_PREFIX", None),
        )

    if request.method == "HEAD":
        response = HttpResponse(content_type=media.mime_type)
    else:
        response = StreamingHttpResponse(
            stream(media.file.storage, media.file.name, start, length),
            content_type=media.mime_type,
        )
    if byte_range:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    common_headers(response, etag, modified)
    return response


def if_range_matches(if_range, etag, modified):
    """If-Range holds a strong ETag or a date; the range applies only if it is still current."""
    if if_range.startswith(('"', "W/")):
        return if_range == etag
    since = parse_http_date_safe(if_range)
    return since is not None and int(modified.timestamp()) <= since


def common_headers(response, etag, modified):
    response["Accept-Ranges"] = "bytes"
    if etag:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
    # Shared caches must not answer for us: every request has to reach the count.
    response["Cache-Control"] = "private"
