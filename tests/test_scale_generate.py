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
    # and each is read as a department of the list (a title's wrapped template name replaced too)
    known = set(generate.departments()) | {t.department for t in templates}
    assert all(any(name.endswith(d) for d in known) for name in names), names
    assert not any(t.department in name for t in templates for name in names
                   if not name.endswith(t.department)), names


def test_a_scoring_tables_scores_stay_and_its_neighbours_money_scales() -> None:
    text = ("科目\t金额\n合计\t12.50\n\n指标\t分值\t得分\n数量\t15\t15.00\n\n满意度\t10\t9.50\n"
            "说明 3.25 万元\n总分\t100\t94.50分\n")
    assert generate._scale_document(text, 2, performance=False) == (
        "科目\t金额\n合计\t25.00\n\n指标\t分值\t得分\n数量\t15\t15.00\n\n满意度\t10\t9.50\n"
        "说明 6.50 万元\n总分\t100\t94.50分\n")


def test_a_department_is_another_of_its_kind_and_keeps_its_years() -> None:
    names = generate.departments()
    assert len(names) == len(set(names)) > 20
    for tpl in generate.templates():
        assert tpl.department and not tpl.department.startswith((tpl.place.city, tpl.place.province))
        place = generate._divisions()[tpl.place.level][0]
        chosen = {generate.other_department(tpl, place, seed=0) for _ in range(3)}
        assert len(chosen) == 1  # the same department at one place, every year
        assert generate._ending(chosen.pop()) == generate._ending(tpl.department)
    # over a few dozen places a template's documents belong to several departments
    tpl = generate.templates()[0]
    picked = {generate.other_department(tpl, p, 0) for p in generate._divisions()[tpl.place.level][:40]}
    assert len(picked) > 5
