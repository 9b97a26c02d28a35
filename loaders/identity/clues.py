"""What a document says about itself, by trust: its title, its labels, its tables, its prose.

Each finder returns :class:`Clue` s (a family, a year, a scope or a printed name, with the
line it was read from); :mod:`loaders.identity.detect` takes the most trusted one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice

from loaders.identity.names import clean_name, compact, is_org_name
from loaders.readers.source import Source, SourceLine

HEAD_LINES = 80  # title, table of contents, the first table header and the cover's labels
TITLE_LINES = 4  # a title broken over more lines than this is not a title

# The family a title or a sentence names: a 决算 that appends 绩效自评 tables is a 决算.
FAMILY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("final_accounts", re.compile(r"决算")),
    ("performance_self_eval", re.compile(r"绩效(?:自评|评价)|自评(?:报告|表)")),
    ("budget", re.compile(r"预算")),
)
# The standard tables of each family (the national nine, provincial 公开表, 绩效 forms).
STANDARD_TABLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("final_accounts", re.compile(r"收入支出决算总?表|收入决算表|支出决算(?:明细)?表|财政拨款.{0,12}决算.{0,4}表|(?:部门|单位)决算表")),
    ("budget", re.compile(
        r"(?:财务)?收支(?:预算)?总表|收入(?:预算)?总表|支出(?:预算)?总表|财政拨款.{0,12}预算表|政府采购.{0,4}预算表"
        r"|预算收支总表|一般公共预算.{0,12}预算表|(?:部门|单位)预算表"
    )),
    ("performance_self_eval", re.compile(r"绩效(?:自评|评价)(?:基础数据)?表|绩效自评报告")),
)
# A fiscal year as a title prints it, never a date ("2018 年 2 月 24 日").
YEAR = re.compile(
    r"(20\d{2})\s*(?:年度?|(?=(?:部门|单位|区级|市级|县级|省级)?(?:预算|决算)))(?!\s*\d{1,2}\s*月)"
)
_LABEL_YEAR = re.compile(r"(?:预算|决算)?年度\s*[:：]\s*(20\d{2})")
# The labels a document names itself with; the first group before a 表 makes it a table header.
_LABELS = r"预算主管部门|预算部门名称|部门名称|单位名称|预算单位名称|预算单位|编制单位|填报单位|部门|单位"
_SECONDARY_LABELS = r"主管部门|实施单位"
_LABEL = re.compile(rf"^(?P<table>.{{0,40}}?表)?(?P<label>{_LABELS})[:：](?P<value>.+)$")
_SECONDARY = re.compile(rf"^(?P<label>{_SECONDARY_LABELS})[:：]?(?P<value>.*)$")
_VALUE_END = re.compile(r"(?:金额)?单位[:：（(]|部门[:：]|(?:预算|决算)?年度[:：]|[（(]盖章[）)]|\s{2,}|\t")
# A unit after "单位：" ends there: 元宝区 or 人力资源和社会保障局 is a name, not a unit.
_MEASURE_UNIT = re.compile(r"^(?:人民币)?(?:万元|元|千元|亿元|个|人)(?![\u4e00-\u9fff])")
_NOISE = re.compile(
    r"^(?:[-—–_]*\d{1,3}[-—–_]*|第\d+页.*|附[件表]\d*[-—]?\d*|表[一二三四五六七八九十\d]+|公开\d+表"
    r"|20\d{2}年\d{1,2}月\d{1,2}日|.{0,12}印制)$"
)
_TOC = re.compile(r"^目录$|^第[一二三四五六七八九十]+部分")
# Prose whose subject is the document's entity: "某省政协办公厅 2019 年度收入、支出预算总计".
_SUBJECT = re.compile(r"^(?P<org>[^，。；：:、]{3,40}?)(?:20\d{2}年度?|本年度?)(?:部门|单位)?(?:收入|支出|财政拨款|预算|决算|收支)")


@dataclass(frozen=True)
class Clue:
    value: object
    tier: str  # title | label | table | text
    line: SourceLine

    @property
    def where(self) -> str:
        return f"{self.tier} {self.line.ref}"


@dataclass
class Title:
    lines: list[SourceLine]
    text: str  # whitespace-free

    @property
    def printed(self) -> str:
        return "".join(ln.clean.strip() for ln in self.lines)


def nonempty(source: Source) -> list[SourceLine]:
    return [ln for ln in source.lines if ln.clean.strip()]


def _is_table_start(line: SourceLine) -> bool:
    """A table's title ("收支预算总表", "…表部门：…") or a row of cells: the title block is over."""
    text = compact(line.clean)
    if "\t" in line.clean or ((m := _LABEL.match(text)) and m.group("table")):
        return True
    return text.endswith("表") and any(p.search(text) for _, p in STANDARD_TABLES)


def title_of(source: Source) -> Title | None:
    """The title block: the first lines of the first page with text, before the contents
    or the first table, joined (a title is often broken: "2018 年度某省高级 / 人民法院…")."""
    # Only the first lines with text are read: not a pass over the whole document.
    nonblank = (ln for ln in source.lines if ln.clean.strip())
    lines = list(islice(nonblank, 12))
    page = next((ln.page for ln in chain(lines, nonblank) if not _NOISE.match(compact(ln.clean))), None)
    taken: list[SourceLine] = []
    for line in lines:
        text = compact(line.clean)
        if line.page != page or _TOC.match(text) or _is_table_start(line):
            break
        if _NOISE.match(text):
            continue
        if _LABEL.match(text) or _SECONDARY.match(text):
            if taken:
                break
            continue
        taken.append(line)
        joined = "".join(compact(ln.clean) for ln in taken)
        if any(p.search(joined) for _, p in FAMILY_WORDS):
            return Title(taken, joined)
        if len(taken) >= TITLE_LINES:
            break
    return None


def family_in(text: str) -> tuple[str, int] | None:
    for kind, pattern in FAMILY_WORDS:
        if m := pattern.search(text):
            return kind, m.start()
    return None


def year_in(text: str, before: int | None = None) -> int | None:
    """The year nearest before ``before`` (the family word), else the first one."""
    years = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text)]
    if before is not None and (prior := [y for pos, y in years if pos <= before]):
        return prior[-1]
    return years[0][1] if years else None


def org_in_title(text: str, family_pos: int) -> str | None:
    """The organisation a title names, before its family word, around its year."""
    for piece in YEAR.split(text[:family_pos])[::2]:
        name = clean_name(piece)
        if is_org_name(name):
            return name
    return None


def _label_value(raw: str) -> str | None:
    value = _VALUE_END.split(raw.strip())[0]
    value = clean_name(value)
    if not value or _MEASURE_UNIT.match(value) or not is_org_name(value):
        return None
    return value


def label_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    """Names after a 部门/单位/预算主管部门/预算单位/编制单位 label (in the document's head):
    tier "label", or "table" where the label sits in a table's header."""
    for i, line in enumerate(lines):
        text = compact(line.clean)
        m = _LABEL.match(text)
        if m and (value := _label_value(m.group("value"))):
            yield Clue((m.group("label"), value), "table" if m.group("table") else "label", line)
        elif re.fullmatch(_LABELS, text) and i + 1 < len(lines) and (value := _label_value(compact(lines[i + 1].clean))):
            yield Clue((text, value), "label", lines[i + 1])  # a form's cell: label, then value


def secondary_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    """主管部门 / 实施单位 of a project form: the department, where nothing better names it."""
    for i, line in enumerate(lines):
        m = _SECONDARY.match(compact(line.clean))
        if not m:
            continue
        raw = m.group("value") or (compact(lines[i + 1].clean) if i + 1 < len(lines) else "")
        if value := _label_value(raw):
            yield Clue((m.group("label"), value), "table", line)


def header_name_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    """A line that is only a name (after a code: "502 邯郸市…局") next to a table title."""
    for i, line in enumerate(lines):
        name = clean_name(line.clean)
        if not is_org_name(name):
            continue
        near = " ".join(compact(ln.clean) for ln in lines[max(0, i - 2): i + 3])
        if any(p.search(near) for _, p in STANDARD_TABLES) or re.search(r"预算年度|单位[:：](?:万元|元)", near):
            yield Clue(("表头", name), "table", line)


def subject_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    """Prose (or contents) whose subject is the entity: "XX局 2019 年度收入、支出预算总计"."""
    for line in lines:
        m = _SUBJECT.match(compact(line.clean))
        if m and is_org_name(name := clean_name(m.group("org"))):
            yield Clue(("正文", name), "text", line)


def table_family_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    for line in lines:
        text = compact(line.clean)
        if len(text) > 80:
            continue
        for kind, pattern in STANDARD_TABLES:
            if pattern.search(text):
                yield Clue(kind, "table", line)
                break


def label_year_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    for line in lines:
        if m := _LABEL_YEAR.search(compact(line.clean)):
            yield Clue(int(m.group(1)), "label", line)


def table_year_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    """A year in a table's title: "2017年政府采购预算表部门：…", "一、2018 年度…收支预算总表"."""
    for line in lines:
        text = compact(line.clean)
        if len(text) <= 80 and any(p.search(text) for _, p in STANDARD_TABLES) and (y := year_in(text)):
            yield Clue(y, "table", line)


def table_scope_clues(lines: list[SourceLine]) -> Iterator[Clue]:
    for line in lines:
        text = compact(line.clean)
        if len(text) <= 80 and any(p.search(text) for _, p in STANDARD_TABLES):
            yield Clue("unit" if re.search(r"预算单位|单位预算|单位决算", text) else "department", "table", line)
