"""Table cards: every card's QR code, read from the page's own SVG, decodes (zxing-cpp) to
its group's or workshop's address; the page is self-contained and participant text
literal; `facilitator cards` writes it (or a PDF)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import zxingcpp

from facilitator import templates
from facilitator.web import cards
from tests.cli_runner import invoke, ok, refused

BASE = "http://192.168.1.20:8080"
_SVG = re.compile(r'<svg [^>]*viewBox="0 0 (\d+) \1"[^>]*>.*?<path fill="#000000" d="([^"]*)"'
                  r"/></svg>", re.S)
_RUN = re.compile(r"M(\d+),(\d+)h(\d+)v1h-\3z")


def decode_all(html: str, scale: int = 6) -> list[str]:
    """Draw each inline SVG code exactly as its path says (black runs on white), then
    read it as a phone's camera would, with zxing-cpp."""
    found = []
    for size, path in _SVG.findall(html):
        image = np.full((int(size), int(size)), 255, dtype=np.uint8)
        for x, y, run in _RUN.findall(path):
            image[int(y), int(x):int(x) + int(run)] = 0
        assert _RUN.sub("", path) == "", "the path holds only runs of modules"
        big = np.kron(image, np.ones((scale, scale), dtype=np.uint8))
        results = zxingcpp.read_barcodes(big)
        assert len(results) == 1, "each code decodes, once"
        assert results[0].format == zxingcpp.BarcodeFormat.QRCode
        found.append(results[0].text)
    return found


@pytest.fixture
def seminar(store):
    return store.create_event(templates.load(templates.resolve("seminaari-2")))


def expected_urls(store, event) -> list[str]:
    groups = [f"{BASE}/e/{event.join_code}/g/{g.id}"
              for a in store.activities(event.id) for g in store.groups(a.id)]
    return groups + [f"{BASE}/e/{event.join_code}/w/{w.id}" for w in store.workshops(event.id)]


def test_every_cards_qr_code_decodes_to_its_address(store, seminar):
    html = cards.render_cards(store, seminar.id, BASE)
    urls = expected_urls(store, seminar)
    assert len(urls) == 8 + 3 + 3  # buzz groups, process walk groups, workshops
    assert decode_all(html) == urls
    for card in cards.cards(store, seminar.id, BASE):  # each address as text too
        assert f'<p class="url">{card.url}</p>' in html
    assert html.count('class="card group"') == 11 and html.count('class="card workshop"') == 3


def test_one_activitys_cards_and_its_groups_names_as_typed(store, seminar):
    buzz = next(a for a in store.activities(seminar.id) if a.method == "buzz_groups")
    typed = store.add_group(buzz.id, '<script>alert("x")</script> & Pöytä')
    html = cards.render_cards(store, seminar.id, BASE, activity_id=buzz.id)
    assert decode_all(html)[-1] == f"{BASE}/e/{seminar.join_code}/g/{typed.id}"
    assert len(decode_all(html)) == 9  # that activity's groups only, no workshop cards
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Pöytä" in html


def test_the_page_is_self_contained_and_prints_on_a4(store, seminar):
    html = cards.render_cards(store, seminar.id, BASE, lang="en")
    assert "@page { size: A4" in html and '<html lang="en">' in html
    assert not re.search(r'(src|href)="', html)  # nothing to fetch: no file, no network
    assert "Workshop" in html and "Scan the code" in html
    assert 'fill="#000000"' in html and 'fill="#ffffff"' in html


def test_the_cards_command_writes_html_and_pdf(tmp_path):
    db = tmp_path / "cli.db"
    ok(db, "new", "seminaari-2")
    out = tmp_path / "kortit.html"
    assert ok(db, "cards", "1", "-o", out, "--public-url", f"{BASE}/").strip() == \
        f"{out}\t14 cards"
    from facilitator.storage import Store, open_db

    store = Store(open_db(db))
    event = store.event(1)
    assert decode_all(out.read_text(encoding="utf-8")) == expected_urls(store, event)
    # --host and --port build the address as the console's QR code does.
    ok(db, "cards", "1", "-o", out, "--host", "10.1.2.3", "--port", "9000", "--activity", "1")
    assert decode_all(out.read_text(encoding="utf-8"))[0].startswith(
        f"http://10.1.2.3:9000/e/{event.join_code}/g/")
    pytest.importorskip("weasyprint", reason="WeasyPrint is the pdf extra")
    pdf = tmp_path / "kortit.pdf"
    ok(db, "cards", "1", "-o", pdf)
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and len(reader.pages) == 7  # two a sheet
    assert "Ryhmä 1" in reader.pages[0].extract_text()


def test_the_cards_command_refuses_in_one_line(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    ok(db, "new", "demo")  # no groups, no workshops
    assert "no groups or workshops" in refused(db, "cards", "1", "-o", tmp_path / "k.html")
    ok(db, "new", "seminaari-2")
    wrong = invoke(db, "cards", "2", "-o", tmp_path / "k.html", "--public-url",
                   "javascript:alert(1)")
    assert wrong.code == 2 and "is not an http:// or https:// address" in wrong.stderr
    assert "not part of event 2" in refused(db, "cards", "2", "-o", tmp_path / "k.html",
                                            "--activity", "1")
    from facilitator.memo import pdf

    def missing(html):
        raise pdf.PdfUnavailable("no weasyprint")

    monkeypatch.setattr(pdf, "html_to_pdf", missing)
    message = refused(db, "cards", "2", "-o", tmp_path / "k.pdf")
    assert "PDF cards need WeasyPrint" in message and "cards.html" in message
    assert not (tmp_path / "k.pdf").exists()
