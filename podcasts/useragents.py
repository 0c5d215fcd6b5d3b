"""Who is asking for the audio: a bot, a podcast app, a library or a browser, named by the Open
Podcast Analytics Working Group's user-agent lists (`podcasts/data/opawg/`, MIT licence).

The lists are checked in their own order — bots, apps, libraries, browsers — and the first
matching entry wins. A library entry marked `"category": "bot"` (curl-like HTTP clients, ffmpeg)
is a bot. Only the name is ever kept, never the user-agent string itself.
"""

import functools
import json
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "opawg"
ORDER = ("bot", "app", "library", "browser")
FILES = {
    "bot": "opawg_bots.runtime.json",
    "app": "opawg_apps.runtime.json",
    "library": "opawg_libraries.runtime.json",
    "browser": "opawg_browsers.runtime.json",
}
# JavaScript's named group `(?<name>…)` is `(?P<name>…)` in Python 3.11 (look-behinds `(?<=`
# and `(?<!` are the same in both).
JS_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")


def python_pattern(pattern):
    """A list pattern compiled for Python: named groups translated, and `\\d`, `\\w`, `\\s`
    matching ASCII only, as they do in JavaScript."""
    return re.compile(JS_NAMED_GROUP.sub("(?P<", pattern), re.ASCII)


@functools.cache
def entries():
    """[(kind, name, compiled pattern)] in matching order, read once per process."""
    rules = []
    for kind in ORDER:
        with open(DATA / FILES[kind], encoding="utf-8") as handle:
            for entry in json.load(handle)["entries"]:
                entry_kind = "bot" if entry.get("category") == "bot" else kind
                rules.append((entry_kind, entry["name"], python_pattern(entry["pattern"])))
    return tuple(rules)


@functools.lru_cache(maxsize=4096)
def classify(user_agent):
    """(kind, name): kind is "bot", "app", "library", "browser" or "unknown"."""
    if not user_agent:
        return ("unknown", "")
    for kind, name, pattern in entries():
        if pattern.search(user_agent):
            return (kind, name)
    return ("unknown", "")
