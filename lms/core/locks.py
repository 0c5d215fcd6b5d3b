"""Periodic work that runs once however many machines run the timer.

Every machine may carry the same timers (systemd timers, cron lines, a scheduler's jobs), so two
`booking_housekeeping` runs can start at the same moment on two machines. `held(name)` lets one of
them do the work and tells the other that it did not get the lock; `once_at_a_time(name)` wraps a
management command's `handle` so that the loser says it skipped and exits 0.

On PostgreSQL (production) the lock is a session-level advisory lock, `pg_try_advisory_lock`, on
the command's own database connection. Chosen over a lock in the cache because:
- it lives in the one database every machine already shares, the one the work itself writes to;
- PostgreSQL releases it when the connection ends, so a run killed half-way (kill -9, a machine
  lost) never leaves a lock behind, and no expiry has to be guessed: a cache lock would need a
  timeout longer than the longest run yet short enough not to skip the next ones after a crash;
- it never blocks: the loser is told at once.
The key is a 64-bit hash of the name. A connection pooler in transaction mode (PgBouncer) would
hand the session to others: run these commands on a direct connection, or a session-mode pool.

Other databases (SQLite: development and one machine) have no such lock, so there it is a key in
the shared cache taken with `cache.add` (atomic in every Django cache backend) that expires after
LOCK_TIMEOUT, and is removed at the end by the run that took it.
"""

import hashlib
import secrets
from contextlib import contextmanager
from functools import wraps

from django.core.cache import cache
from django.db import connection

LOCK_TIMEOUT = 60 * 60  # seconds; only for the cache lock (not PostgreSQL)


def advisory_key(name):
    digest = hashlib.sha256(f"lms.core.locks:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def held(name):
    """Yields True when this run holds the lock called `name` (and releases it afterwards), or
    False at once when another run holds it."""
    if connection.vendor == "postgresql":
        key = advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    else:
        key, token = f"lock:{name}", secrets.token_hex(16)
        got = cache.add(key, token, LOCK_TIMEOUT)
        try:
            yield got
        finally:
            if got and cache.get(key) == token:
                cache.delete(key)


def once_at_a_time(name):
    """Decorate a management command's `handle`: the work runs under `held(name)`, and a run that
    finds the lock taken writes that it skipped (and succeeds: the work is being done)."""

    def decorate(handle):
        @wraps(handle)
        def wrapper(self, *args, **options):
            with held(name) as got:
                if not got:
                    self.stdout.write(f"Skipped: {name} is already running elsewhere.")
                    return None
                return handle(self, *args, **options)

        return wrapper

    return decorate
