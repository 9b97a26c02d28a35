"""State and language: every widget of the 项目执行, 绩效指标 and 三公 pages in the URL and back, a link's
value that cannot be used named in a message, lang kept in links, a department's colour from its id.
Pure helpers first, then AppTest round trips on the synthetic datasets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import flags
from dashboard.common import entity_color, entity_colors, parse_number_param, with_lang
from tests import dash_synthetic

APP = str(Path(__file__).resolve().parents[1] / "app.py")


# ---- pure ------------------------------------------------------------------------------------


def test_parse_number_param():
    assert parse_number_param("80", 0, 500) == 80.0 and parse_number_param("95.5%", 0, 500) == 95.5
    assert parse_number_param("abc", 0, 500) is None and parse_number_param("900", 0, 500) is None
    assert parse_number_param("nan", 0, 500) is None


def test_with_lang_keeps_the_language_in_a_link():
    assert with_lang("sources?doc=a&ref=p3:L12", "en") == "sources?doc=a&ref=p3:L12&lang=en"
    assert with_lang("sources?doc=a&lang=en", "en") == "sources?doc=a&lang=en"  # once
    assert with_lang("audit", "en") == "audit?lang=en"
    assert with_lang("sources?doc=a", "zh") == "sources?doc=a" and with_lang(None, "en") is None
    assert flags.audit_url("e", "budget", "en") == "audit?dept=e&kind=budget&lang=en"
    assert flags.audit_url("e") == "audit?dept=e"


def test_department_colour_stable_when_documents_are_added():
    docs = pd.DataFrame({"entity_id": ["hanyang", "urumqi"]})
    more = pd.DataFrame({"entity_id": ["aaa-first", "hanyang", "urumqi", "zzz"]})
    assert entity_colors(docs).items() <= entity_colors(more).items()
    assert entity_color("hanyang") == entity_color("hanyang") and entity_color("hanyang").startswith("hsl(")


# ---- AppTest -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return dash_synthetic.write(tmp_path_factory.mktemp("url-state"))


@pytest.fixture
def app(data_dir, monkeypatch):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(data_dir))

    def make(page: str, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
        at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_thresholds_from_the_url_and_back(app):
    at = app("views/projects.py", pj_low="85", pj_high="120")
    assert at.number_input(key="pj_low").value == 85.0 and at.number_input(key="pj_high").value == 120.0
    assert list(at.dataframe[0].value["项目名称"]) == ["棚户区改造"]  # 80% is outside 85–120%, 120% is not
    at.number_input(key="pj_low").set_value(75.0).run()
    assert at.query_params["pj_low"] == "75" and at.query_params["pj_high"] == "120"
    at.number_input(key="pj_low").set_value(90.0).run()
    assert "pj_low" not in at.query_params  # the default is not written


def test_a_bad_threshold_is_named(app):
    at = app("views/projects.py", pj_low="abc")
    assert "abc" in _warnings(at) and at.number_input(key="pj_low").value == 90.0


def test_flagged_projects_show_their_reason_and_link_it(app):
    at = app("views/projects.py")
    flagged = at.dataframe[0].value
    assert set(flagged["原因（文档所述）"]) == {"工程进度滞后", "追加支出"}
    assert all(u.startswith("sources?doc=d_yy&ref=L2") for u in flagged["原因原文"])
    en = app("views/projects.py", lang="en").dataframe[0].value
    assert all(u.endswith("&lang=en") for u in [*en["reason source"], *en["source"]])
    assert all(u.endswith("&lang=en") for u in en["audit page"] if u)


def test_sangong_item_phase_and_department_in_the_url(app):
    at = app("views/sangong.py", sg_item="official_reception", sg_focus="hanyang")
    assert at.selectbox(key="sg_item").value == "official_reception"
    assert at.selectbox(key="sg_focus").value == "hanyang"
    at.selectbox(key="sg_item").set_value("total").run()
    assert "sg_item" not in at.query_params  # the first item is the default
    at.radio(key="sg_pmeasure").set_value("budget_initial").run()
    assert at.query_params["sg_pmeasure"] == "budget_initial"
    keys = {c.proto.id for c in at.get("plotly_chart")}
    assert any("sangong-per-staff" in k for k in keys)


def test_sangong_unknown_values_are_named(app):
    at = app("views/sangong.py", sg_item="bogus", sg_focus="nowhere")
    text = _warnings(at)
    assert "bogus" in text and "nowhere" in text
    assert at.selectbox(key="sg_item").value == "total"


def test_sangong_detail_has_a_source_column_and_per_staff_in_yuan(app):
    at = app("views/sangong.py")
    detail = next(d.value for d in at.dataframe if "人均决算（元/人）" in d.value.columns)
    hy = detail[(detail["来源文档"] == "汉阳区 · 决算 2023") & (detail["项目"] == "三公经费合计")].iloc[0]
    assert hy["人均决算（元/人）"] == "414"  # 2.11 万元 / 51 people
    assert hy["原文"] == "sources?doc=d_hy&ref=L30"


def test_indicator_scope_and_count_in_the_url(app):
    at = app("views/indicators.py", ic_scope="project", ic_top="10")
    assert at.radio(key="ic_scope").value == "project" and at.number_input(key="ic_top").value == 10
    at.radio(key="ic_scope").set_value("department").run()
    assert at.query_params["ic_scope"] == "department"
    keys = {c.proto.id for c in at.get("plotly_chart")}
    assert any("indicators-ranked" in k for k in keys) and not any("heatmap" in k for k in keys)
    bad = app("views/indicators.py", ic_scope="everything", ic_top="0")
    assert "everything" in _warnings(bad) and "0" in _warnings(bad)


def test_english_mode_names_departments_in_english(app):
    at = app("views/sangong.py", lang="en")
    detail = next(d.value for d in at.dataframe if "document" in d.value.columns)
    assert "Hanyang District · final accounts 2023" in set(detail["document"])
    assert not any("汉阳" in s for s in detail["document"])


def test_unknown_parameter_names_pure():
    from dashboard.ui import unknown_params

    assert unknown_params(["dept", "foo", "lang", "ref"], {"dept": []}) == ["foo"]
    assert unknown_params(["pj_low"], {"pj_low": ["80"]}) == []


def test_a_link_parameter_no_widget_reads_is_named(app):
    at = app("views/projects.py", foo="1", pj_low="85")
    assert "foo" in _warnings(at) and "pj_low" not in _warnings(at)
    en = app("views/projects.py", lang="en", bogus="x")
    assert "bogus" in _warnings(en) and "not used on this page" in _warnings(en)
