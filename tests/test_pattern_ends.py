"""The quick test before an end-anchored search skips only searches that could find nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.families import narrative_labels
from loaders.families.pattern_ends import ends_with_one, last_chars


def test_last_characters_of_simple_patterns() -> None:
    assert last_chars(re.compile(r"(?:会议费|培训费(?:支出)?)$")) == frozenset("费出")
    assert last_chars(re.compile(r"收(?:入)?、?支(?:出)?$")) == frozenset("支出")
    assert last_chars(re.compile(r"[万亿]元$")) == frozenset("元")
    assert last_chars(re.compile(r"(?<!未)超出$")) == frozenset("出")


def test_no_test_where_any_character_could_end_a_match() -> None:
    assert last_chars(re.compile(r"(?:预算)?$")) is None  # matches the empty string
    assert last_chars(re.compile(r"[^,，]+$")) is None
    assert last_chars(re.compile(r"\d$")) is None
    assert last_chars(re.compile(r"(?i)fee$")) is None
    assert last_chars(re.compile(r"(?:(?i:fee))$")) is None  # a flag inside a group
    assert last_chars(re.compile(r"会议费")) is None  # not anchored at the end


def test_a_final_newline_is_always_searched() -> None:
    ends = last_chars(re.compile(r"费$"))
    assert re.search(r"费$", "会议费\n")
    assert ends_with_one("会议费\n", ends)
    assert not ends_with_one("会议费为", ends)
    assert not ends_with_one("", ends)


def _prose_patterns() -> list[tuple[re.Pattern, frozenset[str] | None]]:
    labels = [(p, ends) for p, _, _, ends in narrative_labels._labels()]
    return labels + [(p, ends) for p, _, ends in narrative_labels._phases()]


# Texts of the patterns' own characters (so that many of them match), and a few others.
_ALPHABET = sorted({c for p, _ in _prose_patterns() for c in p.pattern if "\u4e00" <= c <= "\u9fff"}
                   | set("0123456789，。、()（）为是 \n"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join),
       st.sampled_from([narrative_labels._labels()[i][0].pattern for i in range(3)] + ["支出", "预算数"]))
def test_every_match_ends_in_one_of_its_characters(head: str, tail_pattern: str) -> None:
    # A tail that some label may end with, after any text: a match where the test says none.
    text = head + re.sub(r"[^\u4e00-\u9fff]", "", tail_pattern)[:6]
    for pattern, ends in _prose_patterns():
        m = pattern.search(text)
        if m and m.group():
            assert ends_with_one(text, ends), (pattern.pattern, text)
