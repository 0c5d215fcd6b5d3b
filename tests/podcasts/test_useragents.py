"""The OPAWG lists name who is asking: real user agents of podcast apps, bots and browsers."""

import json

import pytest

from podcasts import counting, useragents


def test_every_pattern_of_the_four_lists_is_read():
    expected = sum(
        len(json.loads((useragents.DATA / name).read_text(encoding="utf-8"))["entries"])
        for name in useragents.FILES.values()
    )

    assert len(useragents.entries()) == expected > 900


@pytest.mark.parametrize(
    "user_agent, expected",
    [
        ("Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0", ("app", "Apple Podcasts")),
        ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", ("app", "Overcast")),
        ("Spotify/8.8.0 iOS/16.4 (iPhone15,2)", ("app", "Spotify")),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            ("bot", "Googlebot"),
        ),
        # curl is in the bots list, which is checked first.
        ("curl/8.5.0", ("bot", "curl")),
        # A library the lists mark "category": "bot" is a bot.
        ("Lavf/58.76.100", ("bot", "ffmpeg")),
        (
            "AppleCoreMedia/1.0.0.20E247 (iPhone; U; CPU OS 16_4 like Mac OS X; en_gb)",
            ("library", "AppleCoreMedia"),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36",
            ("browser", "Chrome"),
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.4 Safari/605.1.15",
            ("browser", "Safari"),
        ),
        ("SomethingNobodyListed/1.0", ("unknown", "")),
        ("", ("unknown", "")),
    ],
)
def test_classify_names_real_user_agents(user_agent, expected):
    assert counting.classify(user_agent) == expected


def test_bots_are_checked_before_apps():
    # Overcast's feed checker starts like the Overcast app; the bots list names it first.
    assert counting.classify("Overcast/1.0 Podcast Sync (123 subscribers; feed-id=456)") == (
        "bot",
        "Overcast feed parser",
    )


def test_patterns_behave_as_they_do_in_javascript():
    named = useragents.python_pattern(r"^App/(?<version>\d+)")
    digits = useragents.python_pattern(r"^App/\d")

    assert named.search("App/12").group("version") == "12"
    assert digits.search("App/\u0663") is None  # an Arabic-Indic three is not \d in JavaScript
