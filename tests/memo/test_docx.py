"""The memo as DOCX, read back with python-docx and printed to PDF by LibreOffice."""

from __future__ import annotations

import io
import subprocess

import docx
import pypdf
from docx.oxml.ns import qn

from facilitator.memo import build_memo
from facilitator.memo.docx import render_docx
from tests.memo import seminar as fixture
from tests.memo.tools import soffice


def _read(memo, lang="fi"):
    return docx.Document(io.BytesIO(render_docx(memo, lang=lang)))


def test_word_headings_the_navigation_pane_lists(seminar_memo):
    doc = _read(seminar_memo)
    styles = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styles[0] == ("Title", "Muistion testiseminaari")
    parts = [text for style, text in styles if style == "Heading 1"]
    assert parts[:2] == ["Ohjelma", "Tilaisuus kokonaisuutena"]
    assert len(parts) == 2 + len(seminar_memo.parts) + 1  # + agreements
    activities = [text for style, text in styles if style == "Heading 2"]
    assert activities == [a.activity.title for s in seminar_memo.parts for a in s.activities]
    assert ("Heading 3", "Ryhmä 1") in styles
    # Named styles only: no run carries its own bold, italics, size or font.
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            assert run.bold is None and run.italic is None and run.font.size is None


def test_the_card_is_a_table_of_three_lists(seminar_memo):
    doc = _read(seminar_memo)
    card = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mitä tavoittelimme")
    assert [c.text for c in card.rows[0].cells] == [
        "Mitä tavoittelimme", "Miten työskentelimme", "Mitä tuloksena"]
    aims, how, results = card.rows[1].cells
    assert [p.text for p in aims.paragraphs] == ["Yhteinen kuva lakimuutoksesta"]
    assert [p.text for p in how.paragraphs] == ["Työpajat", "Verkkokeskustelu"]
    assert {p.style.name for p in how.paragraphs} == {"List Bullet"}
    assert [p.text for p in results.paragraphs] == ["Kehittämisen kärjet sovittiin."]


def test_notes_as_typed_and_only_the_visible(seminar_memo):
    doc = _read(seminar_memo)
    items = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert fixture.KNOWN in items and fixture.EDITED in items
    for hostile in fixture.HOSTILE:
        assert hostile in items
    text = "\n".join(p.text for p in doc.paragraphs)
    assert fixture.HIDDEN not in text and fixture.PENDING not in text
    assert fixture.ORIGINAL not in text and items.count("Sama asia kahdesti") == 1
    agreements = doc.tables[-1]
    assert agreements.rows[2].cells[0].text == "<b>Seuraava</b> tapaaminen"


def test_the_language_follows_the_memo(store, seminar_memo):
    def language(doc):
        rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        return rpr.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val"))

    assert language(_read(seminar_memo)) == "fi-FI"
    from tests.memo.test_markdown import fixed_event

    event = fixed_event(store, "demo")
    english = _read(build_memo(store, event.id, "en"), lang="en")
    assert language(english) == "en-US"
    assert english.tables[1].rows[0].cells[0].text == "What we aimed for"


def test_libreoffice_prints_it_to_pdf(seminar_memo, tmp_path):
    command = soffice()
    path = tmp_path / "muistio.docx"
    path.write_bytes(render_docx(seminar_memo))
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with a running one
    done = subprocess.run(
        [command, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "muistio.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr + done.stdout
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert fixture.KNOWN in text and "<script>alert(1)</script>" in text
