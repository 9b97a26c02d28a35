"""The national formats as data (loaders/spec/national_formats.toml): loading, title kinds and
aliases, the choice of format, the declared-empty sentences, and the one 三公 vocabulary."""

from __future__ import annotations

import tomllib

from loaders.spec import formats
from loaders.spec.formats import choose_format, declares_empty, table_kind
from loaders.spec.tables import clean_title
from loaders.spec.vocabulary import header_item, other_item, sangong_item


def kind(title: str, family: str = "budget") -> str | None:
    return table_kind(clean_title(title), family)


def test_spec_file_is_data_and_loads():
    with formats.SPEC_FILE.open("rb") as f:
        raw = tomllib.load(f)
    assert set(raw) >= {"budget", "final_accounts", "sangong", "other_items", "breakdowns", "measures", "empty"}
    budget = {f.name: f for f in formats.formats("budget")}
    assert set(budget) >= {"national", "jiangsu", "shanghai", "institution_short"}
    assert len(budget["national"].tables) == 9 and len(budget["jiangsu"].tables) == 12
    assert len(formats.formats("final_accounts")[0].tables) == 9
    # every kind a format lists is one the titles can be matched to
    for family in formats.FAMILIES:
        kinds = {r.kind for r in formats.kind_rules(family)}
        for f in formats.formats(family):
            assert set(f.kinds) <= kinds, (family, f.name)


def test_budget_title_aliases():
    # the national nine, as printed in many wordings
    assert kind("部门预算收支总表") == "summary"
    assert kind("2025年部门财务收支预算总表") == "summary"
    assert kind("一、2017年度江苏省高级人民法院部门收支预算总表") == "summary"
    assert kind("收入预算总表") == "income"
    assert kind("3. 2025年部门支出预算总表") == "expenditure"
    assert kind("财政拨款收支预算总表") == "fiscal_summary"
    assert kind("部门预算政府基金预算财政拨款支出表") == "government_fund"
    assert kind("国有资本经营预算支出功能分类预算表") == "state_capital"
    assert kind("一般公共预算基本支出部门预算经济分类预算表") == "general_basic"
    assert kind("部门预算一般公共预算财政拨款支出表") == "general_public"
    # 江苏 公开05/06表, with their （功能科目）/（经济科目） qualifier
    assert kind("财政拨款支出预算表（功能科目）") == "fiscal_expenditure"
    assert kind("财政拨款基本支出预算表（经济科目）") == "fiscal_basic"
    assert kind("一般公共预算机关运行经费支出预算表") == "operating"
    assert kind("政府采购预算表") == "procurement"
    assert kind("“三公”经费、会议费、培训费支出预算表（一般公共预算）") == "sangong"
    assert kind("2025年部门“三公”经费和机关运行经费预算表") == "sangong"
    # not standard tables
    assert kind("财政项目支出绩效目标填报表") is None
    assert kind("第二部分江苏省高级人民法院 2017 年度部门预算表") is None


def test_final_accounts_title_aliases():
    assert kind("2023 年度收入支出决算总表", "final_accounts") == "summary"
    assert kind("一般公共预算财政拨款基本支出决算明细表", "final_accounts") == "general_basic"
    assert kind("财政拨款“三公”经费支出决算表", "final_accounts") == "sangong"
    assert kind("部门整体支出绩效自评表", "final_accounts") is None
    assert kind("收支预算总表", "final_accounts") is None  # a 预算 title is no 决算 table


def test_format_choice():
    national = {"summary", "income", "expenditure", "fiscal_summary", "general_public", "general_basic",
                "government_fund", "state_capital", "sangong"}
    assert choose_format("budget", national).name == "national"
    jiangsu = national - {"state_capital"} | {"fiscal_expenditure", "fiscal_basic", "operating", "procurement"}
    assert choose_format("budget", jiangsu).name == "jiangsu"
    # the same nine kinds in Shanghai's wording
    titles = ["部门财务收支预算总表", "部门一般公共预算支出功能分类预算表", "部门“三公”经费和机关运行经费预算表"]
    assert choose_format("budget", national, titles).name == "shanghai"
    # two tables printed: the national nine is the frame, not the shortest format
    assert choose_format("budget", {"general_public", "sangong"}).name == "national"


def test_declared_empty_sentences():
    assert declares_empty("本单位无政府性基金预算拨款，故此表无数据。")
    assert declares_empty("注：无国有资本经营预算财政拨款预算，空表列示。")
    assert declares_empty("本部门无该项目")
    assert declares_empty("注：本部门无相关收支项目")
    assert declares_empty("我单位无2017年政府性基金支出安排")
    assert declares_empty("(无政府性基金支出）")
    assert not declares_empty("注：本表反映部门本年度各项支出情况。")


def test_sangong_vocabulary():
    assert sangong_item("一、因公出国（境）费") == "outbound_travel"
    assert sangong_item("二、公务用车购置及运维费") == "vehicle_total"
    assert sangong_item("其中：公务用车购置费") == "vehicle_purchase"
    assert sangong_item("公务用车运行维护费") == "vehicle_operation"
    assert sangong_item("三、公务接待费") == "official_reception"
    assert sangong_item("合计") == "total"
    assert sangong_item("小计", "公务用车购置及运行维护费") == "vehicle_total"
    assert sangong_item("小计", "“三公”经费") == "total"
    # not 三公: 会议费, 培训费, 机关运行经费 are figures of their own
    for label in ("会议费", "培训费", "机关运行经费", "2025年机关运行经费预算数"):
        assert sangong_item(label) is None
    assert other_item("会议费") == "meeting" and other_item("培训费") == "training"
    assert other_item("机关运行经费") == "operating"
    # header paths, lowest level first; a header the PDF split over two levels is joined
    assert header_item(("“三公”经费", "小计")) == ("sangong", "total")
    assert header_item(("“三公”经费", "公务接", "待费")) == ("sangong", "official_reception")
    assert header_item(("公务用车购置及运行费", "小计", "预算数")) == ("sangong", "vehicle_total")
    assert header_item(("会议费",)) == ("other", "meeting")
    assert header_item(("预算数",)) is None


def test_sangong_section_is_the_one_vocabulary():
    # every 三公 item and neighbour is listed once, with names that compile (words expanded)
    from loaders.spec import vocabulary

    raw = formats.spec()
    assert set(raw["item_words"]) >= {"vehicle", "fee"}
    items = vocabulary.sangong_items()
    assert [i.item for i in items] == list(vocabulary.SANGONG_ITEMS)
    assert [i.item for i in vocabulary.neighbours()] == list(vocabulary.NEIGHBOURS)
    for i in (*items, *vocabulary.neighbours()):
        assert i.names and "<" not in i.pattern.replace("(?<!", ""), i.item
        i.anywhere  # noqa: B018 - compiles
    # the vehicles' parts name their vehicle; only a 三公 table's short forms may drop it
    vehicle = raw["item_words"]["vehicle"]
    for item in ("vehicle_total", "vehicle_purchase", "vehicle_operation"):
        assert all(n.startswith(f"(?:{vehicle})") for n in next(i for i in items if i.item == item).names)
