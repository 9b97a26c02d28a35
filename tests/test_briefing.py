"""The briefing pack as files: every seed department's brief and a comparison of three, as PDF
(Chromium via Playwright) and PPTX (python-pptx), opened again with pdfplumber and python-pptx; the
figures, names and source references in them are checked against the parquet datasets. One page of
each is rendered to test-artifacts/briefing/ for a look."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from pptx import Presentation

from briefing.fonts import FAMILY
from tests.test_briefing_model import ROOT, SEED_IDS, brief_of, read, seed_data  # noqa: F401 - session fixtures

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts" / "briefing"
COMPARED = ("hanyang", "urumqi", "handan")


@pytest.fixture(scope="session")
def briefs(brief_of, tmp_path_factory):  # noqa: F811
    """Every brief in both formats, laid out once in this process from the session's briefs (one
    Chromium for the PDFs, one for the charts, each chart drawn once for both formats)."""
    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    from briefing import pdf, render_brief

    out = tmp_path_factory.mktemp("briefs")
    made = {}
    for key in [*[(e,) for e in SEED_IDS], COMPARED]:
        for fmt in ("pdf", "pptx"):
            made[(key, fmt)] = render_brief(brief_of(key), out / f"{'-'.join(key)}.{fmt}")
    yield made
    pdf.close()


def pdf_text(path: Path) -> tuple[str, list]:
    """The PDF's text layer as a reader copies it out (nothing folded or normalised)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(path) as doc:
        pages = list(doc.pages)
        text = "\n".join(p.extract_text() or "" for p in pages)
        sizes = [(round(p.width), round(p.height)) for p in pages]
        fonts = {c["fontname"] for p in pages[:1] for c in p.chars}
    return text, [sizes, fonts]


def pptx_parts(path: Path) -> tuple[list[str], list[list[list[str]]], list[str], int]:
    prs = Presentation(str(path))
    titles, tables, notes, pictures = [], [], [], 0
    for s in prs.slides:
        titles.append(s.shapes.title.text if s.shapes.title is not None else "")
        for sh in s.shapes:
            if sh.has_table:
                tables.append([[c.text for c in row.cells] for row in sh.table.rows])
            pictures += sh.shape_type == 13
        notes.append(s.notes_slide.notes_text_frame.text if s.has_notes_slide else "")
    return titles, tables, notes, pictures


def sangong_totals(data: Path, eid: str) -> pd.DataFrame:
    sg = read(data, "sangong")
    return sg[(sg["entity_id"] == eid) & (sg["item"] == "total") & (sg["origin"].fillna("") != "derived")]


@pytest.mark.parametrize("eid", SEED_IDS)
def test_pdf_brief_names_figures_and_sources(briefs, seed_data, eid) -> None:  # noqa: F811
    docs = read(seed_data, "documents")
    own = docs[docs["entity_id"] == eid]
    text, (sizes, fonts) = pdf_text(briefs[((eid,), "pdf")])
    flat = text.replace("\n", "")
    assert all(s == (596, 843) or s == (595, 842) for s in sizes)  # A4
    assert any(FAMILY.replace(" ", "") in f for f in fonts)  # the derived font (briefing.fonts), embedded
    assert own["entity_name"].iloc[0] in flat
    for f, sha in zip(own["source_file"], own["sha256"], strict=True):
        assert Path(f).name in flat and sha[:12] in flat  # the sources appendix
    assert f"1 / {len(sizes)}" in text  # page numbers
    for r in sangong_totals(seed_data, eid).to_dict("records"):
        assert f"{r['amount']:,.2f}" in flat and r["source_ref"] in flat
    fails = read(seed_data, "checks")
    n = int(((fails["entity_id"] == eid) & (fails["status"] == "fail")).sum())
    if n:
        assert f"{n} 项核查不符" in flat


@pytest.mark.parametrize("eid", SEED_IDS)
def test_pptx_brief_tables_notes_and_pictures(briefs, seed_data, eid) -> None:  # noqa: F811
    docs = read(seed_data, "documents")
    own = docs[docs["entity_id"] == eid]
    titles, tables, notes, pictures = pptx_parts(briefs[((eid,), "pptx")])
    assert own["entity_name"].iloc[0] in titles[0]
    assert titles[-1] == "来源" and all(Path(f).name in notes[-1] for f in own["source_file"])
    assert pictures >= 1 and len(tables) >= 3  # charts as pictures, figures as real tables
    rows = [row for t in tables for row in t]
    for r in sangong_totals(seed_data, eid).to_dict("records"):
        assert any(f"{r['amount']:,.2f}" in row for row in rows)
        assert any(r["source_ref"] in n for n in notes)
    proj = read(seed_data, "projects")
    proj = proj[(proj["entity_id"] == eid) & (proj["scope"] != "department")
                & (proj["origin"].fillna("self_eval") != "declaration")]
    rate = proj["actual"] / proj["budget_adjusted"].where(proj["budget_adjusted"] != 0)
    for r, x in zip(proj[(rate < 0.9) | (rate > 1.0)].to_dict("records"), rate[(rate < 0.9) | (rate > 1.0)],
                    strict=True):
        assert any(r["project"] in row and f"{x:.1%}" in row and any(r["source_ref"] in c for c in row)
                   for row in rows)
    # every slide with a table names its sources in the notes
    assert all(n for n in notes)


RADICALS = re.compile("[\u2e80-\u2fdf]")  # CJK radicals supplement, Kangxi radicals


def radical_twins() -> set[str]:
    """The ideographs that Noto Sans CJK SC draws with the glyph of a radical (木 and ⽊, 门 and ⻔)."""
    from briefing.fonts import sc_face, source

    src = source("Regular")
    if src is None:
        pytest.skip("Noto Sans CJK not installed")
    cmap = sc_face(src).getBestCmap()
    radical_glyphs = {g for cp, g in cmap.items() if 0x2E80 <= cp <= 0x2FDF}
    return {chr(cp) for cp, g in cmap.items() if g in radical_glyphs and not 0x2E80 <= cp <= 0x2FDF}


def test_pdf_text_copies_out_ideographs_not_radicals(briefs, seed_data) -> None:  # noqa: F811
    """Regression: the text layer said ⽊ (U+2F4A) for 木, since Chromium maps a glyph back to the lowest
    code point the font gives it; the brief's font is a copy without those code points."""
    docs = read(seed_data, "documents")
    twins = radical_twins()
    names = {eid: docs.loc[docs["entity_id"] == eid, "entity_name"].iloc[0] for eid in SEED_IDS}
    at_risk = [eid for eid, name in names.items() if twins & set(name)]
    assert at_risk  # e.g. 乌鲁木齐市…: 木 and 齐 share their glyphs with ⽊ and ⻬
    for key in [*[(e,) for e in SEED_IDS], COMPARED]:
        text, _ = pdf_text(briefs[(key, "pdf")])
        assert not RADICALS.search(text), (key, RADICALS.findall(text)[:5])
        flat = text.replace("\n", "")
        assert twins & set(flat)  # 文档, 项目, 支出 …: the twins are everywhere, and come out as printed
        for eid in key:
            assert names[eid] in flat
        if len(key) == 1:
            assert flat.count(f"{names[key[0]]} 简报") >= 2  # the title, and the footer of each page


def test_budget_only_brief_shows_no_actuals(briefs) -> None:
    text, _ = pdf_text(briefs[(("handan",), "pdf")])
    assert "预算文件没有实际支出" in text.replace("\n", "")
    _, tables, _, _ = pptx_parts(briefs[(("handan",), "pptx")])
    head = next(t for t in tables if t[0][0] == "阶段")
    by_phase = {row[0]: row[1] for row in head[1:]}
    assert by_phase["决算"] == "不适用" and by_phase["执行率"] == "不适用"


def test_comparison_in_both_formats(briefs, seed_data) -> None:  # noqa: F811
    docs = read(seed_data, "documents")
    text, _ = pdf_text(briefs[(COMPARED, "pdf")])
    flat = text.replace("\n", "")
    titles, tables, notes, pictures = pptx_parts(briefs[(COMPARED, "pptx")])
    for eid in COMPARED:
        name = docs.loc[docs["entity_id"] == eid, "entity_name"].iloc[0]
        assert name in flat and any(name in c for t in tables for row in t for c in row)
        staff = docs.loc[docs["entity_id"] == eid, "staff_count"].iloc[0]
        actual = sangong_totals(seed_data, eid)
        actual = actual[actual["measure"] == "actual"]
        if pd.notna(staff) and not actual.empty:
            per = f"{actual['amount'].iloc[0] * 10000 / staff:,.2f}"
            assert per in flat and any(per in row for t in tables for row in t)
    assert pictures >= 2 and titles[-1] == "来源"
    assert any("难以直接比较" in t for t in titles)


def test_one_page_of_each_as_png(briefs) -> None:
    import pypdfium2

    from briefing.preview import slide_png

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for key, name in ((("hanyang",), "hanyang"), (COMPARED, "comparison")):
        doc = pypdfium2.PdfDocument(str(briefs[(key, "pdf")]))
        page = doc[1]
        page.render(scale=1.3).to_pil().save(ARTIFACTS / f"{name}-pdf-page2.png")
        page.close()
        doc.close()
        slide_png(briefs[(key, "pptx")], 1, ARTIFACTS / f"{name}-pptx-slide2.png")
    assert len(list(ARTIFACTS.glob("*.png"))) >= 4


def test_command_line_writes_a_deck(briefs, seed_data, tmp_path) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from briefing.__main__ import app

    out = tmp_path / "yueyang.pptx"
    result = CliRunner().invoke(app, ["--entity", "yueyang", "--lang", "en", "--data", str(seed_data),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    titles, tables, notes, _ = pptx_parts(out)
    assert titles[1].startswith("Execution") and titles[-1] == "Sources"
