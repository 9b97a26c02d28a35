"""One disclosure in several files: one row per figure, the second printing a repeat."""

from __future__ import annotations

from types import SimpleNamespace

from loaders.disclosures import disclosure_id, link_disclosures
from loaders.extraction import DocumentMeta, Extraction
from loaders.identity.entities import Entity

ENTITY = Entity("dept-x", "某省某厅", "某厅", "", "某省", "province", ())


def _doc(name: str, part: str, kind: str = "budget", scope: str = "department", year: int = 2018):
    meta = DocumentMeta(kind, scope, ENTITY, year, "")
    return SimpleNamespace(meta=meta, extraction=Extraction(), part=part, source=SimpleNamespace(name=name))


def test_disclosure_id_is_entity_year_kind_and_unit_scope() -> None:
    assert disclosure_id(_doc("a", "whole").meta) == "dept-x-2018-budget"
    assert disclosure_id(_doc("a", "whole", scope="unit").meta) == "dept-x-2018-budget-unit"
    assert disclosure_id(_doc("a", "whole", kind="final_accounts", year=2017).meta) == "dept-x-2017-final_accounts"


def test_a_figure_in_the_text_and_the_tables_is_one_row_and_a_repeat() -> None:
    text, tables = _doc("x-narrative.pdf", "narrative"), _doc("x-tables.pdf", "tables")
    text.extraction.add("sangong", "p25:L3", item="outbound_travel", measure="budget_initial", amount=70.0)
    text.extraction.add("sangong", "p25:L9", item="official_reception", measure="budget_initial", amount=27.0)
    tables.extraction.add("sangong", "p11:L3", item="outbound_travel", measure="budget_initial", amount=70.0)
    # The text file comes first in the list; the table's row still wins.
    link_disclosures([text, tables])
    assert [r["source_ref"] for r in tables.extraction.rows["sangong"]] == ["p11:L3"]
    assert [r["item"] for r in text.extraction.rows["sangong"]] == ["official_reception"]  # printed once: kept
    (rep,) = text.extraction.repeats
    assert rep.first["source_ref"] == "x-tables.pdf p11:L3" and rep.second["source_ref"] == "p25:L3"


def test_other_disclosures_are_left_alone() -> None:
    a, b = _doc("a.pdf", "whole", year=2017), _doc("b.pdf", "whole", year=2018)
    for doc in (a, b):
        doc.extraction.add("sangong", "L1", item="total", measure="budget_initial", amount=1.0)
    link_disclosures([a, b])
    assert len(a.extraction.rows["sangong"]) == len(b.extraction.rows["sangong"]) == 1
    assert not a.extraction.repeats and not b.extraction.repeats


def test_a_prose_total_that_the_other_file_tabulates_is_a_repeat() -> None:
    text, tables = _doc("x-narrative.pdf", "narrative"), _doc("x-tables.pdf", "tables")
    tables.extraction.add("budget_lines", "p5:L2", table="支出预算总表", code=None, item="基本支出", level=0,
                          breakdown="basic", measure="budget_initial", amount=10403.11)
    text.extraction.add("budget_lines", "p3:L7", table="narrative", code=None, item="基本支出", level=0,
                        breakdown="basic", measure="budget_initial", amount=10403.11)
    text.extraction.add("budget_lines", "p3:L9", table="narrative", code=None, item="人员经费", level=0,
                        breakdown="personnel", measure="budget_initial", amount=7000.0)
    link_disclosures([text, tables])
    assert [r["item"] for r in text.extraction.rows["budget_lines"]] == ["人员经费"]  # printed only in prose
    (rep,) = text.extraction.repeats
    assert rep.first["source_ref"] == "x-tables.pdf p5:L2" and rep.second["amount"] == 10403.11
