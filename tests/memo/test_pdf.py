"""The memo as PDF: WeasyPrint's from the HTML memo, and the HTML memo printed by Chromium
(what a person gets from the browser's Print). Both read back with pypdf."""

from __future__ import annotations

import io

import pypdf
import pytest

from facilitator.memo.html import render_html
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
