"""The scale benchmark's generator: deterministic, each document another department, year
and figures, and its printed sums still adding up."""

from __future__ import annotations

import sys
from pathlib import Path

from loaders.build import build

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench" / "scale"))
import generate  # noqa: E402


def test_amounts_scale_exactly_and_rates_and_scores_stay() -> None:
    text = "合计\t1,234.56\t100.5\n执行率 99.41%，得分 9.50分，编码 2210108\n"
    assert generate._scale_amounts(text, 3, money_only=False) == (
        "合计\t3,703.68\t301.5\n执行率 99.41%，得分 9.50分，编码 2210108\n")
    assert generate._scale_amounts("资金 12.30 万元，得分 9.50", 2, money_only=True) == "资金 24.60 万元，得分 9.50"


def test_years_near_the_documents_own_move_together() -> None:
    assert generate._shift_years("2023年决算，上年2022年，1998年成立，2023.50", 2023, -3) == (
        "2020年决算，上年2019年，1998年成立，2023.50")


def test_document_i_depends_only_on_the_seed_and_i() -> None:
    assert generate.variant(7, seed=1) == generate.variant(7, seed=1)
    assert generate.variant(7, seed=1) != generate.variant(7, seed=2)
    stems = {generate.variant(i)[0] for i in range(40)}
    texts = {generate.variant(i)[1] for i in range(40)}
    assert len(stems) == len(texts) == 40


def test_generated_documents_load_as_other_departments(tmp_path: Path) -> None:
    generate.generate(tmp_path / "docs", 5, seed=3)
    result = build([tmp_path / "docs"], tmp_path / "out", write=False)
    assert not result.failures
    templates = generate.templates()
    assert sorted(s.doc_kind for s in result.summaries) == sorted(t.kind for t in templates)
    names = {d["entity_name"] for d in result.tables["documents"].to_pylist()}
    for t in templates:  # no generated department keeps its template's place
        place = generate._stem(t.place.county or t.place.city)
        assert not any(place in name for name in names), place
