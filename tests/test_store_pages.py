"""The pages over the store: the source viewer reads a line from the ``lines`` dataset (the
document is not read or parsed again); a store with many departments opens on a bounded default
selection; the URL still selects any department."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from loaders.build import build
from loaders.schema import DATASETS, to_table, write_datasets
from tests import dash_synthetic
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("store")
    for key in ("hanyang", "yueyang"):
        shutil.copy(SEEDS[key], raw / SEEDS[key].name)
    build([raw], out, jobs=1)
    return out


def test_source_viewer_reads_the_stored_line(built, monkeypatch):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(built))
    import loaders.readers

    def no_parsing(*args, **kwargs):
        raise AssertionError("the viewer read the document again")

    monkeypatch.setattr(loaders.readers, "read_source", no_parsing)
    lines = pd.read_parquet(built / "lines.parquet")
    row = lines[lines["text"].str.strip().str.len() > 4].iloc[10]
    ref = f"L{int(row['line'])}"
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("views/sources.py")
    at.query_params["doc"], at.query_params["ref"] = row["doc_id"], ref
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and at.success[0].value.startswith(f"{ref}: ")
    assert row["text"].split("\t")[0].strip()[:6] in at.success[0].value


def many_departments(out: Path, copies: int, years: int = 1) -> Path:
    """The synthetic datasets ``copies`` times over, each copy its own documents; ``years`` copies in
    a row are one department's documents of successive years."""
    base = dash_synthetic.frames(out)
    frames = {}
    for name in DATASETS:
        parts = []
        for k in range(copies):
            df = base[name].copy()
            dept = k // years
            for col, n in (("doc_id", k), ("entity_id", dept), ("disclosure_id", k)):
                if col in df and n:
                    df[col] = df[col].map(lambda v, n=n: v if v is None or pd.isna(v) else f"{v}-{n}")
            if "year" in df:
                df["year"] = df["year"] - k % years
            if name == "documents" and dept:
                df["entity_short"] = df["entity_short"] + f"{dept}"
                df["entity_name"] = df["entity_name"] + f"{dept}"
            if name == "documents" and k:
                df["sha256"] = df["sha256"] + f"{k}"
            parts.append(df)
        frames[name] = pd.concat(parts, ignore_index=True)
    write_datasets({n: to_table(n, frames[n]) for n in DATASETS}, out)
    return out


def test_many_departments_open_on_a_bounded_default(tmp_path, monkeypatch):
    out = many_departments(tmp_path, copies=8)  # 4 departments × 8
    monkeypatch.setenv("BUDGET_DATA_DIR", str(out))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("32" in m.value and str(ui.DEFAULT_DEPARTMENTS) in m.value for m in at.sidebar.info)
    coverage = at.dataframe[0].value
    assert len(coverage) == ui.DEFAULT_DEPARTMENTS
    assert len(at.multiselect(key="dept").options) == 32  # every department can still be chosen
    at.switch_page("views/projects.py").run()
    assert not at.exception
    at.query_params["dept"] = "yueyang-7"  # a link names one outside the default: it is shown
    at.run()
    assert at.multiselect(key="dept").value == ["yueyang-7"]
    assert not at.sidebar.info
    assert any("棚户区改造" in d.value.to_csv() for d in at.dataframe)


def _chart(at: AppTest, name: str) -> dict:
    import json

    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if f"chart-{name}" in c.proto.id)


def _departments_drawn(fig: dict, labels: dict[str, str]) -> set[str]:
    """The departments a chart names (in its traces' categories, hover or tick labels)."""
    text = str([tr.get(k) for tr in fig["data"] for k in ("x", "y", "customdata", "name")])
    text += str([ax.get("ticktext") for k, ax in fig["layout"].items() if k.startswith("yaxis")])
    # "汉阳区" is not "汉阳区1": a name counts where no digit follows it
    return {e for e, name in labels.items() if re.search(re.escape(name) + r"(?!\d)", text)}


@pytest.mark.parametrize(("page", "key", "chart"), [("views/sangong.py", "sg_depts", "sangong-item"),
                                                     ("views/projects.py", "pj_depts", "projects-rate"),
                                                     ("views/budget.py", "bd_depts", "budget-trend")])
def test_first_chart_draws_the_top_departments_a_switch_all(tmp_path, monkeypatch, page, key, chart):
    """Over many departments a page's first chart draws CHART_DEPARTMENTS of them; a switch (in the
    URL) draws every department of the selection; the tables are not narrowed."""
    # 32 departments (25 in the default selection), each with two years of documents
    out = many_departments(tmp_path, copies=64, years=2)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(out))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    labels = common_labels(out)
    few = _departments_drawn(_chart(at, chart), labels)
    assert 0 < len(few) <= ui.CHART_DEPARTMENTS
    assert not at.toggle(key=key).value and key not in at.query_params
    tables = [d.value.to_csv() for d in at.dataframe]
    at.toggle(key=key).set_value(True).run()
    assert at.query_params[key] == "1"
    every = _departments_drawn(_chart(at, chart), labels)
    assert few < every and len(every) > ui.CHART_DEPARTMENTS
    assert [d.value.to_csv() for d in at.dataframe] == tables  # the same tables, the same numbers
    linked = AppTest.from_file(APP, default_timeout=60).run()
    linked.switch_page(page)
    linked.query_params[key] = "1"  # a shared link keeps the view
    linked.run()
    assert linked.toggle(key=key).value and _departments_drawn(_chart(linked, chart), labels) == every


def common_labels(out: Path) -> dict[str, str]:
    from dashboard.common import entity_labels

    return entity_labels(pd.read_parquet(out / "documents.parquet"), "zh")


def test_first_departments_bounded_by_count_and_rows():
    ranked = [f"e{i}" for i in range(30)]
    assert ui.first_departments(ranked) == ranked[:ui.CHART_DEPARTMENTS]
    rows = {"e0": 20, "e1": 3, "e2": 3}
    assert ui.first_departments(ranked, rows, max_rows=16) == ["e0"]  # one department at least
    assert ui.first_departments(ranked[1:], rows, max_rows=7) == ["e1", "e2", "e3"]  # unknown: one row


def test_picker_over_many_departments_lists_what_a_search_finds(tmp_path, monkeypatch):
    """Over PICKER_MAX departments the sidebar's picker lists those a search (in the URL) finds, and
    those chosen or linked: every department can still be chosen, and a link still names any."""
    out = many_departments(tmp_path, copies=8)  # 32 departments
    monkeypatch.setenv("BUDGET_DATA_DIR", str(out))
    monkeypatch.setattr(ui, "PICKER_MAX", 10)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    # nothing searched: the DEFAULT_DEPARTMENTS the pages show are listed, to be chosen at once
    listed = at.multiselect(key="dept").options
    assert len(listed) == min(ui.DEFAULT_DEPARTMENTS, ui.PICKER_MAX) and len(set(listed)) == len(listed)
    at.text_input(key="dept_q").set_value("汉阳").run()
    assert at.query_params["dept_q"] == "汉阳"
    found = at.multiselect(key="dept").options
    assert len(found) == 8 and all(o.startswith("汉阳区") for o in found)
    at.multiselect(key="dept").set_value(["汉阳区3"]).run()
    at.text_input(key="dept_q").set_value("岳阳").run()  # another search: the choice is kept
    assert at.multiselect(key="dept").value == ["hanyang-3"]
    assert "汉阳区3" in at.multiselect(key="dept").options and "岳阳市5" in at.multiselect(key="dept").options
    linked = AppTest.from_file(APP, default_timeout=60)
    linked.query_params["dept"] = "yueyang-7,nowhere"
    linked.run()
    assert linked.multiselect(key="dept").value == ["yueyang-7"]
    assert any("nowhere" in w.value for w in linked.sidebar.warning)


def test_picker_options_pure():
    ordered, labels = ["a", "b", "c"], {"a": "汉阳区", "b": "岳阳市", "c": "汉川市"}
    assert ui.picker_options(ordered, labels, "汉", [], 10) == ["a", "c"]
    assert ui.picker_options(ordered, labels, "汉", [], 1) == ["a"]
    assert ui.picker_options(ordered, labels, "", ["b"], 10) == ["b"]
    assert ui.picker_options(ordered, labels, " B ", ["c"], 10) == ["b", "c"]  # ids too, any case
    # nothing searched: the suggested departments, with the chosen ones, in the picker's order
    assert ui.picker_options(ordered, labels, "", ["a"], 10, suggested=["c"]) == ["a", "c"]
    assert ui.picker_options(ordered, labels, "", [], 1, suggested=["c", "b"]) == ["c"]
    assert ui.picker_options(ordered, labels, "汉", [], 10, suggested=["b"]) == ["a", "c"]  # a search wins
