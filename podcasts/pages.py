"""What the show and episode pages show, and the transcript and chapters files beside an episode.

The transcript is stored as plain text, a line per paragraph; a line that starts with a short
name and a colon ("Amira: Welcome…") is that person speaking. The same text is served as
`transcript/` (text/plain; apps read it through `podcast:transcript`). It has no timings, so we
do not pretend to WebVTT cues: plain text is the honest format.

Chapters are served in the Podcasting 2.0 JSON chapters format (version 1.2.0).
"""

import json
import re
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify

CHAPTERS_TYPE = "application/json+chapters"
TRANSCRIPT_TYPE = "text/plain"

# "Amira:" or "Dr Tom Smith:" at the start of a line; not "Note: see…" deep in a sentence, and
# not a time like "10:30".
SPEAKER = re.compile(r"^(?P<name>[^\W\d][\w .'\u2019-]{0,40}?):\s+(?P<words>.+)$", re.DOTALL)


@dataclass(frozen=True)
class Paragraph:
    speaker: str
    words: str


def transcript_paragraphs(text):
    """The transcript as paragraphs, each with its speaker ("" when the line names none)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n|\n", (text or "").replace("\r\n", "\n")):
        block = block.strip()
        if not block:
            continue
        match = SPEAKER.match(block)
        if match:
            paragraphs.append(Paragraph(match["name"].strip(), match["words"].strip()))
        else:
            paragraphs.append(Paragraph("", block))
    return paragraphs


def duration_parts(seconds):
    seconds = max(0, round(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


def human_duration(seconds):
    """ "12 min 30 s", "1 h 2 min", "45 s"."""
    hours, minutes, secs = duration_parts(seconds)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)


def iso_duration(seconds):
    """ISO 8601 duration for `<time datetime>`: "PT12M30S"."""
    hours, minutes, secs = duration_parts(seconds)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if secs or text == "PT":
        text += f"{secs}S"
    return text


def file_stem(episode):
    return slugify(episode.title) or str(episode.guid)


def transcript_response(episode):
    body = f"{episode.title}\n\n{episode.transcript.strip()}\n"
    response = HttpResponse(body, content_type=f"{TRANSCRIPT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{file_stem(episode)}-transcript.txt"'
    return response


def chapters_document(episode):
    """The Podcasting 2.0 JSON chapters document for an episode."""
    chapters = []
    for chapter in episode.chapters.all():
        entry = {"startTime": chapter.start, "title": chapter.title}
        if chapter.url:
            entry["url"] = chapter.url
        chapters.append(entry)
    show = episode.get_parent()
    return {
        "version": "1.2.0",
        "title": episode.title,
        "podcastName": show.title,
        "chapters": chapters,
    }


def chapters_response(episode):
    response = HttpResponse(
        json.dumps(chapters_document(episode), ensure_ascii=False, indent=2),
        content_type=f"{CHAPTERS_TYPE}; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{file_stem(episode)}-chapters.json"'
    return response
