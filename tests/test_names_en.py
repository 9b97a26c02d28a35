"""English names of departments and places (dashboard/names_en.py): the department-type words from
the vocabulary table (data), places transliterated with pypinyin."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import names_en
from dashboard.common import entity_labels
from dashboard.names_en import english_name, english_names, tokens, vocabulary


@pytest.mark.parametrize("zh, en", [
    ("汉阳区", "Hanyang District"),
    ("邯郸市", "Handan City"),
    ("汨罗市住房和城乡建设局", "Miluo Municipal Housing and Urban-Rural Development Bureau"),
    ("武汉市汉阳区住房保障和房屋管理局", "Wuhan Hanyang District Housing Security and Housing Administration Bureau"),
    ("岳阳市住房保障服务中心", "Yueyang Municipal Housing Security Service Center"),
    ("江苏省高级人民法院", "Jiangsu Provincial Higher People's Court"),
    ("中共江苏省委办公厅", "CPC Jiangsu Provincial Committee General Office"),
    ("上海市普陀区财政局", "Shanghai Putuo District Finance Bureau"),
    ("普陀区人民政府万里街道办事处", "Putuo District People's Government Wanli Subdistrict Office"),
    ("乌鲁木齐市住房保障和房产管理局（汇总）",
     "Urumqi Municipal Housing Security and Real Estate Administration Bureau (consolidated)"),
])
def test_english_names(zh, en):
    assert english_name(zh) == en


def test_missing_and_latin_names():
    assert english_name(None) == "" and english_name("  ") == ""
    assert english_name("上海市XX局") == "Shanghai Municipal XX Bureau"  # letters kept as printed
    assert english_names(["汉阳区", None]) == ["Hanyang District", ""]


def test_unknown_words_are_transliterated_not_dropped():
    # 万里 is neither a place with a level word nor in the vocabulary: pinyin, one word
    kinds = [(k, zh) for k, zh, _ in tokens("万里街道办事处")]
    assert kinds == [("pinyin", "万里"), ("word", "街道办事处")]
    assert english_name("某某局") == "Moumou Bureau"


def test_vocabulary_is_data():
    words, places = vocabulary()
    assert names_en.VOCABULARY.suffix == ".tsv"
    assert words["住房和城乡建设局"] == "Housing and Urban-Rural Development Bureau"
    assert places["乌鲁木齐"] == "Urumqi"  # an established English place name, as data
    # every word of the table is used as written
    for zh, en in list(words.items())[:10]:
        assert english_name(zh) == en


def test_entity_labels_in_english():
    docs = pd.DataFrame({"entity_id": ["hanyang", "miluo"], "entity_name": ["武汉市汉阳区住房保障和房屋管理局",
                         "汨罗市住房和城乡建设局"], "entity_short": ["汉阳区", None], "year": [2023, 2023]})
    assert entity_labels(docs) == {"hanyang": "汉阳区", "miluo": "汨罗市住房和城乡建设局"}
    assert entity_labels(docs, "en") == {"hanyang": "Hanyang District",
                                         "miluo": "Miluo Municipal Housing and Urban-Rural Development Bureau"}
