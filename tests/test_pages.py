"""AppTest for every page on a synthetic dataset dir: no exception, filters change content,
query parameters restore the view, empty data gives a sentence."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import dash_synthetic

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = [
    "views/budget.py",
    "views/sangong.py",
    "views/projects.py",
    "views/indicators.py",
    "views/sources.py",
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return dash_synthetic.write(tmp_path_factory.mktemp("dash"))


@pytest.fixture
def app(data_dir, monkeypatch):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(data_dir))

    def make(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
        if page:
            at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def content(at: AppTest) -> list:
    """What the page shows: tables, chart specs and messages."""
    out = [d.value.to_csv() for d in at.dataframe]
    out += [c.proto.spec for c in at.get("plotly_chart")]
    out += [m.value for m in [*at.info, *at.warning, *at.success]]
    return out


@pytest.mark.parametrize("page", [None, *PAGES])
def test_page_renders_with_content(app, page):
    at = app(page)
    assert at.dataframe or at.get("plotly_chart")
    for chart in at.get("plotly_chart"):
        assert chart.proto.id  # keyed, so a browser test can find it


@pytest.mark.parametrize("page", [None, *PAGES])
def test_department_filter_changes_content(app, page):
    at = app(page)
    before = content(at)
    at.multiselect(key="dept").select("hanyang").run()
    assert not at.exception
    assert content(at) != before
    assert at.query_params.get("dept") == "hanyang"


@pytest.mark.parametrize("page", [None, *PAGES])
def test_query_params_restore_filters(app, page):
    at = app(page, dept="urumqi", year="2023", kind="final_accounts")
    assert at.multiselect(key="dept").value == ["urumqi"]
    assert at.multiselect(key="year").value == ["2023"]
    assert at.multiselect(key="kind").value == ["final_accounts"]


def test_filters_survive_page_switch(app):
    at = app(None, dept="hanyang")
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
        assert at.multiselect(key="dept").value == ["hanyang"]


def test_language_switch(app):
    at = app(None, lang="en")
    assert at.title[0].value == "Overview"
    at = app("views/sangong.py")
    assert at.title[0].value == "三公经费"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Three public expenses" and at.query_params.get("lang") == "en"


def test_project_page_department_apart_and_flags(app):
    at = app("views/projects.py", pj_all="1", pj_dept="1")  # both tables drawn on demand
    tables = [d.value for d in at.dataframe]
    whole = [v for v in tables if "部门整体支出" in v.to_csv()]
    assert len(whole) == 1 and len(whole[0]) == 1  # only the department table has it
    assert any("⚠ PERF-TOTAL" in v.to_csv() for v in tables), [v.columns for v in tables]


def test_audit_page_order_and_missing_tables(app):
    at = app("views/audit.py")
    assert any("见附表" in m.value for m in at.info)
    findings = next(d.value for d in at.dataframe if "规则" in d.value.columns)
    assert list(findings["状态"])[0] == "不符" and list(findings["规则"])[0] == "sum_children"
    at.multiselect(key="audit_status").set_value(["warn"]).run()
    findings = next(d.value for d in at.dataframe if "规则" in d.value.columns)
    assert set(findings["状态"]) == {"提醒"}


def test_not_disclosed_shown(app):
    at = app()
    headline = at.dataframe[1].value
    assert (headline == "未披露").any().any()
    assert not (headline.astype(str) == "0.00").any().any()


def test_source_viewer_opens_at_ref(app):
    at = app("views/sources.py", doc="d_hy", ref="L12")
    assert at.selectbox(key="doc").value == "d_hy"
    assert at.success[0].value.startswith("L12: 汉阳区")
    at.text_input(key="ref").input("L30").run()
    assert at.success[0].value.startswith("L30:") and at.query_params["ref"] == "L30"


def test_source_viewer_unknown_ref(app):
    at = app("views/sources.py", doc="d_hy", ref="L999")
    assert any("L999" in m.value for m in at.info)


def test_project_threshold_changes_flags(app):
    at = app("views/projects.py")
    flagged = at.dataframe[0].value
    assert len(flagged) == 2
    at.number_input(key="pj_low").set_value(50.0).run()
    at.number_input(key="pj_high").set_value(200.0).run()
    assert any("没有超出阈值" in m.value for m in at.info)


def test_selection_with_no_rows_gives_sentence(app):
    at = app("views/indicators.py", dept="handan")
    assert at.info and not at.get("plotly_chart")


@pytest.mark.parametrize("page", [None, *PAGES])
def test_empty_datasets(tmp_path, monkeypatch, page):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(dash_synthetic.empty(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=30).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    assert at.info


def test_pages_fast_once_cached(app):
    at = app()
    for page in [*PAGES, "views/audit.py"]:
        at.switch_page(page).run()
        start = time.perf_counter()
        at.run()
        assert time.perf_counter() - start < 1.0, page


@pytest.mark.parametrize("page", ["views/audit.py", "views/documents.py"])
def test_other_pages_registered(app, page):
    if not (ROOT / page).exists():
        pytest.skip(f"{page} not written yet")
    at = app(page, dept="hanyang")
    assert at.title  # navigation reaches it; app() already asserted no exception


def _order(at: AppTest) -> list[str]:
    """What the main area shows, top to bottom: 'hit' (the highlighted line), 'window', 'checks' (table)."""
    out = []
    for node in at.main:
        kind = getattr(node, "type", "")
        if kind == "success":
            out.append("hit")
        elif kind == "markdown" and "▶" in node.value:
            out.append("window")
        elif kind == "dataframe" and "规则" in node.value.columns:
            out.append("checks")
    return out


def test_source_viewer_shows_highlighted_line_first(app):
    at = app("views/sources.py", doc="d_hy", ref="L20")
    assert _order(at) == ["hit", "window", "checks"]
    window = next(m.value for m in at.markdown if "▶" in m.value)
    assert window.count("▶") == 1 and "▶ L20" in window
    assert "L5<" in window and "L35<" in window and "L4<" not in window and "L36<" not in window  # ±15 lines
    assert any("汉阳区住房局" in c.value and "hy.txt" in c.value for c in at.caption)  # name, kind, year, file


def test_source_viewer_pages_on_and_back(app):
    at = app("views/sources.py", doc="d_hy", ref="L5")
    at.button(key="src_next").click().run()
    window = next(m.value for m in at.markdown if "L40<" in m.value)
    assert "▶" not in window and "L5<" not in window  # moved on past the highlighted line
    at.button(key="src_back").click().run()
    assert any("▶ L5" in m.value for m in at.markdown)
    assert at.button(key="src_prev").disabled  # the window already starts at L1


def test_source_viewer_checks_first_without_ref(app):
    at = app("views/sources.py")
    assert _order(at)[0] == "checks"


def test_source_viewer_bad_ref_sentence(app):
    at = app("views/sources.py", doc="d_hy", ref="zz")
    assert any("L123" in w.value for w in at.warning)
    assert any("▶" not in m.value and "L1<" in m.value for m in at.markdown)


def test_audit_page_in_chinese_then_english(app):
    at = app("views/audit.py")
    findings = next(d.value for d in at.dataframe if "规则说明" in d.value.columns)
    first = findings.iloc[0]
    assert (first["严重程度"], first["状态"]) == ("严重", "不符")
    perf = findings[findings["规则"] == "PERF-TOTAL"].iloc[0]
    assert perf["规则说明"] == "总分 = 各指标得分之和 + 预算执行率得分" and perf["类别"] == "绩效自评"
    assert perf["应为"] == "89 分" and perf["差额"] == "+1 分"
    assert {m.label for m in at.metric} == {"不符", "提醒", "通过"}
    at.radio(key="lang").set_value("en").run()
    findings = next(d.value for d in at.dataframe if "description" in d.value.columns)
    perf = findings[findings["rule"] == "PERF-TOTAL"].iloc[0]
    assert perf["description"].startswith("Total score") and perf["family"] == "performance self-evaluation"
    assert perf["severity"] == "high" and perf["expected"] == "89 pts"


@pytest.mark.parametrize("page", [None, *PAGES, "views/audit.py", "views/documents.py"])
def test_english_pages_show_no_codes(app, page):
    """In English every heading is English and no closed-vocabulary code is shown as it is."""
    at = app(page, lang="en")
    heads = [h.value for h in [*at.title, *at.subheader]]
    assert heads and not any(re.search(r"[\u4e00-\u9fff]", h) and "三公" not in h for h in heads), heads
    codes = {"budget_initial", "budget_adjusted", "prior_year_actual", "final_accounts", "performance_self_eval",
             "narrative", "fiscal_appropriation"}
    for d in at.dataframe:
        shown = set(d.value.astype(str).to_numpy().ravel()) | set(map(str, d.value.columns))
        assert not shown & codes, (page, shown & codes)


def test_sangong_page_shows_derived_prior_year_and_stated_change(app):
    """A prior year the document states only as a change: shown marked 推算, with the change as
    stated and a link to its sentence; printed prior years unmarked; nothing derived unmarked."""
    at = app("views/sangong.py", sg_stated="1")  # the stated changes drawn on demand
    detail = next(d.value for d in at.dataframe if "较上年口径" in d.value.columns)
    ur = detail[(detail["来源文档"] == "乌鲁木齐市 · 决算 2023") & (detail["项目"] == "三公经费合计")].iloc[0]
    assert ur["上年决算（万元）"] == "15.00（推算）"
    assert ur["较上年（万元）"] == "-3.00（文中所述）" and ur["较上年（%）"] == "-20.00%（文中所述）"
    assert ur["变动原文"] == "sources?doc=d_ur&ref=L40"
    rec = detail[(detail["来源文档"] == "乌鲁木齐市 · 决算 2023") & (detail["项目"] == "公务接待费")].iloc[0]
    assert rec["较上年（万元）"] == "0.00（文中所述）"  # "与上年持平"
    hy = detail[(detail["来源文档"] == "汉阳区 · 决算 2023") & (detail["项目"] == "三公经费合计")].iloc[0]
    assert hy["上年决算（万元）"] == "3.00" and hy["较上年（万元）"] == "-0.89"
    stated = next(d.value for d in at.dataframe if "原文句" in d.value.columns)
    assert len(stated) == 3 and "与上年持平" in " ".join(stated["原文句"])
    traces = [tr for c in at.get("plotly_chart") for tr in json.loads(c.proto.spec)["data"]]
    derived = next(tr for tr in traces if tr.get("name") == "上年决算（推算）")
    assert derived["marker"]["pattern"]["shape"] == "x" and derived["x"] == ["乌鲁木齐市 · 决算 2023"]
    at.radio(key="lang").set_value("en").run()
    detail = next(d.value for d in at.dataframe if "change basis" in d.value.columns)
    assert "15.00 (derived)" in set(detail["prior-year actual"])
    assert "-3.00 (stated)" in set(detail["change vs prior year"])


def test_budget_page_shows_stated_change_of_a_total(app):
    at = app("views/budget.py", bd_yoy="1")
    yoy = next(d.value for d in at.dataframe if "原文句" in d.value.columns)
    row = yoy[yoy["来源文档"] == "汉阳区 · 决算 2023"].iloc[0]
    assert row["上年（万元）"] == "900.00（推算）" and row["变动（万元）"] == "100.00（文中所述）"
    assert row["原文"] == "sources?doc=d_hy&ref=L10"


def test_an_unknown_department_in_the_link_is_named(app):
    at = app(None, dept="urumqi,no-such-dept")
    assert at.multiselect(key="dept").value == ["urumqi"]
    assert any("no-such-dept" in w.value and "不在数据中" in w.value for w in at.sidebar.warning)
    at = app(None, dept="urumqi")
    assert not any("不在数据中" in w.value for w in at.sidebar.warning)


def test_a_section_is_drawn_when_opened(app):
    """A page's secondary charts and tables are computed and drawn only once their fold is opened;
    open is in the URL, and a link naming a widget of the fold opens it too."""
    def charts(at):
        return [c.proto.id for c in at.get("plotly_chart")]

    at = app("views/budget.py")
    assert "功能分类：类 → 款 → 项" in [e.label for e in at.expander]
    assert not any("budget-classification" in c for c in charts(at))
    at.session_state["bd_class"] = True  # the reader opens the fold
    at.run()
    assert not at.exception
    assert any("budget-classification" in c for c in charts(at)) and at.query_params["bd_class"] == "1"
    at.session_state["bd_class"] = False
    at.run()
    assert not any("budget-classification" in c for c in charts(at)) and "bd_class" not in at.query_params
    # a shared link opens the fold it names, or the fold of a widget it sets
    assert any("budget-classification" in c for c in charts(app("views/budget.py", bd_class="1")))
    linked = app("views/budget.py", bd_measure="actual")
    assert any("budget-classification" in c for c in charts(linked)) and linked.query_params["bd_class"] == "1"
    assert not linked.sidebar.warning
