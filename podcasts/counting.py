"""Download counting by the IAB Tech Lab Podcast Measurement Technical Guidelines v2.2.

Every audio request calls `record_request()` once its bytes are known (for a range, the length
of the range sent). The rules:

- Only GET counts; HEAD and everything else are ignored.
- Known bots are dropped, by the OPAWG lists (`podcasts/useragents.py`).
- A listener is an address (IPv4 whole, IPv6 cut to its /64) with a user agent, kept only as an
  HMAC-SHA256 keyed by the day's salt (`DailySalt`, Europe/London days). Salts are made with
  `secrets` on first use and deleted once older than yesterday, so no stored hash can be linked
  back to an address.
- A `Listen` is one listener's requests for one episode in the 24 hours from their first
  request. Because the salt changes at midnight, an open window is looked up under today's and
  yesterday's hash.
- Bytes are summed over the window's requests; the first time they reach one minute of audio
  plus the ID3 header (the whole file for an episode under a minute) the listen becomes a
  download (`downloaded_at`), never more than once. A 2-byte probe alone never gets there.
- Addresses sending more than `PODCAST_RATE_LIMIT` requests a minute are refused (429) and
  nothing they send is counted.

Only the hash, the bytes, the times and the app's name are stored: no address and no user agent.
"""

import hashlib
import hmac
import ipaddress
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from podcasts import useragents
from podcasts.models import DailySalt, Listen

LONDON = ZoneInfo("Europe/London")
WINDOW = timedelta(hours=24)
DOWNLOAD_SECONDS = 60
RATE_WINDOW = 60  # seconds


def classify(user_agent):
    """(kind, name) from the OPAWG lists: kind is "bot", "app", "library", "browser" or
    "unknown"; bots are checked first and the first match wins."""
    return useragents.classify(user_agent or "")


def network(ip):
    """The part of an address that identifies a listener: an IPv4 address whole, an IPv6
    address's /64 (one household or phone), an IPv4-mapped IPv6 address as IPv4."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def london_day(at):
    return timezone.localtime(at, LONDON).date()


def salt_for(day, create=True):
    """The secret salt of a day, made on first use; salts older than the day before are deleted
    at the same moment. None when the day has no salt and `create` is false."""
    salt = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if salt or not create:
        return salt
    try:
        with transaction.atomic():
            salt = DailySalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
    except IntegrityError:  # another request made it first
        salt = DailySalt.objects.get(day=day).salt
    DailySalt.objects.filter(day__lt=day - timedelta(days=1)).delete()
    return salt


def listener_hash(salt, ip, user_agent):
    message = f"{network(ip)}\n{user_agent}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def rate_limit():
    return getattr(settings, "PODCAST_RATE_LIMIT", 120)


def admit(ip, at=None):
    """Count one request from an address against its per-minute limit. Returns 0 when the
    request may go on, otherwise the seconds until the address may ask again.

    The cache key is a hash of the address's network with the secret key, so even the cache
    never holds an address; keys expire after two minutes."""
    at = at or timezone.now()
    now = int(at.timestamp())
    start = now - now % RATE_WINDOW
    digest = hmac.new(
        settings.SECRET_KEY.encode(), network(ip).encode(), hashlib.sha256
    ).hexdigest()[:32]
    key = f"podcasts:rate:{digest}:{start}"
    cache.add(key, 0, timeout=RATE_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW * 2)
        count = 1
    if count <= rate_limit():
        return 0
    return max(start + RATE_WINDOW - now, 1)


def download_threshold(episode):
    """Bytes that make a download: one minute of audio plus the ID3 header, or the whole file."""
    return episode.audio.facts().bytes_for_seconds(DOWNLOAD_SECONDS)


def lock_listener(episode, listener):
    """On PostgreSQL, hold a transaction-scoped advisory lock for this listener and episode, so
    two simultaneous range requests cannot both find no open listen and both create one
    (`select_for_update` cannot lock a row that does not exist yet). SQLite needs nothing: with
    `transaction_mode` IMMEDIATE (lms/settings/base.py) a transaction takes the database's
    write lock when it begins, so writers already queue one behind the other."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.sha256(f"{episode.pk}:{listener}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def record_request(
    episode,
    *,
    ip,
    user_agent,
    bytes_sent,
    at=None,
    method="GET",
    admitted=False,
):
    """Add one audio request to its listener's listen; returns that Listen, or None when the
    request does not count at all (not GET, a bot, an address over its limit, no bytes).

    `admitted=True` says the caller has already passed the request through `admit()` (the audio
    view does, to answer 429 before sending anything)."""
    if method.upper() != "GET":
        return None
    at = at or timezone.now()
    if not admitted and admit(ip, at):
        return None
    kind, name = classify(user_agent)
    if kind == "bot" or bytes_sent <= 0:
        return None
    user_agent = user_agent or ""

    day = london_day(at)
    today = listener_hash(salt_for(day), ip, user_agent)
    hashes = [today]
    yesterday_salt = salt_for(day - timedelta(days=1), create=False)
    if yesterday_salt:
        hashes.append(listener_hash(yesterday_salt, ip, user_agent))

    with transaction.atomic():
        lock_listener(episode, today)
        listen = (
            Listen.objects.select_for_update()
            .filter(
                episode=episode,
                listener__in=hashes,
                started_at__gt=at - WINDOW,
                started_at__lte=at,
            )
            .order_by("-started_at")
            .first()
        )
        if listen is None:
            listen = Listen.objects.create(
                episode=episode,
                listener=today,
                started_at=at,
                last_request_at=at,
                bytes_served=bytes_sent,
                requests=1,
                app=name if kind != "unknown" else "",
            )
        else:
            Listen.objects.filter(pk=listen.pk).update(
                bytes_served=F("bytes_served") + bytes_sent,
                requests=F("requests") + 1,
                last_request_at=at,
            )
        # One download per listen: only a listen not yet downloaded, whose bytes have reached
        # the threshold, is marked, in one conditional UPDATE.
        Listen.objects.filter(
            pk=listen.pk,
            downloaded_at__isnull=True,
            bytes_served__gte=download_threshold(episode),
        ).update(downloaded_at=at)
    listen.refresh_from_db()
    return listen
