"""Where an entity sits, read from its name: province, city, county, GB/T 2260 code.

The divisions come from the cpca library (the national division table). A district name
that several cities share (普陀区: Shanghai's and Zhoushan's) is settled by the places the
document itself prints most. cpca and pypinyin are imported on first use: the registry
answers for known entities without them (loading the table costs about a second).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

CONTEXT_CHARS = 40_000  # the part of a document whose place names settle an ambiguity


@dataclass(frozen=True)
class Division:
    province: str = ""
    city: str = ""  # prefecture level; a municipality (上海市) is its own city
    county: str = ""  # county level: 区, 县, 县级市, 旗
    code: str = ""  # 6 digits
    level: str = ""  # province | city | county | district
    end: int = 0  # where the place prefix ends in the name (0: the name carries none)


@cache
def _cpca():
    import cpca

    return cpca


@cache
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    by_name: dict[str, list[str]] = {}
    for info in _cpca().ad_2_addr_dict.values():
        by_name.setdefault(info.name, []).append(info.adcode)
    return {name: tuple(sorted(set(codes))) for name, codes in by_name.items()}


def name_of(code: str) -> str:
    info = _cpca().ad_2_addr_dict.get(code.ljust(12, "0"))
    return info.name if info else ""


def division_of(code: str, end: int = 0) -> Division:
    """The division of a 6-digit code, with its parents' names."""
    province = name_of(code[:2])
    if code.endswith("0000"):
        return Division(province, province if province.endswith("市") else "", "", code, "province", end)
    city = name_of(code[:4])
    if not city or city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        city = province if province.endswith("市") else ""
    if code.endswith("00"):
        return Division(province, city, "", code, "city", end)
    county = name_of(code)
    return Division(province, city, county, code, "district" if county.endswith("区") else "county", end)


def _trie_regex(node: dict) -> str:
    """A pattern matching the words of a trie, longest first at each position (as an
    alternation sorted by length would, but without trying thousands of names at every
    character: Python's re does not factor common prefixes itself)."""
    alts = [re.escape(ch) + _trie_regex(sub) for ch, sub in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(alts) == 1 else body + "?"


@cache
def _mention_pattern() -> re.Pattern[str]:
    # Full names only (with 省/市/区/县…): a bare two-character name is too often a word.
    trie: dict = {}
    for name in _codes_by_name():
        if len(name) >= 3:
            node = trie
            for ch in name:
                node = node.setdefault(ch, {})
            node[""] = {}
    return re.compile(_trie_regex(trie))


@dataclass(frozen=True)
class Context:
    """How often the document names each division (by code prefix: 2, 4 or 6 digits).

    Counted on first use: most names carry a place of their own, and counting every place
    a document names costs more than the rest of reading who published it."""

    text: str = ""

    @cached_property
    def counts(self) -> tuple[tuple[str, int], ...]:
        counts: Counter[str] = Counter()
        codes = _codes_by_name()
        for m in _mention_pattern().finditer(self.text):
            for code in codes.get(m.group(0), ()):
                counts[code[:2]] += 1
                if not code.endswith("0000"):
                    counts[code[:4]] += 1
                elif m.group(0).endswith("市"):  # a municipality is its own city (上海市: 3101)
                    counts[code[:2] + "01"] += 1
                if not code.endswith("00"):
                    counts[code] += 1
        return tuple(sorted(counts.items()))

    def score(self, code: str) -> int:
        c = dict(self.counts)
        return c.get(code[:2], 0) + c.get(code[:4], 0) * 2 + c.get(code, 0) * 3

    def top(self, level: str) -> str:
        """The code of the most named division of a level (province | city | county)."""
        width = {"province": 2, "city": 4, "county": 6}[level]
        best = [(n, k) for k, n in self.counts if len(k) == width and not k.endswith("00")]
        return max(best)[1] if best else ""


def context_of(text: str) -> Context:
    return Context(text[:CONTEXT_CHARS])


def _bare_level_prefix(name: str, context: Context) -> str:
    """"省委办公厅" in a document of 某省 is 某省委办公厅: a bare 省/市/区/县 is the document's own."""
    level = {"省": "province", "市": "city", "区": "county", "县": "county"}.get(name[:1])
    if not level or _locate(name).end:
        return name
    code = context.top(level)
    place = name_of(code) if code else ""
    return place + name[1:] if place and place.endswith(name[0]) else name


def _locate(name: str, umap: tuple[tuple[str, str], ...] = ()) -> Division:
    row = _reading(name, umap)
    positions = [int(row[k]) for k in ("省_pos", "市_pos", "区_pos") if int(row[k]) >= 0]
    if not positions or min(positions) > 0 or not isinstance(row["adcode"], str):
        return Division()
    rest = row["地址"] if isinstance(row["地址"], str) else ""
    return division_of(row["adcode"], len(name) - len(rest))


def _reading(name: str, umap: tuple[tuple[str, str], ...] = ()) -> dict:
    """cpca's reading of one name: the record ``cpca.transform([name], pos_sensitive=True)``
    makes its one row of, without the DataFrame (which cost a hundred times the reading).
    ``_get_one_addr`` is cpca's own per-name step (cpca is pinned, 0.5.5); the tests hold the
    two readings equal."""
    return _cpca()._get_one_addr(name, True, dict(umap))


@lru_cache(maxsize=512)
def locate(name: str, context: Context = Context()) -> tuple[str, Division]:
    """(the name with a bare level prefix completed, the division its prefix names)."""
    name = _bare_level_prefix(name, context)
    found = _locate(name)
    if found.level in ("district", "county"):
        twins = _codes_by_name().get(found.county, ())
        printed_parent = name.startswith((found.province, found.city)) if found.city else False
        if len(twins) > 1 and not printed_parent:
            best = max(twins, key=lambda c: (context.score(c), c == found.code))
            if best != found.code:
                found = _locate(name, ((found.county, best),))
    return name, found


_PLACE_SUFFIX = re.compile(
    r"^(.{2,}?)(?:(?:维吾尔|(?:[^族]{1,4}族)+)?自治[区州县旗]|特别行政区|地区|省|市|区|县|盟|旗|林区)$"
)


def place_stem(place: str) -> str:
    """A division's name without its level word: 上海市 → 上海, 广西壮族自治区 → 广西."""
    m = _PLACE_SUFFIX.match(place)
    return m.group(1) if m else place


def pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())
