"""Download counting by the IAB Tech Lab Podcast Measurement Technical Guidelines v2.2.

Every audio request calls `record_request()` once its bytes are known (for a range, the length
of the range sent). The rules:

- Only GET counts; HEAD and everything else are ignored.
- Known bots are dropped, by the OPAWG lists (`podcasts/useragents.py`).
- A listener is an address (IPv4 whole, IPv6 cut to its /64) with a user agent, kept only as an
  HMAC-SHA256 keyed by `SECRET_KEY` and the day's salt together (`DailySalt`, Europe/London
  days), so the database alone cannot test guessed addresses. Salts are made with `secrets` on
  first use and deleted once no open listen can need them, so no stored hash can be linked
  back to an address.
- A `Listen` is one listener's requests for one episode in the 24 hours from their first
  request. Because the salt changes at midnight, an open window is looked up under the hash of
  every London day those 24 hours touch: yesterday and today, or three days after the 23-hour
  day in March.
- Bytes are summed over the window's requests; the first time they reach one minute of audio
  plus the ID3 header (the whole file for an episode under a minute) the listen becomes a
  download (`downloaded_at`), never more than once. A 2-byte probe alone never gets there.
- Addresses (IPv6: one /64) sending more than `PODCAST_RATE_LIMIT` requests a minute are
  refused (429) and nothing they send is counted (the site's one limiter, `lms/core/ratelimit.py`).

Only the hash, the bytes, the times and the app's name are stored: no address and no user agent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lms.core import ratelimit
from lms.core.client import network
from lms.core.time import LONDON
from podcasts import useragents
from podcasts.models import DailySalt, Listen

if TYPE_CHECKING:
    from podcasts.models import EpisodePage

WINDOW = timedelta(hours=24)
DOWNLOAD_SECONDS = 60
SALTS_TIMEOUT = 5 * 60  # seconds the day's salts are kept in the cache (current_salts)
RATE_WINDOW = 60  # seconds


def classify(user_agent: str | None) -> tuple[str, str]:
    """(kind, name) from the OPAWG lists: kind is "bot", "app", "library", "browser" or
    "unknown"; bots are checked first and the first match wins."""
    return useragents.classify(user_agent or "")


def london_day(at: datetime) -> date:
    return timezone.localtime(at, LONDON).date()


def window_days(at: datetime) -> list[date]:
    """Every Europe/London day touched by the 24 hours up to `at`: an open listen started on one
    of them. Usually yesterday and today; three days after the 23-hour day in March."""
    at = at.astimezone(UTC)
    first, last = london_day(at - WINDOW), london_day(at)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def window_salts(at: datetime) -> dict[date, str]:
    """{day: salt} for the days of `window_days(at)`, today's made on first use with `secrets`.
    Salts of days before them can no longer be needed by an open listen and are deleted here, so
    no salt outlives the listens it could tie to a listener."""
    days = window_days(at)
    today = days[-1]
    salts = dict(DailySalt.objects.filter(day__lte=today).values_list("day", "salt"))
    if today not in salts:
        try:
            with transaction.atomic():
                salts[today] = DailySalt.objects.create(day=today, salt=secrets.token_hex(32)).salt
        except IntegrityError:  # another request made it first
            salts[today] = DailySalt.objects.get(day=today).salt
    if any(day < days[0] for day in salts):
        DailySalt.objects.filter(day__lt=days[0]).delete()
    return {day: salts[day] for day in days if day in salts}


def current_salts(at: datetime) -> dict[date, str]:
    """`window_salts(at)`, read once every few minutes rather than on every audio request: a
    day's salt never changes once made. Kept in the cache under the days of the window, for at
    most SALTS_TIMEOUT seconds: when the window moves on, the next request reads them again (and
    `window_salts` deletes the salt that left it)."""
    from django.core.cache import cache

    key = "podcasts:salts:" + ",".join(day.isoformat() for day in window_days(at))
    salts = cache.get(key)
    if salts is None:
        salts = window_salts(at)
        cache.set(key, salts, SALTS_TIMEOUT)
    return salts


def listener_hash(salt: str, ip: str, user_agent: str) -> str:
    """HMAC-SHA256 of the listener keyed by the secret key and the day's salt together: the salt
    alone, as a database dump would show it, is not enough to test guessed addresses."""
    message = f"{network(ip)}\n{user_agent}".encode()
    key = f"{settings.SECRET_KEY}\n{salt}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def rate_limit() -> int:
    return getattr(settings, "PODCAST_RATE_LIMIT", 120)


def admit(ip: str, at: datetime | None = None) -> int | None:
    """Count one audio request from an address against `PODCAST_RATE_LIMIT` a minute, with the
    site's one limiter (`lms/core/ratelimit.py`: the cache key is a hash of the address's network
    keyed by the secret key, so even the cache never holds an address). Returns None when the
    request may go on, otherwise the seconds until the address may ask again."""
    return ratelimit.retry_after("podcast-audio", ip, limit=rate_limit(), window=RATE_WINDOW, at=at)


def download_threshold(episode: EpisodePage) -> int:
    """Bytes that make a download: one minute of audio plus the ID3 header, or the whole file."""
    return episode.audio.facts().bytes_for_seconds(DOWNLOAD_SECONDS)


def lock_key(episode: EpisodePage, ip: str, user_agent: str) -> int:
    """The advisory lock's key for one listener and episode: a keyed hash of the address's
    network and the user agent that does not change at midnight (so requests either side of it
    queue for one lock), used only as the lock's number and never stored."""
    message = f"{episode.pk}\n{network(ip)}\n{user_agent}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def advisory_lock(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def lock_listener(episode: EpisodePage, ip: str, user_agent: str) -> None:
    """On PostgreSQL, hold a transaction-scoped advisory lock for this listener and episode, so
    two simultaneous range requests cannot both find no open listen and both create one
    (`select_for_update` cannot lock a row that does not exist yet). SQLite needs nothing: with
    `transaction_mode` IMMEDIATE (lms/settings/base.py) a transaction takes the database's
    write lock when it begins, so writers already queue one behind the other."""
    if connection.vendor != "postgresql":
        return
    advisory_lock(lock_key(episode, ip, user_agent))


def record_request(
    episode: EpisodePage,
    *,
    ip: str,
    user_agent: str | None,
    bytes_sent: int,
    at: datetime | None = None,
    method: str = "GET",
    admitted: bool = False,
) -> Listen | None:
    """Add one audio request to its listener's listen; returns that Listen, or None when the
    request does not count at all (not GET, a bot, an address over its limit, no bytes).

    `admitted=True` says the caller has already passed the request through `admit()` (the audio
    view does, to answer 429 before sending anything)."""
    if method.upper() != "GET":
        return None
    # In UTC: arithmetic on an aware datetime is done on its wall clock, so `at - WINDOW` in
    # London time would be 25 or 23 hours on the days the clocks change.
    at = (at or timezone.now()).astimezone(UTC)
    if not admitted and admit(ip, at):
        return None
    kind, name = classify(user_agent)
    if kind == "bot" or bytes_sent <= 0:
        return None
    user_agent = user_agent or ""

    salts = current_salts(at)
    today = listener_hash(salts[london_day(at)], ip, user_agent)
    hashes = [listener_hash(salt, ip, user_agent) for salt in salts.values()]
    threshold = download_threshold(episode)

    # The listen row is locked (or, for a new listener, the advisory lock held) until the end of
    # the transaction, so the new totals are computed here and written in one statement.
    with transaction.atomic():
        lock_listener(episode, ip, user_agent)
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
            return Listen.objects.create(
                episode=episode,
                listener=today,
                started_at=at,
                last_request_at=at,
                bytes_served=bytes_sent,
                requests=1,
                app=name if kind != "unknown" else "",
                # One download per listen, when its bytes reach the threshold.
                downloaded_at=at if bytes_sent >= threshold else None,
            )
        listen.bytes_served += bytes_sent
        listen.requests += 1
        listen.last_request_at = at
        if listen.downloaded_at is None and listen.bytes_served >= threshold:
            listen.downloaded_at = at
        listen.save(update_fields=["bytes_served", "requests", "last_request_at", "downloaded_at"])
    return listen
