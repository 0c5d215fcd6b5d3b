"""A report's paragraphs as a download: plain text, or a Word document to paste into board papers.

Both are functions of their arguments that return bytes; they write no files and know nothing of
HTTP (the views set the filenames and the content types).
"""

import io
import re
from datetime import UTC, datetime

from docx import Document

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

# Characters XML 1.0 cannot carry (C0 controls other than tab and newline, surrogates, U+FFFE and
# U+FFFF): lxml refuses them, so one pasted from elsewhere would fail the whole download.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _lines(text: str) -> str:
    """Newlines as "\\n" whatever the text came with (a textarea sends "\\r\\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title(title: str) -> str:
    return " ".join(_lines(title).split())


def text_file(title: str, paragraphs: list[str]) -> bytes:
    """UTF-8: the title, a blank line, the paragraphs separated by blank lines, a final newline."""
    parts = [_title(title)] + [_lines(paragraph).strip("\n") for paragraph in paragraphs]
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def docx_file(title: str, paragraphs: list[str], *, created: datetime | None = None) -> bytes:
    """A Word document: the title as Heading 1, then one Word paragraph per paragraph.

    Heading 1 rather than Word's "Title" style: screen readers and the navigation pane treat it as
    a heading. The document's properties carry the title and no "python-docx" author or comment
    from the library's template; `created` (default now) dates it.
    """
    title = NOT_XML.sub("", _title(title))
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.created = properties.modified = created or datetime.now(UTC)
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        # python-docx writes a newline inside a paragraph as a line break (<w:br/>).
        document.add_paragraph(NOT_XML.sub("", _lines(paragraph).strip("\n")))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
