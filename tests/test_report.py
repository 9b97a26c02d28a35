"""``python -m loaders report``: per document what it gave, a reason for what did not load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SEEDS


def run_report(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", "report", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_report_names_every_document_and_the_share_loaded(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS["hanyang"], src / "hanyang.txt")
    shutil.copy(SEEDS["handan"], src / "handan.txt")
    (src / "recipe.txt").write_text("红烧肉做法\n五花肉 500 克，冰糖 30 克。\n" * 20, encoding="utf-8")
    proc = run_report(str(src))
    assert proc.returncode == 1  # one document did not load
    assert "Traceback" not in proc.stderr + proc.stdout
    out = proc.stdout
    assert "✓ hanyang.txt" in out and "✓ handan.txt" in out
    assert "✗ recipe.txt: not loaded: not a budget" in out  # the reason, on one line
    assert "final_accounts 2023 department" in out and "budget 2022 department" in out
    assert "tables: " in out and "rows: budget_lines" in out
    assert "loaded 2 of 3 documents (67%)" in out


def test_report_json_is_one_object_per_document_then_the_summary() -> None:
    proc = run_report("--json", str(SEEDS["handan"]), str(SEEDS["yueyang"]))
    assert proc.returncode == 0, proc.stderr
    objects = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    docs, summary = objects[:-1], objects[-1]["summary"]
    assert [Path(d["file"]).name for d in docs] == sorted(p.name for p in (SEEDS["handan"], SEEDS["yueyang"]))
    handan = next(d for d in docs if d["entity_id"] == "handan")
    # 邯郸 prints eight of the nine standard 预算 tables and declares one empty.
    assert len(handan["tables"]["present"]) == 8 and len(handan["tables"]["empty"]) == 1
    assert handan["rows"]["sangong"] > 0 and handan["disclosure_id"] == "handan-2022-budget"
    assert summary["loaded"] == summary["documents"] == 2 and summary["share_loaded"] == 1.0
