"""Emails that go once: each has a key naming what it is about, recorded in SentEmail.

A retried task (its worker died, the lease put it back) asks again and is told the email went.
The one window left: the mail server has accepted the message (its reply to DATA) and the worker
dies before the row saying so commits — one UPDATE by primary key, done before the connection to
the server is even closed. Then the retry sends the message again, with the same Message-ID
(derived from the key), so the receiving servers and mail programs can drop the copy, and a
warning is logged. Exactly once over SMTP cannot be had; this is at least once, duplicates only
inside that window."""

import hashlib
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from .models import SentEmail

logger = logging.getLogger(__name__)


def message_id(key):
    """The Message-ID of the email with this key: the same on every attempt and every machine."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def send_once(key, build):
    """Send the email that `build()` makes unless the email with this key went already.
    Returns whether it was sent now."""
    record, created = SentEmail.objects.get_or_create(key=key)
    if record.sent_at:
        logger.info("Email %s went at %s: not sent again", key, record.sent_at.isoformat())
        return False
    if not created:
        SentEmail.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        logger.warning(
            "Email %s: an earlier attempt did not finish; it may have reached the mail server, "
            "so this may be a copy (same Message-ID)",
            key,
        )
    message = build()
    message.extra_headers["Message-ID"] = message_id(key)
    with get_connection() as connection:  # open now, close only after recording
        connection.send_messages([message])
        SentEmail.objects.filter(pk=record.pk).update(sent_at=timezone.now())
    logger.info("Email %s sent as %s", key, message.extra_headers["Message-ID"])
    return True
