"""Organisation names as printed: cleaning, "is this an organisation?", and the key.

The key is the standard short form of a name (abbreviations.tsv): "中国共产党某省委员会
办公厅", "中共某省委办公厅" and "某省委办公厅" share one key. Place prefixes are handled
by :mod:`loaders.identity.places`, which knows the divisions.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from loaders.readers.normalize import no_blanks

ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.tsv")

# How organisation names end (局, 委员会, 办公厅, 法院, 街道办事处, 福利院, 中心 …).
ORG_SUFFIX = re.compile(
    r"(?:局|委员会|委|会|中心|办公室|办公厅|办|厅|院|所|馆|站|处|队|署|社|部|府|协|联|团|校|学|园|台|库|场|室|科|组)$"
)
# A name that ends like a place is a place, not an organisation (上海市普陀区, 江苏省).
PLACE_SUFFIX = re.compile(r"(?:省|市|区|县|州|旗|盟|镇|乡|街道|地区|自治区)$")
# Words that make a string a table title or a sentence, never an organisation's name.
NOT_A_NAME = re.compile(r"(?<!代)表|决算|支出|收入|经费|情况|说明|合计|目录|公开|年度|单位[:：]|部门[:：]|\d{3,}")
# A placeholder a template prints instead of a name ("上海市 XX 局").
PLACEHOLDER = re.compile(r"[XxＸｘ×*＊]{2,}|某某|〇〇|○○")

# "（汇总）", "（本级）" after a name: which accounts, not who.
_TRAILING_NOTE = re.compile(r"[（(][^（）()]{1,8}[）)]$")
# A TOC part or an enumerator before a name: "第二部分", "一、", "1.", "（一）", a code "502".
_LEADING_NOISE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{3,9}(?=\D))"
)
# Scope words a title puts between the name and the family: "…局部门决算", "…中心整体支出…".
_TRAILING_SCOPE = re.compile(r"(?:部门|单位|本级|机关|整体支出|项目支出|区级|市级|县级|省级)$")


@lru_cache(maxsize=1 << 14)  # the identity clues compact the same head lines in several passes
def compact(text: str) -> str:
    return no_blanks(text)


def clean_name(text: str) -> str:
    """The name without spaces, a leading part number/code and trailing notes or scope words."""
    name = compact(text).strip("：:、，,。;；《》“”\"'")
    while (m := _LEADING_NOISE.match(name)) and m.end() < len(name):
        name = name[m.end():]
    for _ in range(3):
        stripped = _TRAILING_SCOPE.sub("", _TRAILING_NOTE.sub("", name))
        if stripped == name:
            break
        name = stripped
    return name


def is_org_name(name: str) -> bool:
    """An organisation's name: ends like one, is not a place alone, holds no table words."""
    return (
        3 <= len(name) <= 40
        and bool(ORG_SUFFIX.search(name))
        and not PLACE_SUFFIX.search(name)
        and not NOT_A_NAME.search(name)
        and not re.search(r"[，。；;、]", name)
    )


def is_placeholder(name: str) -> bool:
    return bool(PLACEHOLDER.search(name))


@cache
def abbreviations() -> tuple[tuple[re.Pattern[str], str], ...]:
    rules = []
    for line in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, replacement, *_ = line.split("\t")
        rules.append((re.compile(pattern), replacement.replace("\\1", r"\g<1>")))
    return tuple(rules)


def abbreviate(name: str) -> str:
    """The standard short form: 中国共产党…委员会 → 中共…委, 中国人民政治协商会议…委员会 → …政协."""
    for pattern, replacement in abbreviations():
        name = pattern.sub(replacement, name)
    return name


def split_party(name: str) -> tuple[bool, str]:
    """("中共" printed or implied, the name without it): 中共某省委办公厅 → (True, 某省委办公厅)."""
    if name.startswith("中共") and len(name) > 4:
        return True, name[2:]
    return False, name


def name_key(printed: str) -> str:
    """The key two printings of one name share (place prefixes aside)."""
    return split_party(abbreviate(clean_name(printed)))[1]
