"""One log line per request, under the request's id.

`RequestLogMiddleware` stands first in MIDDLEWARE. For each request it picks the request id
(`lms.core.requestid`), serves the request under it — so every log line written meanwhile,
Django's own error reports included, names it — returns it in the `X-Request-ID` header, and
writes one line to the `lms.requests` logger:

    GET /whats-on/ 200 12ms

(the request id is on the line through the log format, `RequestIdFilter`). The path is logged
without its query string (search terms, tokens and filters stay out of the logs) and
percent-encoded again, so a path holding a line break cannot forge a log line. The duration runs
until the response object is ready; a streamed body (a file, an export) may take longer to send.

An incoming `X-Request-ID` is used only when it is a short plain token *and* the settings say a
proxy stands in front (`TRUSTED_PROXY_HOPS` > 0, the one client-address rule of
`lms.core.client`). Such a proxy sets the header itself (nginx: `proxy_set_header X-Request-ID
$request_id;`, which replaces whatever the client sent), so its id ties nginx's log line to ours.
With no proxy in front the header comes straight from the client, who could then choose the id
our log lines are filed under — repeat another request's id to muddle an investigation, or fill
the logs with ids of their own making — so it is ignored and a new id is made.
"""

import logging
import re
import time
import uuid
from urllib.parse import quote

from django.conf import settings

from . import requestid

logger = logging.getLogger("lms.requests")

HEADER = "X-Request-ID"
# Letters, digits and . _ : - only, 8 to 64 of them: nginx's $request_id (32 hex digits), UUIDs
# and load balancers' trace ids fit; spaces, quotes, line breaks and long strings do not.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
# Characters left as they are when the path is encoded again for the log line.
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def new_id():
    return uuid.uuid4().hex


def incoming_id(request):
    """The id a trusted proxy sent in X-Request-ID, or None."""
    if getattr(settings, "TRUSTED_PROXY_HOPS", 0) <= 0:
        return None
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    return value if SANE_ID.fullmatch(value) else None


def loggable_path(request):
    return quote(request.path, safe=PATH_SAFE)


def loggable_method(request):
    method = request.method or "-"
    return method if method.isascii() and method.isalpha() and len(method) <= 16 else "-"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_id(request) or new_id()
        request.request_id = request_id
        started = time.monotonic()
        with requestid.bound(request_id):
            # Exceptions below are turned into responses (404, 500) by Django's handler around
            # each middleware, so a response always comes back here.
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.info(
                "%s %s %s %dms",
                loggable_method(request),
                loggable_path(request),
                response.status_code,
                round((time.monotonic() - started) * 1000),
            )
        return response
