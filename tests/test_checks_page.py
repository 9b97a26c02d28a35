"""The 核查 page renders findings and screens from a synthetic dataset directory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.schema import DATASETS, SCHEMAS, to_table, write_datasets

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "views" / "audit.py"
KEYS = {"doc_id": "d1", "entity_id": "handan", "year": 2022, "doc_kind": "budget"}


def _write(out: Path) -> Path:
    frames = {
        "documents": [{**{k: KEYS[k] for k in ("doc_id", "entity_id", "year", "doc_kind")}, "entity_name": "邯郸市住房局",
                       "entity_short": "邯郸市", "scope": "department", "source_file": str(out / "hd.txt"),
                       "sha256": "0" * 64, "format": "txt", "parser_version": "t", "n_lines": 3, "staff_count": 40}],
        "checks": [
            {**KEYS, "rule": "TBL-SUM", "family": "table", "severity": "high", "subject": "部门预算支出总表 合计",
             "expected": 86985.79, "found": 86991.86, "difference": 6.07, "status": "fail", "message": "合计与各行之和",
             "source_ref": "L145"},
            {**KEYS, "rule": "SG-ITEMS", "family": "sangong", "severity": "high", "subject": "三公经费合计",
             "expected": 8.0, "found": 8.0, "difference": 0.0, "status": "pass", "message": "", "source_ref": "L7"},
        ],
        "projects": [{**KEYS, "scope": "project", "project": "p", "budget_initial": 100.0, "budget_adjusted": 150.0, "actual": 90.0,
                      "source_ref": "L9"}],
        "sangong": [{**KEYS, "item": "total", "measure": "actual", "amount": 8.0, "source_ref": "L7"}],
    }  # fmt: skip
    (out / "hd.txt").write_text("a\nb\nc\n", encoding="utf-8")
    write_datasets(
        {
            n: to_table(n, pd.DataFrame(frames[n])) if n in frames else SCHEMAS[n].empty_table()
            for n in DATASETS
        },
        out,
    )
    return out


@pytest.fixture
def app(tmp_path, monkeypatch):
    pytest.importorskip("streamlit.testing.v1")
    if not (ROOT / "dashboard" / "ui.py").exists():
        pytest.skip("dashboard/ui.py (page furniture) not written yet")
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BUDGET_DATA_DIR", str(_write(tmp_path)))
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(PAGE), default_timeout=30)


def table(app, column: str) -> pd.DataFrame:
    """The shown table that has ``column`` (AppTest does not expose dataframe keys)."""
    hits = [df.value for df in app.dataframe if column in df.value.columns]
    assert hits, f"no table with column {column}"
    return hits[0]


def test_page_shows_findings_and_screens(app):
    app.query_params["audit_screens"] = "1"  # the screens are drawn when their section is opened
    app.run()
    assert not app.exception, app.exception
    assert app.title[0].value in ("核查", "Audit findings")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["不符"] == "1" and metrics["通过"] == "1"
    findings = table(app, "规则")
    assert findings["规则"].tolist() == ["TBL-SUM"]
    assert findings.loc[0, "差额"] == "+6.07 万元" and findings.loc[0, "应为"] == "86,985.79 万元"
    assert "ref=L145" in findings.loc[0, "原文"]
    assert table(app, "偏离")["执行率"].tolist() == ["60.0%"]  # 90 / 150
    assert table(app, "调整幅度")["调整幅度"].tolist() == ["50.0%"]
    assert table(app, "人均（万元）")["人均（万元）"].tolist() == ["0.20"]


def test_page_names_codes_in_chinese(app):
    app.query_params["audit_screens"] = "1"
    app.run()
    findings = table(app, "规则")
    row = findings.iloc[0]
    assert (row["严重程度"], row["状态"], row["类别"], row["文档类型"]) == ("严重", "不符", "表内勾稽", "预算")
    assert row["规则说明"] == "表内合计等于其各行（类）之和"  # the rule's own description, beside its code
    matrix = table(app, "严重")
    assert list(matrix.columns) == ["严重"] and list(matrix.index) == ["邯郸市"]
    assert {o for o in app.multiselect(key="audit_status").options} == {"不符", "提醒", "通过"}
    assert "严重" in app.multiselect(key="audit_sev").options
    screen = table(app, "偏离")
    assert screen["偏离"].tolist() == ["偏低"] and screen["年初预算（万元）"].tolist() == ["100.00"]


def test_page_filters_by_status(app):
    app.run()
    app.multiselect(key="audit_status").set_value(["pass"]).run()
    assert not app.exception
    assert table(app, "规则")["规则"].tolist() == ["SG-ITEMS"]


def test_page_with_no_datasets(tmp_path, monkeypatch):
    pytest.importorskip("streamlit.testing.v1")
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BUDGET_DATA_DIR", str(tmp_path / "none"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception and at.info


def test_page_in_english(app):
    app.session_state["lang"] = "en"
    app.query_params["audit_screens"] = "1"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Audit findings"
    row = table(app, "rule").iloc[0]
    assert row["difference"] == "+6.07 (10k CNY)" and row["severity"] == "high" and row["status"] == "fail"
    assert row["family"] == "table arithmetic" and row["description"] == "A table's total equals the sum of its rows"
    assert [m.label for m in app.metric] == ["Failed", "Warnings", "Passed"]
    assert table(app, "flag")["flag"].tolist() == ["below"]
