"""`facilitator memo` in every format: chosen by --format or by the file's extension."""

from __future__ import annotations

import pytest

from tests.cli_runner import ok, refused


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    ok(path, "new", "demo")
    return path


def test_the_extension_chooses_the_format(db, tmp_path):
    out = tmp_path / "muistio.html"
    assert ok(db, "memo", "1", "-o", out).strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = tmp_path / "muistio.md"
    ok(db, "memo", "1", "-o", md)
    assert md.read_text(encoding="utf-8").startswith("# Kokeiluseminaari (demo)")


def test_format_wins_over_the_extension_and_unknown_extensions_are_markdown(db, tmp_path):
    out = tmp_path / "muistio.txt"
    ok(db, "memo", "1", "-o", out)
    assert out.read_text(encoding="utf-8").startswith("# Kokeiluseminaari")
    ok(db, "memo", "1", "--format", "html", "-o", out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_html_to_a_pipe(db):
    assert ok(db, "memo", "1", "--format", "html").startswith("<!DOCTYPE html>")


def test_english(db, tmp_path):
    out = tmp_path / "memo.html"
    ok(db, "memo", "1", "--lang", "en", "-o", out)
    assert "What we aimed for" in out.read_text(encoding="utf-8")


def test_the_archive_is_a_format_too(db, tmp_path):
    import json

    out = tmp_path / "arkisto.json"
    ok(db, "memo", "1", "-o", out)  # by the extension (tests/memo/test_archive.py: the rest)
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 1


def test_spreadsheets_by_extension(db, tmp_path):
    import openpyxl

    out = tmp_path / "muistio.csv"
    ok(db, "memo", "1", "-o", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfevent,part,activity")
    book = tmp_path / "muistio.xlsx"
    ok(db, "memo", "1", "-o", book)
    assert openpyxl.load_workbook(book).sheetnames[0] == "Vastaukset"


def test_a_binary_format_is_not_printed_to_a_terminal(db, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    # A pseudo-terminal as stdout: one line saying to give -o, nothing written.
    main, child = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "facilitator", "--db", str(db), "memo", "1",
                           "--format", "xlsx"], stdout=child, stderr=subprocess.PIPE,
                          text=True, timeout=60, check=False)
    os.close(child)
    os.close(main)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "give a file with -o" in done.stderr


def test_docx_by_extension_and_to_a_pipe(db, tmp_path):
    import io

    import docx

    out = tmp_path / "muistio.docx"
    ok(db, "memo", "1", "-o", out)
    assert docx.Document(out).paragraphs[0].style.name == "Title"
    from click.testing import CliRunner

    from facilitator.cli import main

    # CliRunner's stdout is not a terminal: the bytes go out as they are.
    piped = CliRunner().invoke(main, ["--db", str(db), "memo", "1", "--format", "docx"])
    assert piped.exit_code == 0
    assert docx.Document(io.BytesIO(piped.stdout_bytes)).paragraphs[0].text.startswith("Kokeilu")


def test_pdf_by_extension(db, tmp_path):
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra")
    out = tmp_path / "muistio.pdf"
    ok(db, "memo", "1", "-o", out)
    assert out.read_bytes().startswith(b"%PDF")


ENGLISH = """\
[event]
title = "Regional seminar"
lang = "en"
aims = ["To hear the region"]

[[parts]]
title = "Workshop"

[[parts.activities]]
method = "question"
title = "What matters?"
"""


def test_the_memo_speaks_the_events_language_and_lang_overrides(tmp_path):
    template = tmp_path / "english.toml"
    template.write_text(ENGLISH, encoding="utf-8")
    db = tmp_path / "en.db"
    ok(db, "new", template)
    english = ok(db, "memo", "1")
    assert "What we aimed for" in english and "Mitä tavoittelimme" not in english
    finnish = ok(db, "memo", "1", "--lang", "fi")
    assert "Mitä tavoittelimme" in finnish and "What we aimed for" not in finnish
    html = tmp_path / "memo.html"
    ok(db, "memo", "1", "-o", html)
    assert '<html lang="en">' in html.read_text(encoding="utf-8")


def test_an_event_without_a_language_is_finnish_and_lang_en_overrides(db):
    assert "Mitä tavoittelimme" in ok(db, "memo", "1")
    assert "What we aimed for" in ok(db, "memo", "1", "--lang", "en")


def test_a_template_language_the_memo_cannot_speak_is_refused(tmp_path):
    template = tmp_path / "swedish.toml"
    template.write_text(ENGLISH.replace('lang = "en"', 'lang = "sv"'), encoding="utf-8")
    db = tmp_path / "sv.db"
    message = refused(db, "new", template)
    assert message.endswith(f"{template}: event.lang: must be one of fi, en, not 'sv'"), message


def test_the_archive_carries_the_events_language(tmp_path):
    import json

    template = tmp_path / "english.toml"
    template.write_text(ENGLISH, encoding="utf-8")
    db = tmp_path / "en.db"
    ok(db, "new", template)
    archive = tmp_path / "archive.json"
    ok(db, "memo", "1", "-o", archive)
    assert json.loads(archive.read_text(encoding="utf-8"))["event"]["lang"] == "en"
    other = tmp_path / "other.db"
    ok(other, "import", archive)
    assert "What we aimed for" in ok(other, "memo", "1")
