"""Download counting on crafted request sequences, by the IAB v2.2 rules (podcasts/counting.py).

Time is passed with `at=`, never waited for."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection

from podcasts import counting
from podcasts.models import DailySalt, Listen

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
APPLE = "Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0"
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
HOME = "203.0.113.10"
NOON = datetime(2020, 2, 20, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def request(episode, at, bytes_sent=None, ip=HOME, user_agent=APPLE, method="GET"):
    if bytes_sent is None:
        bytes_sent = episode.audio.size
    return counting.record_request(
        episode, ip=ip, user_agent=user_agent, bytes_sent=bytes_sent, at=at, method=method
    )


def downloads(episode):
    return Listen.objects.filter(episode=episode, downloaded_at__isnull=False).count()


def test_same_listener_twice_in_24_hours_is_one_download(episode):
    first = request(episode, NOON)
    second = request(episode, NOON + timedelta(hours=23, minutes=59))

    assert first.pk == second.pk
    assert downloads(episode) == 1
    assert second.requests == 2
    assert second.downloaded_at == NOON  # the first time, never moved


def test_same_listener_after_24_hours_is_two_downloads(episode):
    request(episode, NOON)
    request(episode, NOON + timedelta(hours=24))

    assert downloads(episode) == 2


def test_across_midnight_within_24_hours_is_one_download_though_the_salt_changed(episode):
    evening = datetime(2020, 2, 20, 23, 30, tzinfo=LONDON)
    first = request(episode, evening, bytes_sent=2)
    second = request(episode, evening + timedelta(hours=1), bytes_sent=episode.audio.size)

    assert first.pk == second.pk
    assert downloads(episode) == 1
    assert set(DailySalt.objects.values_list("day", flat=True)) == {
        evening.date(),
        evening.date() + timedelta(days=1),
    }


def test_midnight_follows_london_time_not_utc(episode):
    # 23:30 BST on 1 July is 22:30 UTC: the London day is still 1 July.
    request(episode, datetime(2020, 7, 1, 23, 30, tzinfo=LONDON), bytes_sent=2)

    assert list(DailySalt.objects.values_list("day", flat=True)) == [datetime(2020, 7, 1).date()]


def test_salts_older_than_yesterday_are_deleted(episode):
    for day in range(3):
        request(episode, NOON + timedelta(days=day))

    days = sorted(DailySalt.objects.values_list("day", flat=True))
    assert days == [(NOON + timedelta(days=1)).date(), (NOON + timedelta(days=2)).date()]
    assert downloads(episode) == 3


def test_across_the_23_hour_day_within_24_hours_is_one_download(episode):
    # Clocks went forward on Sunday 29 March 2020: Sunday had 23 hours, so 23:30 on Saturday to
    # 00:10 on Monday is 23 hours 40 minutes, and the listen is open under Saturday's salt.
    saturday = datetime(2020, 3, 28, 23, 30, tzinfo=LONDON)
    monday = datetime(2020, 3, 30, 0, 10, tzinfo=LONDON)
    assert monday.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=23, minutes=40)

    first = request(episode, saturday)
    second = request(episode, monday)

    assert first.pk == second.pk
    assert downloads(episode) == 1
    assert second.requests == 2


def test_a_salt_is_deleted_once_no_open_listen_can_need_it(episode):
    saturday = datetime(2020, 3, 28, 23, 30, tzinfo=LONDON)
    request(episode, saturday, bytes_sent=2)
    request(episode, datetime(2020, 3, 30, 0, 10, tzinfo=LONDON), bytes_sent=2)
    assert saturday.date() in DailySalt.objects.values_list("day", flat=True)

    # 01:00 BST on Monday is 24 hours after Sunday began: Saturday's listens are all closed.
    request(episode, datetime(2020, 3, 30, 1, 0, tzinfo=LONDON), bytes_sent=2)
    # (Sunday had no request, so no salt.)
    assert list(DailySalt.objects.values_list("day", flat=True)) == [datetime(2020, 3, 30).date()]


def test_the_listener_hash_needs_the_secret_key_as_well_as_the_salt(episode, settings):
    request(episode, NOON, bytes_sent=2)
    first = Listen.objects.get().listener
    Listen.objects.all().delete()
    salts = list(DailySalt.objects.values_list("day", "salt"))

    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    request(episode, NOON, bytes_sent=2)

    # Same request, same day, same salt in the database: a different key gives another hash.
    assert list(DailySalt.objects.values_list("day", "salt")) == salts
    assert Listen.objects.get().listener != first


def test_the_listener_lock_is_the_same_either_side_of_midnight(episode, monkeypatch):
    # On PostgreSQL simultaneous requests of one listener queue for one advisory lock; a lock
    # that changed at midnight would let 23:59:59 and 00:00:01 both create a listen.
    keys = []
    monkeypatch.setattr(counting.connection, "vendor", "postgresql")
    monkeypatch.setattr(counting, "advisory_lock", keys.append)
    request(episode, datetime(2020, 2, 20, 23, 59, 59, tzinfo=LONDON), bytes_sent=2)
    request(episode, datetime(2020, 2, 21, 0, 0, 1, tzinfo=LONDON), bytes_sent=2)
    after = datetime(2020, 2, 21, 0, 0, 2, tzinfo=LONDON)
    request(episode, after, bytes_sent=2, user_agent=OVERCAST)

    assert len(keys) == 3
    assert keys[0] == keys[1] != keys[2]
    stored = set(Listen.objects.values_list("listener", flat=True))
    assert not any(str(key) in value or f"{key:x}" in value for key in keys for value in stored)


@pytest.mark.parametrize(
    "user_agent",
    [GOOGLEBOT, "curl/8.5.0", "Lavf/58.76.100", "Overcast/1.0 Podcast Sync (+http://overcast.fm/)"],
)
def test_bots_are_not_counted(episode, user_agent):
    assert request(episode, NOON, user_agent=user_agent) is None
    assert not Listen.objects.exists()


def test_a_two_byte_probe_alone_is_not_a_download(episode):
    listen = request(episode, NOON, bytes_sent=2)

    assert listen.bytes_served == 2
    assert listen.downloaded_at is None
    assert downloads(episode) == 0


def test_ranges_adding_up_past_one_minute_are_one_download(episode):
    threshold = episode.audio.facts().bytes_for_seconds(60)
    assert 0 < threshold < episode.audio.size  # a 75-second episode: one minute is part of it

    request(episode, NOON, bytes_sent=2)
    request(episode, NOON + timedelta(seconds=1), bytes_sent=threshold // 2)
    assert downloads(episode) == 0
    request(episode, NOON + timedelta(seconds=30), bytes_sent=threshold - 2 - threshold // 2)
    assert downloads(episode) == 1

    request(episode, NOON + timedelta(minutes=5))  # the whole file again: still one
    listen = Listen.objects.get()
    assert downloads(episode) == 1
    assert listen.requests == 4
    assert listen.downloaded_at == NOON + timedelta(seconds=30)


def test_the_threshold_is_one_minute_of_audio_plus_the_id3_header(episode):
    audio = episode.audio
    header = audio.header_bytes
    assert header > 0  # synth writes an ID3 tag, as audio editors do
    threshold = audio.facts().bytes_for_seconds(60)

    request(episode, NOON, bytes_sent=threshold - 1)
    assert downloads(episode) == 0
    request(episode, NOON + timedelta(seconds=1), bytes_sent=1)
    assert downloads(episode) == 1


def test_an_episode_under_a_minute_needs_the_whole_file(make_episode):
    short = make_episode(seconds=30, number=2)
    size = short.audio.size
    assert short.audio.facts().bytes_for_seconds(60) == size

    request(short, NOON, bytes_sent=size - 1)
    assert downloads(short) == 0
    request(short, NOON + timedelta(seconds=5), bytes_sent=1)
    assert downloads(short) == 1


def test_ipv6_addresses_in_one_slash_64_are_one_listener(episode):
    request(episode, NOON, ip="2001:db8:1234:5678::1")
    request(episode, NOON + timedelta(hours=1), ip="2001:db8:1234:5678:abcd:ef01:2345:6789")

    assert Listen.objects.count() == 1
    assert downloads(episode) == 1


def test_ipv6_addresses_in_different_slash_64s_are_two_listeners(episode):
    request(episode, NOON, ip="2001:db8:1234:5678::1")
    request(episode, NOON + timedelta(hours=1), ip="2001:db8:1234:5679::1")

    assert downloads(episode) == 2


def test_same_address_with_another_app_is_another_listener(episode):
    request(episode, NOON, user_agent=APPLE)
    request(episode, NOON, user_agent=OVERCAST)

    assert downloads(episode) == 2
    assert sorted(Listen.objects.values_list("app", flat=True)) == ["Apple Podcasts", "Overcast"]


def test_head_and_other_methods_are_not_counted(episode):
    assert request(episode, NOON, method="HEAD") is None
    assert request(episode, NOON, method="POST") is None
    assert not Listen.objects.exists()


def test_each_episode_is_counted_on_its_own(episode, make_episode):
    other = make_episode(number=2)
    request(episode, NOON)
    request(other, NOON)

    assert downloads(episode) == 1 and downloads(other) == 1


def test_an_address_over_its_limit_is_not_counted(episode, settings):
    settings.PODCAST_RATE_LIMIT = 2
    answers = [request(episode, NOON + timedelta(seconds=s), bytes_sent=2) for s in range(4)]

    assert [answer is None for answer in answers] == [False, False, True, True]
    assert Listen.objects.get().requests == 2
    # The next minute the address may ask again.
    assert request(episode, NOON + timedelta(minutes=1), bytes_sent=2).requests == 3


def test_no_address_or_user_agent_is_stored(client, episode):
    address = "198.51.100.234"
    six = "2001:db8:beef:cafe::7"
    user_agent = "Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0 DistinctiveDevice42"
    client.get(episode.audio_path(), REMOTE_ADDR=address, HTTP_USER_AGENT=user_agent)
    client.get(episode.audio_path(), REMOTE_ADDR=six, HTTP_USER_AGENT=user_agent)

    assert Listen.objects.count() == 2
    stored = [
        str(getattr(row, field.attname))
        for model in (Listen, DailySalt)
        for row in model.objects.all()
        for field in model._meta.concrete_fields
    ]
    secrets = (address, "198.51.100", six, "2001:db8:beef:cafe", "DistinctiveDevice42", "CFNet")
    for secret in secrets:
        assert not any(secret.lower() in value.lower() for value in stored), secret
    assert set(Listen.objects.values_list("app", flat=True)) == {"Apple Podcasts"}


# Threads need their own connections, so a real transaction: like the booking race tests, the
# database is emptied afterwards (the show fixture rebuilds the page tree it needs).
@pytest.mark.django_db(transaction=True)
def test_simultaneous_range_requests_make_one_listen_and_lose_no_bytes(episode):
    threads, per_thread, chunk = 6, 5, 1000
    barrier = threading.Barrier(threads)
    errors = []

    def listener():
        try:
            barrier.wait()
            for _ in range(per_thread):
                request(episode, NOON, bytes_sent=chunk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=listener) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    listen = Listen.objects.get()
    assert listen.requests == threads * per_thread
    assert listen.bytes_served == threads * per_thread * chunk
