"""Changes the prose states beside both of its figures ("2023 年预算数 2.1 万元，2022 年预算数
3 万元，变动率为 -3%"): the two years' amounts and the rate, for the checks engine.

Only a sentence that names a year before each amount and a change rate after them is read;
the later year's amount is the current figure, the earlier year's the prior one. Where a
sentence names more than two years, or more than one amount per year, it is left out: no
pair beats a wrong one. Never written as a dataset row (the levels are the other families').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.families.sentences import paragraphs, sentences
from loaders.numbers import parse_number
from loaders.readers.source import Source

# A year, what it names, then an amount in 万元/元: "2022 年“三公经费”预算数 3 万元".
_YEAR_AMOUNT = re.compile(
    r"(?P<year>20\d{2})\s*年度?[^，,；;。%0-9]{0,30}?(?P<amount>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)"
)
_RATE = re.compile(
    r"(?P<label>变动率|变化率|增减率|增长率|增幅|降幅|下降率|减少率)\s*(?:为|是|达到?)?\s*"
    r"(?P<sign>[-－−+])?\s*(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
)
_DOWN = ("降幅", "下降率", "减少率")
_LABEL = re.compile(r"变动率|变化率|增减率|增长率|增幅|降幅|下降率|减少率")


@dataclass(frozen=True)
class YearPair:
    current_year: int
    current: float  # 万元
    prior_year: int
    prior: float
    stated: float  # fraction, signed
    label: str
    source_ref: str  # the line that prints the rate
    current_ref: str
    prior_ref: str
    rate_text: str  # the rate as printed ("-3%")
    sentence: str


def _wan(amount: float, unit: str) -> float:
    return amount / 10000 if unit == "元" else amount


def year_pairs(source: Source) -> list[YearPair]:
    """Every sentence stating a change rate beside the two years' amounts it relates."""
    out: list[YearPair] = []
    if not _LABEL.search("\n".join([ln.text for ln in source.lines])):  # one search, not one a line
        return out  # no change rate named anywhere: nothing to read
    for paragraph in paragraphs(source):
        for sentence in sentences(paragraph):
            text = sentence.text
            rate = _RATE.search(text)
            if rate is None:
                continue
            found = [m for m in _YEAR_AMOUNT.finditer(text, 0, rate.start())]
            years = {int(m.group("year")) for m in found}
            if len(found) != 2 or len(years) != 2:
                continue
            prior_m, current_m = sorted(found, key=lambda m: int(m.group("year")))
            values = [parse_number(m.group("amount")) for m in (current_m, prior_m)]
            pct = parse_number(rate.group("pct"))
            if None in values or pct is None:
                continue
            negative = rate.group("sign") is not None and rate.group("sign") != "+"
            stated = (-pct if negative or rate.group("label") in _DOWN else pct) / 100
            out.append(YearPair(
                int(current_m.group("year")), _wan(values[0], current_m.group("unit")),
                int(prior_m.group("year")), _wan(values[1], prior_m.group("unit")),
                round(stated, 10), rate.group("label"),
                sentence.line_at(rate.start("pct")).ref,
                sentence.line_at(current_m.start("amount")).ref,
                sentence.line_at(prior_m.start("amount")).ref,
                text[rate.start("sign") if rate.group("sign") else rate.start("pct"):rate.end()],
                text,
            ))
    return out
