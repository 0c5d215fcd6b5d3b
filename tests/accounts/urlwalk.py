"""Every URL pattern the site answers, found by walking Django's resolver (not a hand-kept list).

Each pattern comes with a sample URL: the route itself when it takes no parameters, otherwise the
route with each parameter filled with a plausible value ("1" for numbers, "x" for text), and a
flag saying whether the sample needed such values. A pattern shadowed by an earlier one (as
lms/urls.py shadows some of Wagtail's) is left out: its sample URL resolves to another view."""

import re
from dataclasses import dataclass

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
}


@dataclass(frozen=True)
class Pattern:
    url: str
    callback: object
    name: str | None
    has_parameters: bool


def _route_piece(pattern):
    text = str(pattern)
    filled = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), text)
    return filled, filled != text


def _regex_piece(pattern):
    """A regex's text with each top-level group replaced by "1" (a guess that fits digits and
    words), anchors dropped and escapes undone."""
    text = pattern.regex.pattern.lstrip("^").rstrip("$").replace(r"\Z", "")
    out, depth, had_group = [], 0, False
    for char in text:
        if char == "(":
            if depth == 0:
                out.append("1")
                had_group = True
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    filled = re.sub(r"\\(.)", r"\1", "".join(out))
    return filled.replace("?", "").replace("*", "").replace("+", ""), had_group


def walk(resolver=None, prefix="/", has_parameters=False):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry.pattern, RoutePattern):
            piece, params = _route_piece(entry.pattern)
        elif isinstance(entry.pattern, RegexPattern):
            piece, params = _regex_piece(entry.pattern)
        else:  # pragma: no cover - no locale prefixes on this site
            raise AssertionError(f"unexpected pattern {entry.pattern!r}")
        url = prefix + piece
        if isinstance(entry, URLResolver):
            yield from walk(entry, url, has_parameters or params)
        elif isinstance(entry, URLPattern):
            yield Pattern(url, entry.callback, entry.name, has_parameters or params)


def reachable_patterns():
    """Every pattern whose sample URL resolves to its own view (shadowed ones left out)."""
    found = {}
    for pattern in walk():
        try:
            match = resolve(pattern.url)
        except Resolver404:
            found.setdefault(pattern.url, pattern)  # a guess that did not fit: keep it anyway
            continue
        if match.func is pattern.callback:
            found.setdefault(pattern.url, pattern)
    return list(found.values())
