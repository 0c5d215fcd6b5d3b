"""Episode audio over HTTP: byte ranges as podcast apps and browsers ask for them, the methods
allowed, and the three ways of handing the bytes over after counting."""

import re

import pytest
from django.core.cache import cache

from podcasts.models import Listen

pytestmark = pytest.mark.django_db

OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # each test starts with every address under its per-minute limit


@pytest.fixture
def data(episode):
    with episode.audio.file.open("rb") as handle:
        return handle.read()


def get(client, episode, byte_range=None, **headers):
    if byte_range is not None:
        headers["HTTP_RANGE"] = byte_range
    headers.setdefault("HTTP_USER_AGENT", OVERCAST)
    return client.get(episode.audio_path(), **headers)


def body(response):
    return b"".join(response.streaming_content)


def test_whole_file_with_headers_for_players(client, episode, data):
    response = get(client, episode)

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(data)) == str(episode.audio.size)
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert "Content-Range" not in response
    assert body(response) == data


@pytest.mark.parametrize(
    "header, first, last",
    [
        ("bytes=0-1", 0, 1),  # the probe Apple's players send first
        ("bytes=1000-1999", 1000, 1999),  # the middle
        ("bytes=-500", None, None),  # the last 500 bytes
        ("bytes=5000-", 5000, None),  # from a point to the end
        ("bytes=100-999999999", 100, None),  # past the end: cut to the file
        ("bytes=0-0", 0, 0),
    ],
)
def test_a_single_range_is_answered_206_with_exactly_those_bytes(
    client, episode, data, header, first, last
):
    size = len(data)
    if header == "bytes=-500":
        first, last = size - 500, size - 1
    last = size - 1 if last is None else last

    response = get(client, episode, header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == data[first : last + 1]


def test_a_suffix_longer_than_the_file_sends_the_whole_file(client, episode, data):
    response = get(client, episode, f"bytes=-{len(data) + 10}")

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
    assert body(response) == data


@pytest.mark.parametrize("header", ["bytes={size}-", "bytes={size}-{bigger}", "bytes=-0"])
def test_a_range_outside_the_file_is_416_with_the_size(client, episode, data, header):
    size = len(data)
    response = get(client, episode, header.format(size=size, bigger=size + 100))

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert not Listen.objects.exists()


@pytest.mark.parametrize(
    "header", ["bytes=abc", "items=0-1", "bytes=", "bytes=-", "bytes=9-3", "bytes=0-1,5-6"]
)
def test_a_range_we_cannot_honour_is_ignored_and_the_whole_file_sent(client, episode, data, header):
    # RFC 9110 §14.2: a server may ignore Range; several ranges would need multipart replies.
    response = get(client, episode, header)

    assert response.status_code == 200
    assert "Content-Range" not in response
    assert body(response) == data


@pytest.mark.parametrize("header", ["bytes={n}-", "bytes=0-{n}", "bytes=-{n}", "bytes={n}-{n}"])
def test_a_range_with_an_absurdly_long_number_is_ignored_not_an_error(
    client, episode, data, header
):
    # Far past Python's 4,300-digit limit for int(): a header we cannot read, not a crash.
    response = get(client, episode, header.format(n="9" * 5000))

    assert response.status_code == 200
    assert "Content-Range" not in response
    assert body(response) == data


@pytest.mark.parametrize("header", ["Bytes=0-1", "BYTES=0-1", "bYtEs=0-1"])
def test_the_range_unit_is_case_insensitive(client, episode, data, header):
    # RFC 9110 §14.1: range units are compared case-insensitively.
    response = get(client, episode, header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{len(data)}"
    assert body(response) == data[:2]


def test_head_has_the_headers_and_no_body_and_counts_nothing(client, episode, data):
    whole = client.head(episode.audio_path(), HTTP_USER_AGENT=OVERCAST)
    part = client.head(episode.audio_path(), HTTP_USER_AGENT=OVERCAST, HTTP_RANGE="bytes=0-1")

    assert whole.status_code == 200
    assert whole["Content-Length"] == str(len(data))
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "audio/mpeg"
    assert whole.content == b""
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-1/{len(data)}"
    assert part.content == b""
    assert not Listen.objects.exists()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_and_head_are_allowed(client, episode, method):
    response = getattr(client, method)(episode.audio_path())

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert not Listen.objects.exists()


def test_unknown_guid_wrong_extension_and_unpublished_episodes_are_404(
    client, episode, make_episode
):
    draft = make_episode(number=2, publish=False)
    withdrawn = make_episode(number=3)
    withdrawn_path = withdrawn.audio_path()
    withdrawn.unpublish()

    assert client.get(episode.audio_path().replace(".mp3", ".m4a")).status_code == 404
    assert client.get(f"/podcasts/audio/{draft.guid}.mp3").status_code == 404
    assert client.get(withdrawn_path).status_code == 404
    assert client.get("/podcasts/audio/6b5e3d0e-0f7e-4c55-9d4e-0c2f2c1d7a10.mp3").status_code == 404
    assert client.get(episode.audio_path()).status_code == 200


def test_if_range_keeps_the_range_only_while_the_file_is_unchanged(client, episode, data):
    etag = get(client, episode, "bytes=0-1")["ETag"]

    current = get(client, episode, "bytes=10-19", HTTP_IF_RANGE=etag)
    stale = get(client, episode, "bytes=10-19", HTTP_IF_RANGE='"an-older-file"')

    assert current.status_code == 206 and body(current) == data[10:20]
    assert stale.status_code == 200 and body(stale) == data


def test_a_probe_then_the_rest_is_one_download(client, episode, data):
    get(client, episode, "bytes=0-1")
    assert Listen.objects.get().downloaded_at is None

    get(client, episode, "bytes=2-")

    listen = Listen.objects.get()
    assert listen.bytes_served == len(data)
    assert listen.requests == 2
    assert listen.downloaded_at is not None
    assert listen.app == "Overcast"


def test_x_accel_redirect_counts_then_lets_nginx_send_the_bytes(client, episode, settings):
    settings.PODCAST_AUDIO_DELIVERY = "x-accel-redirect"
    settings.PODCAST_ACCEL_PREFIX = "/protected-media/"

    response = get(client, episode, "bytes=0-999")

    assert response.status_code == 200  # nginx turns it into the 206
    assert response["X-Accel-Redirect"] == "/protected-media/" + episode.audio.file.name
    assert response["Content-Type"] == "audio/mpeg"
    assert response.content == b""
    assert Listen.objects.get().bytes_served == 1000


def test_redirect_counts_then_sends_the_player_to_storage(client, episode, settings):
    settings.PODCAST_AUDIO_DELIVERY = "redirect"

    response = get(client, episode)

    assert response.status_code == 302
    assert response["Location"] == episode.audio.file.url
    assert response["Cache-Control"] == "no-store"
    listen = Listen.objects.get()
    assert listen.bytes_served == episode.audio.size
    assert listen.downloaded_at is not None


def test_the_audio_follows_the_sites_protected_file_delivery_unless_told_otherwise(
    client, episode, data, settings
):
    # One choice for every file handed out after a check (certificates too)...
    settings.PROTECTED_FILE_DELIVERY = "x-accel-redirect"
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/internal-files/"
    response = get(client, episode)
    assert response["X-Accel-Redirect"] == "/internal-files/" + episode.audio.file.name
    assert response.content == b""
    # ...and the podcast's own setting, where set, for the audio alone.
    settings.PODCAST_AUDIO_DELIVERY = "django"
    response = get(client, episode, "bytes=0-1")
    assert response.status_code == 206 and body(response) == data[:2]
    assert "X-Accel-Redirect" not in response


@pytest.mark.parametrize("mode", ["django", "x-accel-redirect", "redirect"])
def test_every_mode_refuses_unsatisfiable_ranges_itself(client, episode, settings, mode):
    settings.PODCAST_AUDIO_DELIVERY = mode

    response = get(client, episode, f"bytes={episode.audio.size}-")

    assert response.status_code == 416
    assert not Listen.objects.exists()


def test_an_address_over_its_limit_gets_429_and_is_not_counted(
    client, episode, settings, still_clock
):
    settings.PODCAST_RATE_LIMIT = 3

    answers = [get(client, episode, "bytes=0-1").status_code for _ in range(5)]

    assert answers == [206, 206, 206, 429, 429]
    refused = get(client, episode, "bytes=0-1")
    assert 1 <= int(refused["Retry-After"]) <= 60
    listen = Listen.objects.get()
    assert listen.requests == 3 and listen.bytes_served == 6
    # Another address is not held back by the first one.
    assert get(client, episode, "bytes=0-1", REMOTE_ADDR="198.51.100.7").status_code == 206


def test_one_ipv6_network_shares_one_limit_and_the_next_has_its_own(
    client, episode, settings, still_clock
):
    settings.PODCAST_RATE_LIMIT = 2

    answers = [
        get(client, episode, "bytes=0-1", REMOTE_ADDR=address).status_code
        for address in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::9")
    ]

    assert answers == [206, 206, 429]
    assert get(client, episode, "bytes=0-1", REMOTE_ADDR="2001:db8:1:3::1").status_code == 206


@pytest.mark.parametrize(
    "address, traces",
    [
        ("203.0.113.7", ["203.0.113.7"]),
        ("2001:db8:beef:cafe::7", ["2001:db8:beef:cafe", "2001:0db8:beef:cafe"]),
    ],
)
def test_audio_requests_leave_no_client_address_in_the_cache(client, episode, address, traces):
    assert get(client, episode, "bytes=0-1", REMOTE_ADDR=address).status_code == 206

    keys = list(cache._cache)  # LocMemCache in tests
    assert keys, "the request was not counted against a limit"
    for trace in traces:
        assert not any(trace in key.lower() for key in keys), (trace, keys)


def test_uploaded_audio_is_stored_under_an_unguessable_directory(episode, make_episode):
    # Not media/<uploaded name>, which anyone could guess and fetch past the count (or before
    # the episode is published): podcast-audio/<32 random hex digits>/<uploaded name>.
    other = make_episode(number=2, publish=False)
    names = [episode.audio.file.name, other.audio.file.name]

    for name, uploaded in zip(names, ["episode-75s.mp3", "episode-75s.mp3"], strict=True):
        assert re.fullmatch(r"podcast-audio/[0-9a-f]{32}/" + re.escape(uploaded), name), name
    assert names[0].split("/")[1] != names[1].split("/")[1]
    assert episode.audio.file.storage.exists(names[0])


def test_a_private_episode_or_show_is_not_served_or_counted(client, make_episode):
    from wagtail.models import PageViewRestriction

    from podcasts.models import Listen

    private = make_episode(number=2)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert client.get(private.audio_path(), HTTP_RANGE="bytes=0-").status_code == 404

    public = make_episode(number=3)
    assert client.get(public.audio_path(), HTTP_RANGE="bytes=0-1").status_code == 206
    PageViewRestriction.objects.create(
        page=public.get_parent(), restriction_type="password", password="members-only"
    )
    assert client.get(public.audio_path(), HTTP_RANGE="bytes=0-").status_code == 404
    assert not Listen.objects.filter(episode=private).exists()


def test_a_counted_range_request_costs_at_most_five_queries(
    client, episode, data, django_assert_max_num_queries
):
    """Players ask for 64 KB at a time all through an episode: finding the episode, the day's
    salts and the totals are not read again for each, and the listen is written in one
    statement. (Here the transaction's savepoint and its release count as two.)"""
    assert get(client, episode, "bytes=0-65535").status_code == 206  # a new listen
    for start in (65536, 131072):
        with django_assert_max_num_queries(5):
            response = get(client, episode, f"bytes={start}-{start + 65535}")
        assert response.status_code == 206 and body(response) == data[start : start + 65536]
    listen = Listen.objects.get()
    assert (listen.requests, listen.bytes_served) == (3, 3 * 65536)
    from podcasts.counting import download_threshold

    assert (listen.downloaded_at is not None) == (download_threshold(episode) <= 3 * 65536)
