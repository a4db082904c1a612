"""The memo as PDF: WeasyPrint's from the HTML memo, and the HTML memo printed by Chromium
(what a person gets from the browser's Print). Both read back with pypdf."""

from __future__ import annotations

import io

import pypdf
import pytest

from facilitator.memo.html import PDF_RUN, PDF_TABLE_ROWS, render_blocks, render_html
from facilitator.methods import Item, Items, Table
from tests.memo import seminar as fixture
from tests.memo.tools import chromium


def _text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_weasyprint_lays_the_memo_out_on_a4(seminar_memo):
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra")
    from facilitator.memo.pdf import render_pdf

    data = render_pdf(seminar_memo)
    pages, text = _text(data)
    assert data.startswith(b"%PDF")
    assert pages > len(seminar_memo.parts)  # each part starts a page
    assert fixture.KNOWN in text and "<script>alert(1)</script>" in text
    assert fixture.HIDDEN not in text
    assert f"1 / {pages}" in text  # the page numbers
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (210, 297)


def test_chromium_prints_the_html_memo(seminar_memo):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: (requests.append(route.request.url),
                                              route.abort()))
            page.set_content(render_html(seminar_memo))
            data = page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
    assert requests == []  # self-contained: nothing was asked for
    pages, text = _text(data)
    assert pages > len(seminar_memo.parts)
    assert fixture.KNOWN in text and "<script>alert(1)</script>" in text
    assert fixture.HIDDEN not in text


def test_the_pdf_variant_has_the_same_notes_as_runs_of_lines(seminar_memo):
    screen, paged = render_html(seminar_memo), render_html(seminar_memo, pdf=True)
    assert fixture.KNOWN in paged and "&lt;script&gt;alert(1)&lt;/script&gt;" in paged
    assert fixture.HIDDEN not in paged and fixture.PENDING not in paged
    assert '<ul class="notes">' in screen and '<ul class="notes">' not in paged
    assert paged.count("• ") == screen.count("<li>") - paged.count("<li>")


def test_long_lists_and_tables_become_bounded_runs():
    items = Items(tuple(Item(f"huomio {n}\ntoinen rivi", meta="ryhmä") for n in range(60)))
    html = render_blocks([items], pdf=True)
    assert html.count('<div class="lines">') == -(-60 // PDF_RUN)
    assert "• ryhmä: huomio 0\n   toinen rivi\n• ryhmä: huomio 1" in html
    rows = tuple((f"aihe {n}", "", "<b>") for n in range(PDF_TABLE_ROWS + 1))
    html = render_blocks([Table(("Aihe", "Kuka", "Tila"), rows)], pdf=True)
    assert "<table" not in html and '<p class="lines-head">Aihe · Kuka · Tila</p>' in html
    assert "aihe 0 · – · &lt;b&gt;" in html
    short = render_blocks([Table(("Aihe",), rows[:PDF_TABLE_ROWS])], pdf=True)
    assert short.startswith("<table")
