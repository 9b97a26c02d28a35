"""The one 三公 vocabulary (national_formats.toml [[sangong]] / [[other_items]]): each item's
words, its traps, and that a word added to the spec reaches all three readers (the 三公
table reader, the 绩效 basic-data table, the narrative)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import budget, narrative, narrative_labels
from loaders.families.perf_cells import is_sangong, sangong_row
from loaders.identity.entities import REGISTRY
from loaders.readers.source import Source, lines_from_text
from loaders.spec import formats, vocabulary
from loaders.spec.vocabulary import header_item, named_item, other_item, sangong_item

META = DocumentMeta("budget", "department", REGISTRY[1], 2023, "t")


def _source(text: str) -> Source:
    return Source(Path("t.txt"), "txt", "0" * 64, lines_from_text(text))


def prose(text: str, doc_kind: str = "final_accounts") -> dict[str, float]:
    ex = Extraction()
    narrative.extract(_source(text), DocumentMeta(doc_kind, "department", REGISTRY[1], 2023, "t"), ex)
    return {r["item"]: r["amount"] for r in ex.rows.get("sangong", [])}


def prose_item(label: str) -> str | None:
    """The 三公 item the narrative reads for a label that ends the text."""
    found = narrative_labels.match_label(label)
    return found[0].sangong if found else None


# Each item as the three readers print it: (table label or header path, basic-data row, prose label).
ITEMS = {
    "outbound_travel": (("“三公”经费", "因公出国（境）费"), "2、出国经费", "因公出国(境)费"),
    "vehicle_total": (("公务用车购置及运行费", "小计"), "1、公务用车购置和维护经费", "公务用车购置及运行费"),
    "vehicle_purchase": (("公务用车购置及运行费", "购置费"), "其中：公车购置", "公务用车购置费"),
    "vehicle_operation": (("公务用车购置及运行维护费", "运行维护费"), "公车运行维护", "公务用车运行维护费"),
    "official_reception": (("“三公”经费", "公务接", "待费"), "3、公务接待", "公务接待费"),
    "total": (("“三公”经费", "小计"), "三公经费", "三公经费"),
}


@pytest.mark.parametrize("item", ITEMS)
def test_each_item_in_each_reader(item):
    header, row, label = ITEMS[item]
    assert header_item(header) == ("sangong", item)
    assert sangong_row(row) == item and is_sangong(row)
    assert prose_item(label) == item


def test_full_names_name_their_item_anywhere():
    assert sangong_item("公务用车购置及运行费") == "vehicle_total"  # the total, not its purchase
    assert named_item("公务用车购置及运行费") == "vehicle_total"
    assert prose_item("公务用车购置及运行费") == "vehicle_total"
    assert sangong_item("二、公务用车购置及运维费") == "vehicle_total"
    assert sangong_item("公务用车运行费") == "vehicle_operation"
    assert sangong_item("其中:公务用车购置费") == "vehicle_purchase"
    assert prose_item("2023年公务车购置及运行费") == "vehicle_total"  # 公务车: a vehicle word


def test_a_bare_operation_or_purchase_needs_its_vehicle():
    # 运行维护经费 is a project (绩效 basic-data tables); 运行费 / 购置费 name the vehicles'
    # parts only under a 公务用车… header
    for label in ("运行维护经费", "2、运行维护经费", "运行维护费", "运行费", "购置费", "设备购置费"):
        assert sangong_item(label) is None, label
        assert sangong_row(label) is None, label
        assert prose_item(label) is None, label
    assert sangong_item("运行费", "“三公”经费预算数公务用车购置及运行费") == "vehicle_operation"
    assert sangong_item("购置费", "公务用车购置及运行费") == "vehicle_purchase"
    assert header_item(("2023年“三公”经费预算数", "公务用车购置及运行费", "运行费")) == ("sangong", "vehicle_operation")
    assert sangong_item("小计", "公务用车购置及运行费") == "vehicle_total"
    assert sangong_item("小计", "“三公”经费") == "total" and sangong_item("小计") is None


def test_meeting_training_and_operating_are_not_sangong():
    for label, breakdown in (("会议费", "meeting"), ("培训费", "training"), ("机关运行经费", "operating"),
                             ("2023年机关运行经费预算数", "operating"), ("我部门运行经费", "operating")):
        assert other_item(label) == breakdown, label
        assert sangong_item(label) is None and named_item(label) is None, label
        assert prose_item(label) is None, label
    assert not is_sangong("会议费、培训费")
    assert header_item(("培训费",)) == ("other", "training")
    # a vehicle's 运行经费 is 三公, not the 机关运行经费
    assert other_item("公务用车运行经费") is None
    assert sangong_item("公务用车运行经费") == "vehicle_operation"


def test_table_only_forms_stay_in_tables():
    # 合计 in a 三公 table is its total; in a basic-data table or in prose it is no 三公 item
    assert sangong_item("合计") == "total"
    assert sangong_row("合计") is None and sangong_row("项目支出") is None
    assert prose(
        "2023年度“三公”经费支出合计 5.00 万元，其中：公务接待费 1.00 万元，公务用车运行维护费 4.00 万元。"
    ) == {"total": 5.0, "official_reception": 1.0, "vehicle_operation": 4.0}


# --- a word added to the spec reaches every reader ------------------------------------------

SYNONYM_TABLE = [
    "“三公”经费支出预算表",
    "单位：万元",
    "项目\t预算数",
    "因公出国（境）费\t1.00",
    "公用车辆运行维护费\t2.00",
]


@pytest.fixture
def spec_with_synonym(monkeypatch):
    """The spec with one more name of the vehicles' operation, "公用车辆运行维护费"."""
    raw = copy.deepcopy(formats.spec())
    for entry in raw["sangong"]:
        if entry["item"] == "vehicle_operation":
            entry["names"] = [*entry["names"], "公用车辆运行(?:维护)?(?:<fee>)?"]
    monkeypatch.setattr(vocabulary, "spec", lambda: raw)
    vocabulary.clear()
    narrative_labels._labels.cache_clear()
    yield
    monkeypatch.undo()
    vocabulary.clear()
    narrative_labels._labels.cache_clear()


def _table_items() -> dict[str, float]:
    ex = Extraction()
    budget.parse_tables(_source("\n".join(SYNONYM_TABLE)), META, ex)
    return {r["item"]: r["amount"] for r in ex.rows.get("sangong", [])}


SENTENCE = "2023年公用车辆运行维护费 3.00 万元。"


def test_the_synonym_is_unknown_without_the_spec_word():
    assert "vehicle_operation" not in _table_items()
    assert sangong_row("公用车辆运行维护费") is None
    assert prose(SENTENCE) == {}


def test_a_synonym_in_the_spec_reaches_all_three_readers(spec_with_synonym):
    assert _table_items() == {"outbound_travel": 1.0, "vehicle_operation": 2.0}
    assert sangong_row("其中：公用车辆运行维护费") == "vehicle_operation"
    assert prose(SENTENCE) == {"vehicle_operation": 3.0}
