"""The pages over the store: the source viewer reads a line from the ``lines`` dataset (the
document is not read or parsed again); a store with many departments opens on a bounded default
selection; the URL still selects any department."""

from __future__ import annotations

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


def many_departments(out: Path, copies: int) -> Path:
    """The synthetic datasets ``copies`` times over, each copy its own departments and documents."""
    base = dash_synthetic.frames(out)
    frames = {}
    for name in DATASETS:
        parts = []
        for k in range(copies):
            df = base[name].copy()
            for col in ("doc_id", "entity_id", "disclosure_id"):
                if col in df and k:
                    df[col] = df[col].map(lambda v, k=k: v if v is None or pd.isna(v) else f"{v}-{k}")
            if name == "documents" and k:
                df["entity_short"] = df["entity_short"] + f"{k}"
                df["entity_name"] = df["entity_name"] + f"{k}"
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
