"""A seed with its place name replaced throughout loads as a new entity with the same figures.

Identity comes from the document, not from a list of five names: the copy must get a
readable id of its own, the right province, and every figure the seed gives.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from loaders.build import build
from loaders.schema import FACT_DATASETS

from .conftest import SEEDS

# seed: (replacements in order, the copy's province) — each a real division of the same
# province (GB/T 2260): 江岸区 of 武汉市, 克拉玛依市 in Xinjiang, 衡阳市 in Hunan, 邢台市 in
# Hebei; 汨罗市 (a county-level city of 岳阳市) becomes 湘阴县 of the same city.
RENAMES = {
    "hanyang": ((("汉阳", "江岸"),), "湖北省"),
    "urumqi": ((("乌鲁木齐", "克拉玛依"),), "新疆维吾尔自治区"),
    "yueyang": ((("岳阳", "衡阳"),), "湖南省"),
    "handan": ((("邯郸", "邢台"),), "河北省"),
    "miluo": ((("汨罗市", "湘阴县"), ("汨罗", "湘阴")), "湖南省"),
}
KEYS = ("entity_id", "doc_id", "source_file")


def _rename(text: str, pairs) -> str:
    """Replace each place name, also where the file prints it with compatibility characters
    (a Kangxi radical ⽊ for 木: the reader normalises them) or breaks it over two lines."""
    variants = {unicodedata.normalize("NFKC", ch): set() for ch in set(text)}
    for ch in set(text):
        variants[unicodedata.normalize("NFKC", ch)].add(ch)
    for old, new in pairs:
        assert len(old) == len(new)  # a name broken over two lines ("乌\n鲁木齐") keeps its break
        pattern = "([ \t]*\n?)".join("[" + re.escape("".join(variants.get(c, set()) | {c})) + "]" for c in old)
        text = re.sub(pattern, lambda m, new=new: "".join(map("".join, zip(new, (*m.groups(), ""), strict=True))), text)
    return text


def _rows(tables, dataset: str, pairs=()) -> list[tuple]:
    df = tables[dataset].to_pandas().drop(columns=[c for c in KEYS if c in tables[dataset].column_names])
    # Names printed in the rows (projects, items) carry the place: compare them renamed.
    return sorted(
        tuple(_rename(v, pairs) if isinstance(v, str) else str(v) for v in row) for row in df.itertuples(index=False)
    )


@pytest.mark.parametrize("seed", sorted(RENAMES))
def test_renamed_seed_is_a_new_entity_with_the_same_figures(seed: str, tmp_path) -> None:
    pairs, province = RENAMES[seed]
    original = tmp_path / "original"
    renamed = tmp_path / "renamed"
    original.mkdir()
    renamed.mkdir()
    text = SEEDS[seed].read_text(encoding="utf-8")
    (original / "document.txt").write_text(text, encoding="utf-8")
    (renamed / "document.txt").write_text(_rename(text, pairs), encoding="utf-8")

    a = build([original], tmp_path / "a", write=False)
    b = build([renamed], tmp_path / "b", write=False)
    assert not a.failures and not b.failures, (a.failures, b.failures)

    doc = b.tables["documents"].to_pylist()[0]
    assert doc["entity_id"] != seed
    assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", doc["entity_id"]), doc["entity_id"]
    assert doc["province"] == province
    assert pairs[0][1] in doc["entity_name"]
    assert doc["division_code"] and len(doc["division_code"]) == 6
    seed_doc = a.tables["documents"].to_pylist()[0]
    assert (doc["doc_kind"], doc["year"], doc["scope"]) == (seed_doc["doc_kind"], seed_doc["year"], seed_doc["scope"])

    for dataset in FACT_DATASETS:
        assert _rows(b.tables, dataset) == _rows(a.tables, dataset, pairs), dataset


def test_renamed_copies_have_distinct_readable_ids(tmp_path) -> None:
    ids = set()
    for seed, (pairs, _) in RENAMES.items():
        path = tmp_path / f"{seed}.txt"
        path.write_text(_rename(SEEDS[seed].read_text(encoding="utf-8"), pairs), encoding="utf-8")
    result = build([tmp_path], tmp_path / "out", write=False)
    ids = {r["entity_id"] for r in result.tables["documents"].to_pylist()}
    assert len(ids) == len(RENAMES)
    assert not ids & set(RENAMES)
    assert pd.notna(list(ids)).all()


@pytest.mark.parametrize(("pairs", "province"), [
    ((("汨罗市", "元宝区"), ("汨罗", "元宝")), "辽宁省"),  # 元宝区 of 丹东市: 元 is also a unit of money
    ((("汨罗市", "元谋县"), ("汨罗", "元谋")), "云南省"),
])
def test_a_place_whose_name_begins_with_a_unit_word_is_read(pairs, province, tmp_path) -> None:
    """Regression: "单位名称：元宝区…" was taken for a unit label ("单位：元") and the name lost."""
    (tmp_path / "document.txt").write_text(_rename(SEEDS["miluo"].read_text(encoding="utf-8"), pairs),
                                           encoding="utf-8")
    result = build([tmp_path], tmp_path / "out", write=False)
    assert not result.failures, result.failures
    doc = result.tables["documents"].to_pylist()[0]
    assert doc["province"] == province and pairs[0][1] in doc["entity_name"]
