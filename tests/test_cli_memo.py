"""`facilitator memo` in every format: chosen by --format or by the file's extension."""

from __future__ import annotations

import pytest

from tests.cli_runner import ok


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
