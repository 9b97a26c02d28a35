"""Identity from the document itself: family, year, scope and entity, in order of trust
(title, then 部门/单位 labels, then table headers and titles, then prose).

The corpus expectations were read by hand off the rendered pages (``pdftoppm -r 70``); the
page that shows each is in the comment. The synthetic cases pin one rule each.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.errors import NotADisclosure
from loaders.identity.detect import detect
from loaders.identity.entities import REGISTRY, match_registry, resolve
from loaders.readers import read_source
from loaders.readers.source import Source, lines_from_text

from .conftest import ROOT, SEEDS

SHARED = ROOT.parent / "shared"
CPC = ("jiangsu-shengweibangongting", "中共江苏省委办公厅")
CPPCC = ("jiangsu-zhengxiebangongting", "江苏省政协办公厅")
NPC = ("jiangsu-rendachangweihuibangongting", "江苏省人大常委会办公厅")
COURT = ("jiangsu-gaojirenminfayuan", "江苏省高级人民法院")
PROCURATORATE = ("jiangsu-renminjianchayuan", "江苏省人民检察院")
COMMERCE = ("shanghai-putuo-shangwuweiyuanhui", "上海市普陀区商务委员会")

# file: (family, year, scope, (entity id, entity name))
CORPUS = {
    # p1 "2017 年度江苏省高级人民法院部门预算公开"
    "corpus/jiangsu-court-2017-budget.pdf": ("budget", 2017, "department", COURT),
    # p1 "2018 年度江苏省高级 / 人民法院预算公开" (the title broken over two lines)
    "corpus/jiangsu-court-2018-budget.pdf": ("budget", 2018, "department", COURT),
    # p1 "江苏省委办公厅 2017 年度部门预算"; p4 lists its units (东郊国宾馆): not the entity
    "corpus/jiangsu-cpcoffice-2017-budget-narrative.pdf": ("budget", 2017, "department", CPC),
    # tables only: p1 "收支预算总表 部门：中国共产党江苏省委员会办公厅"; the year only in
    # p12 "2017年政府采购预算表"
    "corpus/jiangsu-cpcoffice-2017-budget-tables.pdf": ("budget", 2017, "department", CPC),
    # p1 "江苏省委办公厅2018年度部门预算公开"
    "corpus/jiangsu-cpcoffice-2018-budget-narrative.pdf": ("budget", 2018, "department", CPC),
    # p1 cover "江苏省2018年度 / 省级部门预算公开报表 / 部门:中共江苏省委办公厅 / 江苏省财政厅印制"
    "corpus/jiangsu-cpcoffice-2018-budget-tables.pdf": ("budget", 2018, "department", CPC),
    # p1 "收支预算总表 部门：中共江苏省委办公厅"; p12 "2019年政府采购预算表"
    "corpus/jiangsu-cpcoffice-2019-budget-tables.pdf": ("budget", 2019, "department", CPC),
    # p1 "江苏省政协办公厅 2017 年度部门预算"
    "corpus/jiangsu-cppcc-2017-budget-narrative.pdf": ("budget", 2017, "department", CPPCC),
    # p1 "表一 / 收支预算总表 部门：江苏省政协办公厅"; p12 "2017年政府采购预算表"
    "corpus/jiangsu-cppcc-2017-budget-tables.pdf": ("budget", 2017, "department", CPPCC),
    # p1 "江苏省政协办公厅 2018 年度 / 部门预算公开"
    "corpus/jiangsu-cppcc-2018-budget-narrative.pdf": ("budget", 2018, "department", CPPCC),
    # p1 "江苏省政协办公厅2019年度 / 部门预算公开" is drawn without a text layer: the name is
    # read from p9 "江苏省政协办公厅 2019 年度收入、支出预算总计…", the year from p2's contents
    "corpus/jiangsu-cppcc-2019-budget-narrative.pdf": ("budget", 2019, "department", CPPCC),
    # p1 "公开01表 / 收支预算总表 部门：江苏省政协办公厅"; p12 "2019年政府采购预算表"
    "corpus/jiangsu-cppcc-2019-budget-tables.pdf": ("budget", 2019, "department", CPPCC),
    # p1 "江苏省人大常委会办公厅 / 2019年度部门预算公开"
    "corpus/jiangsu-npc-2019-budget-narrative.pdf": ("budget", 2019, "department", NPC),
    # p1 "收支预算总表 公开表一 部门：江苏省人大常委会办公厅"; p12 "2019年政府采购预算表"
    "corpus/jiangsu-npc-2019-budget-tables.pdf": ("budget", 2019, "department", NPC),
    # p1 "江苏省人大常委会办公厅 / 2017 年度部门预算" (contents abbreviate it 省人大办公厅)
    "corpus/jiangsu-npc-office-2017-budget.pdf": ("budget", 2017, "department", NPC),
    # p1 "江苏省人大常委会办公厅2018年度部门 / 预算公开"
    "corpus/jiangsu-npc-office-2018-budget.pdf": ("budget", 2018, "department", NPC),
    # p1 cover "江苏省人民检察院 / 2017 年部门预算"
    "corpus/jiangsu-procuratorate-2017-budget.pdf": ("budget", 2017, "department", PROCURATORATE),
    # p1 cover "江苏省人民检察院 / 2018年部门预算"
    "corpus/jiangsu-procuratorate-2018-budget.pdf": ("budget", 2018, "department", PROCURATORATE),
    # p1 "江苏省人民检察院 / 2019年度部门预算公开"
    "corpus/jiangsu-procuratorate-2019-budget.pdf": ("budget", 2019, "department", PROCURATORATE),
    # p1 "上海市普陀区2023年区级部门预算 / 预算主管部门：上海市普陀区人民政府万里街道办事处"
    "corpus/putuo-wanli-2023-budget.pdf": (
        "budget", 2023, "department",
        ("shanghai-putuo-renminzhengfuwanlijiedaobanshichu", "上海市普陀区人民政府万里街道办事处"),
    ),
    # p1 "上海市普陀区社会福利院2024年单位预算 / 预算单位：上海市普陀区社会福利院"
    "corpus/putuo-welfare-home-2024-unit-budget.pdf": (
        "budget", 2024, "unit", ("shanghai-putuo-shehuifuliyuan", "上海市普陀区社会福利院"),
    ),
    # p1 "上海市 XX 局 / 2024 年度部门决算": a template, loaded under its placeholder name
    "pdfs/final-accounts-template-2024.pdf": ("final_accounts", 2024, "department", ("shanghai-xxju", "上海市XX局")),
    # p1 "上海市普陀区2025年区级部门预算 / 预算主管部门：上海市普陀区商务委员会"
    "pdfs/putuo-commerce-2025-budget.pdf": ("budget", 2025, "department", COMMERCE),
    # p1 "上海市普陀区2025年区级单位预算 / 预算单位：上海市普陀区商务委员会"
    "pdfs/putuo-commerce-unit-2025-budget.pdf": ("budget", 2025, "unit", COMMERCE),
    # p1 "上海市普陀区财政局 / 2024年度部门决算"
    "pdfs/putuo-finance-2024-final.pdf": (
        "final_accounts", 2024, "department", ("shanghai-putuo-caizhengju", "上海市普陀区财政局"),
    ),
}
_READ: dict[str, Source] = {}


def _shared(name: str) -> Source:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"../shared/{name} not present (the corpus lives beside the project, not in it)")
    if name not in _READ:
        _READ[name] = read_source(path)
    return _READ[name]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_document_names_itself(name: str) -> None:
    meta = detect(_shared(name))
    kind, year, scope, (entity_id, entity_name) = CORPUS[name]
    assert (meta.doc_kind, meta.year, meta.scope) == (kind, year, scope)
    assert (meta.entity.entity_id, meta.entity.name) == (entity_id, entity_name)
    assert meta.entity_found_in and meta.year_found_in


def test_corpus_places() -> None:
    finance = detect(_shared("pdfs/putuo-finance-2024-final.pdf")).entity
    assert (finance.province, finance.city, finance.county, finance.division_code) == ("上海市", "上海市", "普陀区", "310107")
    assert finance.short == "普陀区财政局"
    court = detect(_shared("corpus/jiangsu-court-2018-budget.pdf")).entity
    assert (court.province, court.admin_level, court.division_code) == ("江苏省", "province", "320000")


def test_template_placeholder_is_flagged() -> None:
    meta = detect(_shared("pdfs/final-accounts-template-2024.pdf"))
    assert any("placeholder" in w for w in meta.warnings)


# --- synthetic: one rule each -------------------------------------------------------


def _source(text: str) -> Source:
    return Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(text))


def _meta(text: str):
    return detect(_source(text))


def test_year_only_in_a_table_title() -> None:
    meta = _meta(
        "收支预算总表\n部门：浙江省民政厅\t单位：万元\n收入\t金额\n一、财政拨款\t100.00\n"
        "2021年政府采购预算表部门：浙江省民政厅单位：万元\n合计\t5.00\n"
    )
    assert (meta.doc_kind, meta.year, meta.entity.name) == ("budget", 2021, "浙江省民政厅")
    assert meta.entity.entity_id == "zhejiang-minzhengting"
    assert meta.year_found_in.startswith("table")


def test_tables_only_family_from_standard_table_titles() -> None:
    meta = _meta("公开01表\n2022年度收入支出决算总表\n编制单位：杭州市西湖区财政局\t金额单位：万元\n项目\t决算数\n")
    assert (meta.doc_kind, meta.year) == ("final_accounts", 2022)
    assert meta.entity.entity_id == "hangzhou-xihu-caizhengju"
    assert meta.entity.province == "浙江省" and meta.entity.admin_level == "district"


def test_narrative_only_names_itself_in_its_prose() -> None:
    meta = _meta(
        "第一部分 部门概况\n一、主要职能\n负责全区财政工作。\n第二部分 2022 年度部门决算情况说明\n"
        "杭州市西湖区财政局 2022 年度收入、支出决算总计 1,234.56 万元。\n"
    )
    assert (meta.doc_kind, meta.year, meta.entity.entity_id) == ("final_accounts", 2022, "hangzhou-xihu-caizhengju")
    assert meta.entity_found_in.startswith("text")


def test_label_beats_a_registry_name_mentioned_in_the_text() -> None:
    meta = _meta(
        "2023年度部门决算\n编制单位：长沙市天心区财政局\n目录\n"
        "本年参照武汉市汉阳区住房保障和房屋管理局的做法开展工作。\n"
    )
    assert meta.entity.entity_id == "changsha-tianxin-caizhengju"
    assert meta.entity_found_in.startswith("label")


def test_title_beats_a_unit_it_lists() -> None:
    meta = _meta(
        "江苏省委办公厅 2017 年度部门预算\n目录\n第二部分省委办公厅 2017 年度部门预算表\n"
        "直属事业单位：东郊国宾馆、西康宾馆。\n"
    )
    assert (meta.entity.entity_id, meta.entity.name) == CPC


def test_title_broken_over_two_lines_and_a_date() -> None:
    meta = _meta("2018 年度江苏省高级\n人民法院预算公开\n2018 年 2 月 24 日\n目录\n")
    assert (meta.doc_kind, meta.year, meta.entity.name) == ("budget", 2018, "江苏省高级人民法院")


def test_cover_with_a_department_label() -> None:
    meta = _meta("江苏省2018年度\n省级部门预算公开报表\n部门:中共江苏省委办公厅\n江苏省财政厅印制\n目录\n")
    assert (meta.year, meta.entity.entity_id) == (2018, CPC[0])


def test_final_accounts_year_is_the_year_accounted_for() -> None:
    meta = _meta("2023 年度某某市财政局部门决算公开\n2024 年 10 月 28 日\n目录\n")
    assert (meta.doc_kind, meta.year) == ("final_accounts", 2023)


def test_final_accounts_with_performance_tables_is_final_accounts() -> None:
    meta = _meta("2023年度长沙市天心区财政局部门决算\n目录\n附件：2023年度项目支出绩效自评表\n绩效自评报告\n")
    assert meta.doc_kind == "final_accounts"


def test_unit_budget_of_a_department() -> None:
    unit = _meta("上海市普陀区2025年区级单位预算\n预算单位：上海市普陀区商务委员会\n目录\n")
    dept = _meta("上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区商务委员会\n目录\n")
    assert (unit.scope, dept.scope) == ("unit", "department")
    assert unit.entity == dept.entity


def test_measure_unit_is_not_a_name() -> None:
    meta = _meta("收支预算总表\n单位：万元\n部门：浙江省民政厅\n2021年政府采购预算表\n")
    assert meta.entity.name == "浙江省民政厅"


def test_with_and_without_the_city_prefix_one_entity() -> None:
    shanghai = "上海市普陀区2024年部门决算说明。上海市人民政府。上海市财政局。"
    a, b = resolve("上海市普陀区财政局", shanghai), resolve("普陀区财政局", shanghai)
    assert a == b and a.name == "上海市普陀区财政局" and a.entity_id == "shanghai-putuo-caizhengju"
    # The same district name in a Zhoushan document is Zhoushan's.
    zhoushan = resolve("普陀区财政局", "浙江省舟山市普陀区。舟山市人民政府。舟山市。")
    assert (zhoushan.city, zhoushan.division_code) == ("舟山市", "330903")
    assert zhoushan.entity_id != a.entity_id


def test_abbreviation_variants_one_entity() -> None:
    jiangsu = "江苏省财政厅。江苏省人民政府。江苏省。"
    forms = ("中国共产党江苏省委员会办公厅", "中共江苏省委办公厅", "江苏省委办公厅", "省委办公厅")
    entities = {resolve(f, jiangsu) for f in forms}
    assert len(entities) == 1
    (entity,) = entities
    assert (entity.entity_id, entity.name, entity.short) == (*CPC, "江苏省委办公厅")
    assert resolve("中国人民政治协商会议江苏省委员会办公厅", jiangsu).entity_id == CPPCC[0]
    assert resolve("江苏省人民代表大会常务委员会办公厅", jiangsu).entity_id == NPC[0]


def test_ids_are_readable_ascii_and_stable() -> None:
    for name in ("湘阴县住房和城乡建设局", "克拉玛依市住房保障和房产管理局", "武汉市江岸区住房保障和房屋管理局"):
        a, b = resolve(name), resolve(name)
        assert a.entity_id == b.entity_id and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", a.entity_id)
    assert resolve("湘阴县住房和城乡建设局").province == "湖南省"


def test_registry_is_data_with_the_contract_ids() -> None:
    assert {e.entity_id for e in REGISTRY} == set(SEEDS)
    assert all(e.division_code and e.province for e in REGISTRY)
    # It maps a printed name, with or without its province/city prefix; nothing else.
    assert match_registry("汉阳区住房保障和房屋管理局").entity_id == "hanyang"
    assert match_registry("湖北省武汉市汉阳区住房保障和房屋管理局").entity_id == "hanyang"
    assert match_registry("住房保障和房产管理局") is None


def test_no_name_at_all_is_a_clear_error() -> None:
    with pytest.raises(NotADisclosure, match="no department or unit name"):
        _meta("2023年度部门决算\n目录\n一、收入支出决算总表\n")


def test_registry_hits_never_load_the_division_table() -> None:
    # cpca and pypinyin cost about a second: a seed build must not touch them.
    code = (
        "import sys; from loaders.build import load_document; from pathlib import Path; "
        f"load_document(Path({str(SEEDS['hanyang'])!r})); "
        "print('cpca' in sys.modules, 'pypinyin' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- The place-name pattern ----------------------------------------------------------------------


def _place_names() -> list[str]:
    from loaders.identity.places import _codes_by_name

    return [n for n in _codes_by_name() if len(n) >= 3]


@pytest.fixture(scope="module")
def plain_place_pattern() -> re.Pattern[str]:
    """What the trie pattern stands for: every full name, longest first, as one alternation."""
    return re.compile("|".join(map(re.escape, sorted(_place_names(), key=len, reverse=True))))


def test_place_pattern_finds_what_the_plain_alternation_finds(plain_place_pattern):
    # Random texts built from whole names, their beginnings and ends (which share prefixes
    # with longer names: 南京 / 南京市 / 南京市鼓楼区) and filler characters, seeded.
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from loaders.identity.places import _mention_pattern

    names = sorted(_place_names())
    name = st.sampled_from(names)
    piece = st.one_of(
        name,
        name.flatmap(lambda n: st.integers(1, len(n) - 1).map(lambda k: n[:k])),
        name.flatmap(lambda n: st.integers(1, len(n) - 1).map(lambda k: n[k:])),
        st.text(alphabet="市区县省自治州盟旗镇乡 ，。\t0123", min_size=1, max_size=3),
    )

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(piece, max_size=12).map("".join))
    def same_mentions(text: str) -> None:
        found = [(m.span(), m.group(0)) for m in _mention_pattern().finditer(text)]
        assert found == [(m.span(), m.group(0)) for m in plain_place_pattern.finditer(text)]

    same_mentions()


def test_a_place_read_without_the_dataframe_is_cpcas_transform():
    # cpca's one-name step (no DataFrame per name) gives the row transform gives, on names
    # alone, with a department's words after them, pairs of names, and a twin's umap.
    import random

    from loaders.identity.places import _codes_by_name, _cpca, _reading

    names = sorted(_codes_by_name())
    rnd = random.Random(9)
    probes = [*rnd.sample(names, 150), *(n + "住房和城乡建设局" for n in rnd.sample(names, 50)),
              *(a + b for a, b in zip(rnd.sample(names, 50), rnd.sample(names, 50), strict=True)),
              "", "省委办公厅", "某某局"]
    twins = [(n, c) for n, codes in _codes_by_name().items() if len(codes) > 1 for c in codes][:20]
    for name, umap in [*((p, ()) for p in probes), *((n, ((n, c),)) for n, c in twins)]:
        row = _cpca().transform([name], pos_sensitive=True, umap=dict(umap)).iloc[0]
        record = _reading(name, umap)
        for key in ("省_pos", "市_pos", "区_pos"):
            assert int(row[key]) == int(record[key]), (name, key)
        for key in ("adcode", "地址"):
            assert (row[key] if isinstance(row[key], str) else None) == (
                record[key] if isinstance(record[key], str) else None), (name, key)
