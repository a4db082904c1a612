"""The memo as print-ready HTML: the golden file, valid HTML, literal participant text."""

from __future__ import annotations

import subprocess

from facilitator.memo import build_memo
from facilitator.memo.html import render_blocks, render_html
from facilitator.methods import Bars, Countdown, Heading, Item, Items, Table, Text
from tests.memo import seminar as fixture
from tests.memo.test_markdown import check_golden, fixed_event
from tests.memo.tools import vnu


def test_every_method_against_the_golden_file(seminar_memo):
    check_golden("seminar.html", render_html(seminar_memo))


def test_the_seed_structure_in_english(store):
    event = fixed_event(store, "seminaari-2")
    html = render_html(build_memo(store, event.id), lang="en")
    assert '<html lang="en">' in html
    assert ('<th scope="col">What we aimed for</th><th scope="col">How we worked</th>'
            '<th scope="col">What resulted</th>') in html


def test_self_contained_and_print_ready(seminar_memo):
    html = render_html(seminar_memo)
    # Nothing fetched: no stylesheet, script, image or font from elsewhere.
    for needle in ("<link", "<script", "<img", "@import", "url(", "http://", "https://"):
        assert needle not in html.replace(fixture.HOSTILE[2].replace('"', "&quot;"), "")
    assert "@page" in html and "counter(page)" in html and "break-before: page" in html
    assert html.count('<section class="part">') == len(seminar_memo.parts)
    assert "<svg" in html  # the emotion line's distribution as a chart


def test_hidden_pending_and_folded_notes_stay_out_edited_reads_as_corrected(seminar_memo):
    html = render_html(seminar_memo)
    assert fixture.HIDDEN not in html and fixture.PENDING not in html
    assert fixture.EDITED in html and fixture.ORIGINAL not in html
    assert html.count("Sama asia kahdesti") == 1


def test_hostile_text_is_escaped(seminar_memo):
    html = render_html(seminar_memo)
    assert "<script>" not in html
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert "<li>[bold]x[/]</li>" in html
    assert "<li>=HYPERLINK(&quot;http://x&quot;)</li>" in html
    assert "<td>&lt;b&gt;Seuraava&lt;/b&gt; tapaaminen</td>" in html


def test_every_block_kind():
    html = render_blocks([
        Heading("Pysäkki <1>", 2),
        Text("Yhteenveto\ntoinen rivi", "summary"),
        Items((Item("<b>lihava</b>", "Ryhmä & 2"), Item("rivi\nrivi"))),
        Table(("Sija", "Vaihtoehto"), (("1.", "A | B"),)),
        Bars((("innostaa", 4), ("huolestuttaa", 2)), marker="innostaa"),
        Countdown("2026-12-10T10:00:00+00:00"),
    ])
    assert html == (
        "<h4>Pysäkki &lt;1&gt; (2)</h4>\n"
        '<p class="summary">Yhteenveto<br>toinen rivi</p>\n'
        '<ul class="notes"><li><span class="meta">Ryhmä &amp; 2:</span> '
        "&lt;b&gt;lihava&lt;/b&gt;</li><li>rivi<br>rivi</li></ul>\n"
        '<table><thead><tr><th scope="col">Sija</th><th scope="col">Vaihtoehto</th></tr>'
        "</thead><tbody><tr><td>1.</td><td>A | B</td></tr></tbody></table>\n"
        '<table class="bars"><tbody><tr class="marked"><th scope="row">innostaa ◆</th>'
        '<td class="n">4</td><td class="bar"><svg viewBox="0 0 100 10" '
        'preserveAspectRatio="none" role="img" aria-label="4"><rect x="0" y="1" width="100"'
        ' height="8"/></svg></td></tr><tr><th scope="row">huolestuttaa</th><td class="n">2'
        '</td><td class="bar"><svg viewBox="0 0 100 10" preserveAspectRatio="none" '
        'role="img" aria-label="2"><rect x="0" y="1" width="50" height="8"/></svg></td></tr>'
        "</tbody></table>\n"
    )


def test_the_nu_html_checker_finds_no_errors(seminar_memo, tmp_path):
    command = vnu()
    path = tmp_path / "muistio.html"
    path.write_text(render_html(seminar_memo), encoding="utf-8")
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr + done.stdout
