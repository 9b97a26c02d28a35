"""Changes stated in prose ("比上年减少 19.69 万元，下降 43.68%"): golden rows per seed (checked
by hand against the text, line numbers in comments), a perturbation (the row follows the
document), the traps (reasons, "基本持平", "本年数小于上年预算数的…"), and property tests at
the parsing edge: any amount / percent written in the shapes below is read back with its sign."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.narrative import extract
from loaders.identity.entities import Entity
from loaders.readers import read_source
from loaders.readers.source import Source, lines_from_text

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
URUMQI = RAW / "urumqi-housing-2023-final-accounts.txt"
HANYANG = RAW / "wuhan-hanyang-housing-2023-final-accounts.txt"
HANDAN = RAW / "handan-housing-2022-budget.txt"

_ENTITY = Entity(entity_id="t", name="某某局", short="某某", city="", province="", admin_level="")


def _meta(doc_kind: str, year: int) -> DocumentMeta:
    return DocumentMeta(doc_kind=doc_kind, scope="department", entity=_ENTITY, year=year, title="t")


def _run_source(source: Source, doc_kind: str, year: int) -> Extraction:
    ex = Extraction()
    extract(source, _meta(doc_kind, year), ex)
    return ex


def _run(text: str, doc_kind: str = "final_accounts", year: int = 2023) -> Extraction:
    return _run_source(Source(Path("t.txt"), "txt", "0", lines_from_text(text)), doc_kind, year)


def _changes(ex: Extraction) -> dict[tuple[str, str], tuple]:
    """(item, against) → (current, change, pct, source_ref) of the first row."""
    out: dict[tuple[str, str], tuple] = {}
    for r in ex.rows.get("stated_changes", []):
        out.setdefault((r["item"], r["against"]),
                       (r["current_amount"], r["change_amount"], r["change_pct"], r["source_ref"]))
    return out


def _derived(ex: Extraction, dataset: str) -> dict[tuple[str, str], float]:
    return {(r["item"], r["measure"]): r["amount"] for r in ex.rows.get(dataset, []) if r.get("origin") == "derived"}


@pytest.fixture(scope="module")
def urumqi():
    return _run_source(read_source(URUMQI), "final_accounts", 2023)


def test_urumqi_sangong_changes(urumqi):
    got = {(r["dataset"], r["item"]): r for r in urumqi.rows["stated_changes"] if r["dataset"] == "sangong"}
    # L176: 财政拨款“三公”经费支出 25.39 万元，比上年减少 19.69 万元，下降 43.68%
    total = got[("sangong", "total")]
    assert (total["measure"], total["against"]) == ("actual", "prior_year_actual")
    assert (total["current_amount"], total["change_amount"], total["change_pct"]) == (25.39, -19.69, -0.4368)
    assert total["source_ref"] == "L176"
    # L176: 因公出国（境）费支出 0.00 万元，占 0.00%，比上年增加 0.00 万元，增长 0.00%
    outbound = got[("sangong", "outbound_travel")]
    assert (outbound["current_amount"], outbound["change_amount"]) == (0.0, 0.0)
    # L176: 公务用车购置及运行维护费支出 25.39 万元，占 100.00%，比上年减少 19.69 万元，下降 43.68%
    vehicles = got[("sangong", "vehicle_total")]
    assert (vehicles["current_amount"], vehicles["change_amount"], vehicles["change_pct"]) == (25.39, -19.69, -0.4368)
    # the prior year's figures these give: derived, never printed
    assert _derived(urumqi, "sangong") == {("total", "prior_year_actual"): 45.08,
                                           ("outbound_travel", "prior_year_actual"): 0.0,
                                           ("vehicle_total", "prior_year_actual"): 45.08,
                                           ("official_reception", "prior_year_actual"): 0.0}


def test_urumqi_totals_and_classes(urumqi):
    got = _changes(urumqi)
    # L98 收入总计 637,229.42; L102: 收入支出总体与上年相比，增加 136,749.69 万元，增长 27.32%
    assert got[("收入总计", "prior_year_actual")] == (637229.42, 136749.69, 0.2732, "L102")
    # L126: 一般公共预算财政拨款支出 507,109.93 万元 …。与上年相比，增加 206,749.59 万元，增长 68.83%
    assert got[("一般公共预算财政拨款支出", "prior_year_actual")] == (507109.93, 206749.59, 0.6883, "L126")
    # L150-152: 行政运行(项):支出决算数为1,192.15万元,比上年决算减少47.05 / 万元，下降 3.80%
    assert got[("行政运行", "prior_year_actual")] == (1192.15, -47.05, -0.038, "L150")
    # L164: 灾害风险防治(项):支出决算数为 0.00 万元，比上年决算减少 5.00 万元，下降 100.00%
    assert got[("灾害风险防治", "prior_year_actual")] == (0.0, -5.0, -1.0, "L164")
    # L231: 机关运行经费支出 150.12 万元,比上年增加 28.81 万元,增长 23.75%
    assert got[("机关运行经费支出", "prior_year_actual")] == (150.12, 28.81, 0.2375, "L231")
    derived = _derived(urumqi, "budget_lines")
    assert derived[("行政运行", "prior_year_actual")] == pytest.approx(1239.20)
    assert derived[("机关运行经费支出", "prior_year_actual")] == pytest.approx(121.31)
    # L233: "(事业单位)公用经费 253.36 万元,比上年增加 33.73 万元": not the department's
    # 公用经费 (no level row), so no statement about it either
    assert not [r for r in urumqi.rows["stated_changes"] if r["change_amount"] == 33.73]
    # L186: 与全年预算相比 … 预决算差异率-0.82%: a rate, not a stated change
    assert not [r for r in urumqi.rows["stated_changes"] if r["against"] == "budget_adjusted"]


def test_hanyang_and_handan():
    hanyang = _changes(_run_source(read_source(HANYANG), "final_accounts", 2023))
    # L450: 一般公共预算财政拨款收入21,488.85万元，比 2022 年度决算数增加1386.81万元，增长6.4%%
    assert hanyang[("一般公共预算财政拨款收入", "prior_year_actual")] == (21488.85, 1386.81, 0.064, "L450")
    # L426: 收入合计21,488.85万元，与2022年度相比，收入合计增加1386.81万元，增长6.4%
    assert hanyang[("收入合计", "prior_year_actual")] == (21488.85, 1386.81, 0.064, "L426")
    handan = _run_source(read_source(HANDAN), "budget", 2022)
    got = _changes(handan)
    # L462: 三公经费预算安排7.22万元 …。与2021年相比增加0.37万元 (the total, not 公务接待费)
    assert got[("total", "prior_year_budget")] == (7.22, 0.37, None, "L462")
    assert _derived(handan, "sangong") == {("total", "prior_year_budget"): 6.85}
    # L450 基本支出1965万元; L454: 较2021年预算增加…，其中：基本支出减少112.19万元
    assert got[("基本支出", "prior_year_budget")] == (1965.0, -112.19, None, "L454")
    assert got[("项目支出", "prior_year_budget")] == (85026.86, 18624.57, None, "L454")


def test_perturbed_seed_row_follows(tmp_path):
    text = URUMQI.read_text(encoding="utf-8")
    old = "“三公”经费支出 25.39 万元，比上年减少 19.69 万元，下降 43.68%"
    assert old in text
    copy = tmp_path / URUMQI.name
    copy.write_text(text.replace(old, "“三公”经费支出 25.39 万元，比上年增加 7.5 万元，增长 41.89%"), encoding="utf-8")
    ex = _run_source(read_source(copy), "final_accounts", 2023)
    row = next(r for r in ex.rows["stated_changes"] if r["dataset"] == "sangong" and r["item"] == "total")
    assert (row["change_amount"], row["change_pct"]) == (7.5, 0.4189)
    assert _derived(ex, "sangong")[("total", "prior_year_actual")] == pytest.approx(17.89)


def test_stated_zero_is_a_change_of_zero():
    ex = _run("1．因公出国（境）费预算支出 180 万元，本年数与上年数持平，零增长。\n"
              "（1）公务用车购置费 0 万元，与上年数一致。\n"
              "3．法院（款）机关服务（项）支出 1600 万元，与上年一致。\n", doc_kind="budget", year=2017)
    got = _changes(ex)
    assert got[("outbound_travel", "prior_year_budget")][:3] == (180.0, 0.0, 0.0)
    assert got[("vehicle_purchase", "prior_year_budget")][:3] == (0.0, 0.0, None)  # 0 → 0: no rate
    assert got[("机关服务", "prior_year_budget")][:3] == (1600.0, 0.0, 0.0)
    assert len(ex.rows["stated_changes"]) == 3  # 持平 and 零增长 are one statement
    assert _derived(ex, "sangong")[("outbound_travel", "prior_year_budget")] == 180.0


def test_against_follows_the_words():
    ex = _run("公务接待费预算支出 412.50 万元，比上年预算减少 31 万元。\n"
              "会议费预算支出 884.16 万元，比上年决算减少 210.46 万元。\n", doc_kind="budget", year=2018)
    got = _changes(ex)
    assert got[("official_reception", "prior_year_budget")][:2] == (412.5, -31.0)
    assert got[("会议费", "prior_year_actual")][:2] == (884.16, -210.46)
    fa = _changes(_run("基本支出 100 万元，比年初预算增加 5 万元。\n基本支出 100 万元，比上年增加 4 万元。\n"))
    assert fa[("基本支出", "budget_initial")][:2] == (100.0, 5.0)
    assert fa[("基本支出", "prior_year_actual")][:2] == (100.0, 4.0)


def test_no_statement_where_none_is_made():
    ex = _run(
        "（1）公务用车购置预算支出 0 万元，本年数小于上年预算数的主要原因是当年未安排公务用车购置计划。\n"
        "公务接待费预算支出 20 万元，与上年基本持平。\n"
        "基本支出 30 万元，主要原因是人员经费增加 5 万元，增长 2%。\n"
        "按与上年统计口径一致相比，本年比上年减少 161.96 万元，下降了 4.39%。\n"
        "单位预留机动经费预算数为 182.92 万元。与上年一致。\n",
        doc_kind="budget", year=2017)
    assert not ex.rows.get("stated_changes")
    assert not _derived(ex, "sangong") and not _derived(ex, "budget_lines")
    # the printed zero is a figure
    assert [(r["item"], r["amount"]) for r in ex.rows["sangong"]] == [("vehicle_purchase", 0.0), ("official_reception", 20.0)]


def test_template_placeholder_with_zero():
    ex = _run("（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少） 0 %。主要原因是本部门无此项收入。\n",
              doc_kind="budget", year=2018)
    [row] = ex.rows["stated_changes"]
    assert (row["current_amount"], row["change_amount"], row["change_pct"]) == (0.0, 0.0, 0.0)


def test_derived_never_overrides_a_printed_prior_year_figure():
    ex = _run("“三公”经费支出 25 万元，上年决算数 21 万元，比上年增加 4 万元，增长 19.05%。\n")
    assert _derived(ex, "sangong") == {}
    assert _changes(ex)[("total", "prior_year_actual")][:3] == (25.0, 4.0, 0.1905)


# --- property tests: the sentence shapes read back exactly, with their sign ---------------

_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2)
_SHAPES = [
    "基本支出 {cur} 万元，比上年{word}{amt} 万元，{pword}{pct}%。",
    "基本支出{cur}万元，与上年相比{word}{amt}万元，{pword}{pct}%。",
    "基本支出决算数为 {cur} 万元。与上年相比{word}\n{amt} 万元，{pword} {pct}%。",
    "基本支出 {cur} 万元，较上年{word} {amt} 万元，{pword}{pct} %。",
]


def _fmt(d: Decimal, comma: bool) -> str:
    return f"{d:,}" if comma else str(d)


@settings(max_examples=60, deadline=None)
@given(cur=_amounts, amt=_amounts, pct=_amounts, up=st.booleans(), shape=st.sampled_from(_SHAPES),
       comma=st.booleans())
def test_any_written_change_reads_back_with_its_sign(cur, amt, pct, up, shape, comma):
    word, pword = ("增加", "增长") if up else ("减少", "下降")
    text = shape.format(cur=_fmt(cur, comma), amt=_fmt(amt, comma), pct=pct, word=word, pword=pword)
    got = _changes(_run(text))
    current, change, rate, _ = got[("基本支出", "prior_year_actual")]
    sign = 1 if up else -1
    assert current == float(cur)
    assert change == sign * float(amt)
    assert rate == pytest.approx(sign * float(pct) / 100, rel=1e-9, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(cur=_amounts, words=st.sampled_from(["与上年持平", "与上年数一致", "与上年一致", "本年数与上年数持平，零增长",
                                            "与上年预算数一致"]))
def test_any_stated_zero_reads_back(cur, words):
    got = _changes(_run(f"公务接待费预算支出 {cur} 万元，{words}。", doc_kind="budget", year=2019))
    assert got[("official_reception", "prior_year_budget")][:3] == (float(cur), 0.0, 0.0)
