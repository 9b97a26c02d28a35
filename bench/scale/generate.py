"""N documents varied from the real ones, for the scale benchmark (deterministic by seed).

Each generated document is one of the templates (the seed texts of ``data/raw``) with:

- its place replaced by another division of the same level from cpca's national division
  table (a district by a district, a city by a city), its province and city with it;
- its department replaced by another of the same ending (局 by 局, 中心 by 中心) from
  ``departments.tsv``, one per place (so a place's department keeps its years);
- its year moved (every year printed near the document's own moves by the same amount);
- its money figures (two decimals, not a rate or a score: nothing in a scoring table's rows)
  multiplied by one small whole factor, so every printed sum still adds up exactly.

What to replace is read from the template itself (the loaders' own identity of it: its
division code and year), never typed here. A share of the documents is typeset as PDF
(reportlab's built-in CID font, as the tests do), the rest written as text. Document ``i``
depends only on (seed, i), so generating N+1 adds one document to the N.

    python bench/scale/generate.py OUT N [--seed S] [--pdf-share 0.02]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TEMPLATES = ROOT / "data" / "raw"
DEPARTMENTS = Path(__file__).with_name("departments.tsv")
_YEAR = re.compile(r"(?<![\d.])(20[0-4]\d)(?![\d.])")
# A money figure: one or two decimals, not followed by a percent sign or 分 (a score); in a
# performance self-evaluation (scores and weights print like money) only one said in 元.
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{1,2})(?![\d%％]|\s*[%％分])")
_MONEY = re.compile(_AMOUNT.pattern + r"(?=\s*万?元)")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区",
             "新区", "市", "区", "县", "盟", "旗", "省")
_NOT_PLACES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    county: str
    level: str  # city | county (a district counts as a county)


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    year: int
    kind: str
    place: Place
    department: str  # its name without its place: 住房保障和房产管理局


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def _divisions() -> dict[str, list[Place]]:
    """Every prefecture-level city and every county / district of cpca, by level."""
    import cpca

    names = {info.adcode[:6]: info.name for info in cpca.ad_2_addr_dict.values()}
    out: dict[str, list[Place]] = {"city": [], "county": []}
    for code, name in sorted(names.items()):
        if code.endswith("0000") or name in _NOT_PLACES:
            continue
        province, city = names.get(code[:2] + "0000", ""), names.get(code[:4] + "00", "")
        if not province or province.endswith("市") or city in _NOT_PLACES or not city:
            continue  # municipalities and directly administered counties: no city to replace
        if not name.endswith(("市", "区", "县")) or not city.endswith("市"):
            continue  # 自治州, 地区, 盟, 旗 …: names the replacement could not place
        if code.endswith("00"):
            out["city"].append(Place(province, name, "", "city"))
        else:
            out["county"].append(Place(province, city, name, "county"))
    return out


def _place_of(division_code: str) -> Place:
    import cpca

    def name(code: str) -> str:
        info = cpca.ad_2_addr_dict.get(code.ljust(12, "0"))
        return info.name if info else ""

    province, city = name(division_code[:2] + "0000"), name(division_code[:4] + "00")
    if division_code.endswith("00"):
        return Place(province, city, "", "city")
    return Place(province, city, name(division_code), "county")


@cache
def templates() -> tuple[Template, ...]:
    """The seed texts with their identity as the loaders read it."""
    from loaders.build import load_document

    out = []
    for path in sorted(TEMPLATES.glob("*.txt")):
        doc = load_document(path)
        code = doc.meta.entity.division_code
        if not code:
            continue
        place = _place_of(code)
        out.append(Template(path.stem, path.read_text(encoding="utf-8"), doc.meta.year, doc.meta.doc_kind,
                            place, _department_of(doc.meta.entity.name, place)))
    return tuple(out)


def _department_of(entity_name: str, place: Place) -> str:
    """The entity's name without the places it starts with (武汉市汉阳区住房保障和房屋管理局 →
    住房保障和房屋管理局)."""
    name = entity_name
    for prefix in (place.province, place.city, place.county):
        if prefix and name.startswith(prefix):
            name = name[len(prefix):]
    return name


@cache
def departments() -> tuple[str, ...]:
    rows = DEPARTMENTS.read_text(encoding="utf-8").splitlines()
    return tuple(r.strip() for r in rows if r.strip() and not r.startswith("#"))


def _ending(name: str) -> str:
    """The kind a department's name ends with: its last character, or 中心 / 委员会."""
    return next((e for e in ("委员会", "中心") if name.endswith(e)), name[-1:])


def other_department(template: Template, place: Place, seed: int) -> str:
    """The department a template's documents have at ``place``: one of the same ending, the
    same for every year (the template's own among the choices)."""
    same = sorted({d for d in departments() if _ending(d) == _ending(template.department)} | {template.department})
    rng = random.Random(f"{seed}:department:{template.name}:{place}")
    return rng.choice(same)


def _replace_place(text: str, old: Place, new: Place) -> str:
    pairs = [(old.province, new.province), (old.city, new.city), (_stem(old.city), _stem(new.city))]
    if old.county:  # the full name first (汉阳区 → 宾县), then the name without its suffix
        pairs += [(old.county, new.county), (_stem(old.county), _stem(new.county))]
    # Longest first, through placeholders, so a new name is never replaced again.
    pairs = sorted((p for p in pairs if p[0]), key=lambda p: -len(p[0]))
    for i, (old_name, _) in enumerate(pairs):
        text = text.replace(old_name, f"\x00{i}\x00")
    for i, (_, new_name) in enumerate(pairs):
        text = text.replace(f"\x00{i}\x00", new_name)
    return text


def _shift_years(text: str, year: int, delta: int) -> str:
    def shift(m: re.Match) -> str:
        y = int(m.group(1))
        return str(y + delta) if abs(y - year) <= 3 else m.group(1)

    return _YEAR.sub(shift, text)


def _scale_amounts(text: str, factor: int, money_only: bool) -> str:
    def scale(m: re.Match) -> str:
        whole, decimals = m.group(1), m.group(2) if m.lastindex and m.lastindex > 1 else ""
        unit = 10 ** len(decimals)
        value = (int(whole.replace(",", "")) * unit + int(decimals or 0)) * factor  # exact
        body = f"{value // unit:,}" if "," in whole else str(value // unit)
        return f"{body}.{value % unit:0{len(decimals)}d}" if decimals else body

    if money_only:
        return _MONEY.sub(scale, text)
    return _AMOUNT.sub(scale, text)


def _scale_document(text: str, factor: int, performance: bool) -> str:
    """Every money figure times ``factor``. In a self-evaluation only money said in 元 (scores
    and weights print like money); elsewhere every amount but those of a scoring table's rows
    (a tab-separated block from its 分值 / 得分 header on, blank lines within it: a 决算's
    project tables)."""
    if performance:
        return _scale_amounts(text, factor, money_only=True)
    runs: list[tuple[bool, list[str]]] = []
    scoring = False
    for line in text.splitlines(keepends=True):
        if "\t" not in line and line.strip():  # a blank line inside a table does not end it
            scoring = False
        elif "分值" in line or "得分" in line:
            scoring = True
        if runs and runs[-1][0] == scoring:
            runs[-1][1].append(line)
        else:
            runs.append((scoring, [line]))
    return "".join(_scale_amounts("".join(lines), factor, money_only=scoring) for scoring, lines in runs)


_YEARS = 8  # the years a template moves over: its own, six before and one after


def _combination(k: int, size: int, seed: int) -> int:
    """The ``k``-th of ``size`` combinations in a shuffled order fixed by ``seed``: distinct
    for distinct ``k`` (a multiplier prime to ``size``), so no two documents are the same."""
    rng = random.Random(f"{seed}:order:{size}")
    a = rng.randrange(1, size)
    while math.gcd(a, size) != 1:
        a = rng.randrange(1, size)
    return (a * k + rng.randrange(size)) % size


def variant(i: int, seed: int = 0) -> tuple[str, str, int]:
    """Document ``i``: (file stem, text, year). Each template's documents take distinct
    (place, year) pairs, so no two are one disclosure (until the pairs run out)."""
    rng = random.Random(f"{seed}:{i}")
    n = len(templates())
    tpl = templates()[i % n]
    places = _divisions()[tpl.place.level]
    combo = _combination(i // n, len(places) * _YEARS, seed)
    new, delta = places[combo // _YEARS], combo % _YEARS - (_YEARS - 2)
    text = _replace_place(tpl.text, tpl.place, new)
    department = other_department(tpl, new, seed)
    if department != tpl.department:  # as printed, also where a line wrap left a space in it
        text = re.sub(r"[ \u3000]*".join(map(re.escape, tpl.department)), department, text)
    text = _shift_years(text, tpl.year, delta)
    text = _scale_document(text, rng.randint(1, 6), performance=tpl.kind == "performance_self_eval")
    return f"{i:05d}-{tpl.name.split('-')[0]}-{tpl.year + delta}", text, tpl.year + delta


def write_pdf(path: Path, text: str) -> None:
    """Typeset the text as PDF: plain lines, and each run of tab-separated rows as a ruled table."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"  # built-in CID font: no font file needed
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    c = canvas.Canvas(str(path))
    top, bottom, left, width = 800.0, 40.0, 30.0, 535.0
    y = top
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            if y < bottom:
                c.showPage()
                y = top
            c.setFont(font, 9)
            c.drawString(left, y, lines[i][:60])
            y -= 14
            i += 1
            continue
        block = []
        while i < len(lines) and "\t" in lines[i]:
            block.append([cell.strip() for cell in lines[i].split("\t")])
            i += 1
        n_cols = max(len(r) for r in block)
        chars = [max(1, max(len(r[j]) if j < len(r) else 0 for r in block)) + 1 for j in range(n_cols)]
        size = min(8.0, width / sum(chars))
        xs = [left]
        for n in chars:
            xs.append(xs[-1] + n * size)
        height = size * 2.2
        for start in range(0, len(block), 1):
            if y - height < bottom:
                c.showPage()
                y = top
            row = block[start]
            c.setFont(font, size)
            for j, cell in enumerate(row):
                c.drawString(xs[j] + 1, y - height + size * 0.7, cell)
            c.line(xs[0], y, xs[-1], y)
            c.line(xs[0], y - height, xs[-1], y - height)
            for x in xs:
                c.line(x, y, x, y - height)
            y -= height
        y -= 8
    c.showPage()
    c.save()


def generate(out: Path, n: int, seed: int = 0, pdf_share: float = 0.0, start: int = 0) -> list[Path]:
    """Write documents ``start`` … ``n - 1`` into ``out`` (existing ones are left as they are)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, n):
        stem, text, _ = variant(i, seed)
        as_pdf = random.Random(f"{seed}:{i}:pdf").random() < pdf_share
        path = out / f"{stem}.{'pdf' if as_pdf else 'txt'}"
        if not path.exists():
            if as_pdf:
                write_pdf(path, text)
            else:
                path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pdf-share", type=float, default=0.0)
    args = parser.parse_args()
    paths = generate(args.out, args.n, args.seed, args.pdf_share)
    print(f"{len(paths)} documents in {args.out}")


if __name__ == "__main__":
    main()
