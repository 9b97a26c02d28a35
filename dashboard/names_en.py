"""English names of departments and places for English mode (pure).

A department's name is read left to right: a place (汉阳区, 江苏省) is transliterated with
pypinyin and given its level word (District, Province); the words of the department's type
(住房和城乡建设局, 人民法院) come from the vocabulary table ``names_en.tsv`` (data, longest match
first); any other Chinese characters are transliterated. 汉阳区 → Hanyang District;
邯郸市住房保障和房产管理局 → Handan Municipal Housing Security and Real Estate Administration Bureau.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VOCABULARY = Path(__file__).with_name("names_en.tsv")
# A place's level word: as a noun at the end of a name, as an adjective before a department.
LEVELS = {
    "特别行政区": ("Special Administrative Region", "SAR"),
    "自治区": ("Autonomous Region", "Autonomous Region"),
    "自治州": ("Autonomous Prefecture", "Autonomous Prefecture"),
    "自治县": ("Autonomous County", "Autonomous County"),
    "地区": ("Prefecture", "Prefecture"),
    "省": ("Province", "Provincial"),
    "市": ("City", "Municipal"),
    "区": ("District", "District"),
    "县": ("County", "County"),
    "州": ("Prefecture", "Prefecture"),
    "旗": ("Banner", "Banner"),
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_PUNCT = {"（": " (", "）": ") ", "(": " (", ")": ") ", "·": " ", "、": ", ", "，": ", "}


@cache
def vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    """(department words, place exonyms) from names_en.tsv."""
    words: dict[str, str] = {}
    places: dict[str, str] = {}
    for raw in VOCABULARY.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        zh, en, kind = (raw.split("\t") + ["org"])[:3]
        (places if kind.strip() == "place" else words)[zh.strip()] = en.strip()
    return words, places


def pinyin_word(text: str) -> str:
    """汉阳 → 'Hanyang' (one capitalised word)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).capitalize()


def _word_at(name: str, i: int, words: dict[str, str]) -> str | None:
    for n in range(min(12, len(name) - i), 1 if i < len(name) else 0, -1):
        if name[i:i + n] in words:
            return name[i:i + n]
    return name[i] if name[i] in words else None


def _place_at(name: str, i: int, words: dict[str, str]) -> tuple[str, str] | None:
    """(stem, level word) of a place starting at ``i``: 2–6 characters and a level word."""
    for n in range(2, 7):
        stem = name[i:i + n]
        if len(stem) < n or not all(_CJK.match(c) for c in stem):
            return None
        for level in sorted(LEVELS, key=len, reverse=True):
            if name.startswith(level, i + n):
                return stem, level
    return None


def tokens(name: str) -> list[tuple[str, str, str]]:
    """(kind, Chinese, English) pieces of a name: kind 'place', 'word', 'pinyin' or 'other'."""
    words, exonyms = vocabulary()
    out: list[tuple[str, str, str]] = []
    i = 0
    while i < len(name):
        word = _word_at(name, i, words)
        if word:
            out.append(("word", word, words[word]))
            i += len(word)
            continue
        place = _place_at(name, i, words)
        if place:
            stem, level = place
            out.append(("place", stem + level, exonyms.get(stem) or pinyin_word(stem)))
            out.append(("level", level, level))
            i += len(stem) + len(level)
            continue
        ch = name[i]
        if _CJK.match(ch):
            if out and out[-1][0] == "pinyin":
                zh = out[-1][1] + ch
                out[-1] = ("pinyin", zh, pinyin_word(zh))
            else:
                out.append(("pinyin", ch, pinyin_word(ch)))
        else:
            text = _PUNCT.get(ch, ch)
            if out and out[-1][0] == "other":
                out[-1] = ("other", out[-1][1] + ch, out[-1][2] + text)
            else:
                out.append(("other", ch, text))
        i += 1
    return out


def english_name(name: str | None) -> str:
    """A department or place name in English; '' for a missing name."""
    if not isinstance(name, str) or not name.strip():
        return ""
    parts = tokens(name.strip())
    out: list[str] = []
    for k, (kind, _zh, en) in enumerate(parts):
        if kind != "level":
            out.append(en)
            continue
        rest = [p for p in parts[k + 1:] if p[0] != "other" or p[2].strip()]
        if rest and rest[0][0] in ("place", "level"):
            continue  # 武汉市汉阳区 → Wuhan Hanyang District: only the last place keeps its level
        noun, adjective = LEVELS[en]
        out.append(adjective if rest else noun)
    text = " ".join(p.strip() for p in out if p.strip())
    text = re.sub(r"\s+([),])", r"\1", re.sub(r"\(\s+", "(", text))
    return re.sub(r"\s{2,}", " ", text).strip()


def english_names(names) -> list[str]:
    """``english_name`` of each name (cached per distinct name)."""
    return [_cached(n) if isinstance(n, str) else "" for n in names]


@cache
def _cached(name: str) -> str:
    return english_name(name)
