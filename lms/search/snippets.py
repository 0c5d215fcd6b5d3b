"""The few lines under a search result that show why it matched.

The search backend says which pages match, not where: the snippet is the passage of the page's
searchable text that holds most of the searched words (a word of the text that starts with a
searched word counts), with those words marked. A page that matched another way (a stemmed form
such as "paid" for "paying", or only its title) shows its summary instead. Everything is escaped here; only the `<mark>`
elements are markup.
"""

import itertools
import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from wagtail.search import index

BEFORE = 80  # characters of context before the first match
AFTER = 160  # and after it
SUMMARY_WORDS = 40
MATCHES_READ = 50  # of each text, when looking for the passage with the most searched words


def plain(value) -> str:
    """A searchable field's value as one line of text. Rich text comes as a list of its text,
    tags already taken out, from the field's own `get_searchable_content`."""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(part) for part in value)
    return " ".join(str(value or "").split())


def searchable_texts(page) -> list[str]:
    """The page's own searchable fields other than its title, in the order the model lists
    them, as the backend read them."""
    texts = []
    for field in type(page).get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            text = plain(field.get_value(page))
            if text:
                texts.append(text)
    return texts


def words_pattern(words: list[str]) -> re.Pattern | None:
    """Words starting with any of `words`, whole words from their start, any case."""
    words = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)


def marked(text: str, pattern: re.Pattern) -> SafeString:
    """`text` escaped, with each match of `pattern` in a `<mark>`."""
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))


def passage(text: str, match: re.Match) -> str:
    """Up to BEFORE characters before the match and AFTER after it, cut at spaces, with an
    ellipsis where the text goes on."""
    start, end = max(0, match.start() - BEFORE), min(len(text), match.end() + AFTER)
    if start > 0:
        space = text.find(" ", start, match.start())
        start = space + 1 if space != -1 else match.start()
    if end < len(text):
        space = text.rfind(" ", match.end(), end)
        end = space if space != -1 else match.end()
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def best_passage(texts: list[str], words: list[str], pattern: re.Pattern) -> str | None:
    """The passage around a match that holds the most of the searched words, the earliest of
    those (looking at the first MATCHES_READ matches of each text); None when none matches."""
    each = [words_pattern([word]) for word in {w.lower() for w in words}]
    best, best_score = None, 0
    for text in texts:
        for match in itertools.islice(pattern.finditer(text), MATCHES_READ):
            around = passage(text, match)
            score = sum(1 for word in each if word.search(around))
            if score > best_score:
                best, best_score = around, score
    return best


def snippet(page, words: list[str]) -> SafeString:
    """The passage of `page` that matched `words`, or its summary."""
    pattern = words_pattern(words)
    texts = searchable_texts(page)
    found = best_passage(texts, words, pattern) if pattern is not None else None
    if found is not None:
        return marked(found, pattern)
    summary = plain(getattr(page, "summary", "")) or (texts[0] if texts else "")
    return conditional_escape(Truncator(summary).words(SUMMARY_WORDS, truncate="…"))
