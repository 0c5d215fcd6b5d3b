"""The downloads, read back without python-docx: zipfile and ElementTree on the raw XML."""

import io
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree

from lms.reports.documents import docx_file, text_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"

TITLE = "Productivity Programme: skills, 2019/20 – the LGA’s report"
PARAGRAPHS = [
    "Four masterclasses for elected members on data and digital transformation took place: "
    "Manchester (24 January), Bristol (31 January), Newcastle (7 February) and London "
    "(14 February).",
    'The councils’ café & market-place event: délégués <welcome> "quoted".',
    "980 council officers enrolled on contract management e-learning across two intakes.",
]


def word_paragraphs(data):
    """(style id, text) of each paragraph in word/document.xml, a line break read as "\\n"."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    found = []
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        text = []
        for node in paragraph.iter():
            if node.tag == f"{W}t":
                text.append(node.text or "")
            elif node.tag == f"{W}br":
                text.append("\n")
        found.append((style.get(f"{W}val") if style is not None else None, "".join(text)))
    return found


def core_title(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    return root.find(f"{DC}title").text


def test_docx_has_the_title_as_a_heading_then_one_paragraph_each():
    data = docx_file(TITLE, PARAGRAPHS)
    assert data[:2] == b"PK"
    assert word_paragraphs(data) == [("Heading1", TITLE)] + [(None, text) for text in PARAGRAPHS]


def test_docx_core_properties_carry_the_title_and_not_the_library():
    when = datetime(2020, 4, 1, 9, 30, tzinfo=UTC)
    data = docx_file(TITLE, PARAGRAPHS, created=when)
    assert core_title(data) == TITLE
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "python-docx" not in core
    assert "2020-04-01T09:30:00Z" in core


def test_docx_special_characters_survive_in_the_raw_xml():
    data = docx_file(TITLE, PARAGRAPHS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "councils’ café &amp; market-place" in xml
    assert "&lt;welcome&gt;" in xml


def test_docx_with_no_paragraphs_is_just_the_heading():
    assert word_paragraphs(docx_file("Empty theme", [])) == [("Heading1", "Empty theme")]


def test_docx_drops_characters_xml_cannot_carry_and_keeps_line_breaks():
    data = docx_file("A\x01title", ["Bell\x07 here", "Two\r\nlines"])
    assert word_paragraphs(data) == [
        ("Heading1", "Atitle"),
        (None, "Bell here"),
        (None, "Two\nlines"),
    ]


def test_text_file_is_utf8_title_blank_line_paragraphs_and_a_final_newline():
    data = text_file(TITLE, PARAGRAPHS)
    assert b"\r" not in data
    text = data.decode("utf-8")
    assert text == TITLE + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    assert "councils’ café & market-place" in text
    assert text.split("\n\n") == [TITLE] + PARAGRAPHS[:-1] + [PARAGRAPHS[-1] + "\n"]


def test_text_file_normalises_carriage_returns_from_a_textarea():
    data = text_file("Title\r\n", ["One\r\ntwo\r\n", "Three\rfour"])
    assert data == b"Title\n\nOne\ntwo\n\nThree\nfour\n"


def test_text_file_with_no_paragraphs():
    assert text_file("Title", []) == b"Title\n"
