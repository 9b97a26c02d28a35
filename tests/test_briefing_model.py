"""The briefing pack's content and command line, without a browser: the brief of each seed
department is built from a temporary build of data/raw, and its figures, names and references are
checked against the parquet datasets read here (not against the brief's own model)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from briefing import build_brief
from briefing.__main__ import app
from briefing.model import NOT_APPLICABLE

ROOT = Path(__file__).resolve().parents[1]
SEED_IDS = ("hanyang", "urumqi", "yueyang", "handan", "miluo")


@pytest.fixture(scope="session")
def seed_data(tmp_path_factory) -> Path:
    """The datasets of the five seeds, built once per session the README's way."""
    out = tmp_path_factory.mktemp("brief-data")
    run = subprocess.run([sys.executable, "-m", "loaders", "build", str(ROOT / "data" / "raw"), "--out", str(out), "-q"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="session")
def brief_of(seed_data):
    """build_brief, once per departments and language in the session."""
    made: dict[tuple, object] = {}

    def get(ids, lang: str = "zh"):
        key = (tuple(ids), lang)
        if key not in made:
            made[key] = build_brief(list(ids), lang=lang, data_dir=seed_data)
        return made[key]

    return get


def section(brief, key: str):
    return next(s for s in brief.sections if s.key == key).messages[0]


def read(data: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data / f"{name}.parquet")


def table_texts(brief, messages=None) -> list[list[str]]:
    return [[c.text(brief.lang) for c in row] for m in (messages or brief.messages()) if m.table
            for row in m.table.rows]


@pytest.mark.parametrize("eid", SEED_IDS)
def test_department_brief_order_name_and_documents(seed_data, brief_of, eid) -> None:
    docs = read(seed_data, "documents")
    own = docs[docs["entity_id"] == eid]
    brief = brief_of([eid])
    assert [s.key for s in brief.sections] == ["cover", "headline", "gaps", "sangong", "projects", "indicators", "audit"]
    assert own["entity_name"].iloc[0] in brief.title
    assert {d.file for d in brief.documents} == {Path(f).name for f in own["source_file"]}
    assert {d.sha256 for d in brief.documents} == set(own["sha256"])
    # every reference the brief uses is a line of its document
    n_lines = dict(zip(own["doc_id"], own["n_lines"], strict=True))
    for ref in brief.refs():
        assert ref.doc_id in n_lines
        if ref.source_ref:
            assert ref.source_ref.startswith("L") and 1 <= int(ref.source_ref[1:]) <= n_lines[ref.doc_id]


@pytest.mark.parametrize("eid", SEED_IDS)
def test_sangong_total_and_refs_equal_the_dataset(seed_data, brief_of, eid) -> None:
    sg = read(seed_data, "sangong")
    sg = sg[(sg["entity_id"] == eid) & (sg["item"] == "total") & (sg["origin"].fillna("") != "derived")]
    brief = brief_of([eid])
    msg = next(s for s in brief.sections if s.key == "sangong").messages[0]
    cells = {(c.value, c.ref.source_ref) for row in msg.table.rows for c in row if c.kind == "money" and c.ref}
    for r in sg.to_dict("records"):
        assert (round(r["amount"], 2), r["source_ref"]) in {(round(v, 2), s) for v, s in cells if v is not None}


@pytest.mark.parametrize("eid", SEED_IDS)
def test_flagged_projects_and_failed_checks_equal_the_dataset(seed_data, brief_of, eid) -> None:
    proj = read(seed_data, "projects")
    proj = proj[(proj["entity_id"] == eid) & (proj["scope"] != "department")
                & (proj["origin"].fillna("self_eval") != "declaration")]
    rate = proj["actual"] / proj["budget_adjusted"].where(proj["budget_adjusted"] != 0)
    outside = proj[(rate < 0.9) | (rate > 1.0)]
    brief = brief_of([eid])
    rows = table_texts(brief, [section(brief, "projects")])
    for r, x in zip(outside.to_dict("records"), rate[outside.index], strict=True):
        assert any(r["project"] in row and f"{x:.1%}" in row and any(r["source_ref"] in c for c in row) for row in rows)
    checks = read(seed_data, "checks")
    fails = checks[(checks["entity_id"] == eid) & (checks["status"] == "fail")]
    audit = next(s for s in brief.sections if s.key == "audit").messages[0]
    if fails.empty:
        assert audit.table is None
    else:
        assert audit.title.startswith(f"{len(fails)} 项核查不符")
        shown = {(row[1].value, row[-1].value) for row in audit.table.rows}
        assert shown <= set(zip(fails["rule"], fails["source_ref"], strict=True))


def test_headline_figures_are_printed_at_their_refs(seed_data, brief_of) -> None:
    lines, proj = read(seed_data, "budget_lines"), read(seed_data, "projects")
    printed = {(d, r, m, round(a, 2)) for d, r, m, a in zip(lines["doc_id"], lines["source_ref"], lines["measure"],
                                                             lines["amount"], strict=True)}
    for m in ("budget_initial", "budget_adjusted", "actual"):
        printed |= {(d, r, m, round(a, 2)) for d, r, a in zip(proj["doc_id"], proj["source_ref"], proj[m], strict=True)
                    if pd.notna(a)}
    phase = {"年初预算": "budget_initial", "调整预算": "budget_adjusted", "决算": "actual"}
    for eid in SEED_IDS:
        brief = brief_of([eid])
        head = next(s for s in brief.sections if s.key == "headline").messages[0]
        got = [(row[1].ref.doc_id, row[1].ref.source_ref, phase[row[0].value], round(row[1].value, 2))
               for row in head.table.rows if row[0].value in phase and row[1].value is not None]
        assert got, eid
        assert set(got) <= printed, eid


def test_budget_only_department_states_what_it_cannot_show(seed_data, brief_of) -> None:
    brief = brief_of(["handan"])
    head = next(s for s in brief.sections if s.key == "headline").messages[0]
    assert "没有实际支出" in head.title and "不能计算执行率" in head.title
    by_phase = {row[0].value: row[1] for row in head.table.rows}
    assert by_phase["决算"].value is None and by_phase["决算"].state == NOT_APPLICABLE
    assert by_phase["执行率"].value is None and by_phase["执行率"].text("zh") == "不适用"
    # a zero appears only where the dataset prints one
    sg = read(seed_data, "sangong")
    zeros = sg[(sg["entity_id"] == "handan") & (sg["amount"] == 0)]
    shown = [c for m in brief.messages() if m.table for row in m.table.rows for c in row
             if c.kind == "money" and c.value == 0]
    assert len(shown) == len(zeros)
    assert all((c.ref.doc_id, c.ref.source_ref) in set(zip(zeros["doc_id"], zeros["source_ref"], strict=True))
               for c in shown)
    projects = next(s for s in brief.sections if s.key == "projects").messages[0]
    assert "预算文件没有实际支出" in projects.sentences[0]


def test_department_without_sangong_says_so(seed_data, tmp_path) -> None:
    for f in seed_data.glob("*.parquet"):
        df = pd.read_parquet(f)
        if f.stem in ("sangong", "sangong_counts") and "entity_id" in df:
            df = df[df["entity_id"] != "hanyang"]
        df.to_parquet(tmp_path / f.name)
    brief = build_brief(["hanyang"], data_dir=tmp_path)
    msg = next(s for s in brief.sections if s.key == "sangong").messages[0]
    assert msg.title == "三公经费：文档未披露" and msg.table is None
    assert "不是 0" in msg.sentences[0]


def test_comparison_of_three(seed_data, brief_of) -> None:
    ids = ["hanyang", "urumqi", "handan"]
    brief = brief_of(ids)
    assert brief.kind == "comparison"
    assert [s.key for s in brief.sections] == ["cover", "headline", "sangong", "projects", "indicators", "caveats"]
    docs = read(seed_data, "documents")
    staff = dict(zip(docs["entity_id"], docs["staff_count"], strict=True))
    sg = read(seed_data, "sangong")
    per_staff = next(s for s in brief.sections if s.key == "sangong").messages[0]
    for eid, row in zip(ids, per_staff.table.rows, strict=True):
        actual = sg[(sg["entity_id"] == eid) & (sg["item"] == "total") & (sg["measure"] == "actual")]
        if actual.empty or pd.isna(staff[eid]):
            assert row[3].value is None
        else:
            assert row[3].value == pytest.approx(actual["amount"].iloc[0] * 10000 / staff[eid])
    hard = next(s for s in brief.sections if s.key == "caveats").messages[0]
    assert any("2022" in s and "2023" in s for s in hard.sentences)
    assert any("预算文件只有预算数" in s for s in hard.sentences)


def test_english_brief_labels(seed_data, brief_of) -> None:
    brief = brief_of(["urumqi"], "en")
    assert brief.lang == "en" and brief.title.endswith("brief")
    assert next(s for s in brief.sections if s.key == "headline").messages[0].title.startswith("Execution")
    assert all("未披露" not in t for row in table_texts(brief) for t in row)


@pytest.mark.parametrize(("args", "code", "says"), [
    (["--entity", "nowhere", "--out", "x.pdf"], 2, "--entity nowhere"),
    (["--entity", "hanyang", "--year", "1999", "--out", "x.pdf"], 2, "--year 1999"),
    (["--entity", "hanyang", "--out", "x.docx"], 2, ".pdf or .pptx"),
    (["--entity", "hanyang", "--lang", "fr", "--out", "x.pdf"], 2, "--lang fr"),
    (["--entity", "hanyang", "--out", "/nonexistent-folder/x.pdf"], 1, "does not exist"),
])
def test_bad_input_is_one_line_and_an_exit_status(seed_data, tmp_path, args, code, says) -> None:
    args = [a if a not in ("x.pdf", "x.docx") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(app, [*args, "--data", str(seed_data)])
    assert result.exit_code == code
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_datasets_are_named(tmp_path) -> None:
    result = CliRunner().invoke(app, ["--entity", "hanyang", "--out", str(tmp_path / "x.pdf"), "--data",
                                      str(tmp_path)])
    assert result.exit_code == 1
    assert "documents.parquet missing" in result.stderr


def test_gap_reason_is_the_clause_the_document_states(seed_data) -> None:
    from briefing.gaps import largest_gaps, reason_in

    assert reason_in("年初预算为 1662.50 万元，支出 1102.76 万元。主要原因为厉行节约，压减开支。") == "主要原因为厉行节约，压减开支"
    assert reason_in("年初预算为 1662.50 万元，支出 1102.76 万元。") is None
    lines, text = read(seed_data, "budget_lines"), read(seed_data, "lines")
    gaps = largest_gaps(lines[lines["entity_id"] == "hanyang"], text)
    top = gaps.iloc[0]
    # 汉阳 L489: "住房保障支出(类)支出年初预算为940.79万元，决算支出18621.92万元，…，主要是中央资金拨款增加。"
    assert (top["item"], top["a"], top["b"], top["a_ref"]) == ("住房保障支出", 940.79, 18621.92, "L489")
    assert top["reason"].startswith("主要是中央资金拨款增加")


def test_brief_is_importable_without_streamlit() -> None:
    code = "import sys, briefing, briefing.department, briefing.compare, briefing.pdf, briefing.slides; " \
           "sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
