"""Family, entity and year come from the document's content, never from its file name."""

from __future__ import annotations

import shutil

import pytest

from loaders.build import load_document
from loaders.errors import NotADisclosure
from loaders.identity.detect import detect
from loaders.readers.source import Source, lines_from_text

from .conftest import SEEDS

EXPECTED = {
    # entity, kind, fiscal year — each read off the seed's title by hand
    "hanyang": ("hanyang", "final_accounts", 2023),  # L3 "2023 年度武汉市汉阳区…部门决算公开"
    "urumqi": ("urumqi", "final_accounts", 2023),  # L3-5 "…（汇总）/2023 年度部门决算"
    "yueyang": ("yueyang", "performance_self_eval", 2023),  # "2023年度岳阳市住房保障服务中心整体支出绩效自评报告"
    "handan": ("handan", "budget", 2022),  # "2022 年部门预算信息公开目录", "预算年度：2022"
    "miluo": ("miluo", "performance_self_eval", 2023),  # "2023年度部门整体支出绩效评价基础数据表"
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_detection(seed: str, tmp_path) -> None:
    # A meaningless file name: detection must not lean on it.
    path = tmp_path / "document.txt"
    shutil.copy(SEEDS[seed], path)
    doc = load_document(path)
    assert (doc.meta.entity.entity_id, doc.meta.doc_kind, doc.meta.year) == EXPECTED[seed]


def _source(text: str) -> Source:
    from pathlib import Path

    return Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(text))


def test_unknown_entity_gets_a_stable_slug() -> None:
    text = "2024年度上海市普陀区财政局部门决算\n目录\n收入支出决算总表\n"
    a, b = detect(_source(text)), detect(_source(text))
    assert a.entity.entity_id == b.entity.entity_id
    # Readable and ASCII (pinyin of its place and name), not an opaque hash.
    assert a.entity.entity_id == "shanghai-putuo-caizhengju"
    assert a.entity.name == "上海市普陀区财政局"
    assert (a.doc_kind, a.year) == ("final_accounts", 2024)


def test_unit_budget_scope() -> None:
    meta = detect(_source("上海市普陀区商务委员会\n2025年单位预算\n单位预算表\n"))
    assert meta.doc_kind == "budget" and meta.scope == "unit"


def test_not_a_disclosure() -> None:
    with pytest.raises(NotADisclosure):
        detect(_source("红烧肉做法\n五花肉 500 克\n"))
