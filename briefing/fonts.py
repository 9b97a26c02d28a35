"""The PDF's Chinese font: Noto Sans CJK SC with a cmap that lets copied text come out right.

Chromium (Skia) writes a PDF font's ToUnicode by mapping each glyph back to the *lowest* code point
that the font's cmap maps to it. Noto draws 木 and the Kangxi radical ⽊ (U+2F4A) with one glyph,
and 门 and ⻔ (U+2ED4), 胶 and 㬵 (U+3B35), ／ and ∕ …, so the text layer of a brief said ⽊ for 木.
The cure is at the source: a copy of the SC face whose cmap keeps, for every glyph that several
code points share, only the one a Chinese document uses (a unified ideograph before a radical or
a compatibility form, a GB 2312 / GBK character before the rest). A character whose entry was
dropped is drawn by the next font in the CSS stack (the system's Noto Sans CJK SC), where it is
the lowest code point of its glyph, so it copies out right as well.

The copy is made once per source font file (keyed by its size and mtime) into the user's cache
($XDG_CACHE_HOME or ~/.cache, under budget-scrutiny/fonts), written atomically.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

FAMILY = "Brief Noto CJK SC"  # the name the PDF embeds the font under (a modified copy is renamed)
SOURCES = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"),
             Path("/usr/share/fonts/google-noto-cjk"))
RULE = "1"  # bump when the choice of kept code points changes, so old copies are made again
_lock = threading.Lock()


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "budget-scrutiny" / "fonts"


def source(style: str) -> Path | None:
    for d in FONT_DIRS:
        p = d / SOURCES[style]
        if p.exists():
            return p
    return None


def _encodable(cp: int, encoding: str) -> bool:
    try:
        chr(cp).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def preference(cp: int) -> tuple:
    """Sort key: the code point of a shared glyph that the font keeps comes first."""
    unified = 0x4E00 <= cp <= 0x9FFF
    return (not unified, not _encodable(cp, "gb2312"), not _encodable(cp, "gbk"), cp)


def dropped(cmap: dict[int, str]) -> set[int]:
    """The code points to remove: all but the preferred one of each glyph that several share."""
    by_glyph: dict[str, list[int]] = defaultdict(list)
    for cp, glyph in cmap.items():
        by_glyph[glyph].append(cp)
    out: set[int] = set()
    for cps in by_glyph.values():
        if len(cps) > 1:
            out.update(sorted(cps, key=preference)[1:])
    return out


def sc_face(src: Path):
    """The Simplified Chinese face of the collection, found by its family name."""
    from fontTools.ttLib import TTCollection

    faces = TTCollection(str(src), lazy=True).fonts
    for f in faces:
        name = f["name"].getDebugName(1) or ""
        if name.startswith("Noto Sans CJK") and name.endswith(" SC") and "Mono" not in name:
            return f
    raise RuntimeError(f"{src}: no Noto Sans CJK SC face in the collection")


def _rename(font, style: str) -> None:
    ps = FAMILY.replace(" ", "") + f"-{style}"
    names = {1: FAMILY, 2: style, 3: f"{ps};derived", 4: f"{FAMILY} {style}", 6: ps, 16: FAMILY, 17: style}
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in names]
    for nid, text in names.items():
        table.setName(text, nid, 3, 1, 0x409)
        table.setName(text, nid, 1, 0, 0)


def derive(src: Path, out: Path, style: str) -> Path:
    """Write the copy of ``src``'s SC face with the shared-glyph entries dropped (atomically)."""
    font = sc_face(src)
    # Placeholder glyph names: the real ones are in the CFF table, which would then be decompiled and
    # compiled again (minutes); with these only cmap and name are rebuilt, the rest copied as is.
    font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
    drop = dropped(font.getBestCmap())
    for table in font["cmap"].tables:
        if table.isUnicode() and table.format != 14:
            table.cmap = {cp: g for cp, g in table.cmap.items() if cp not in drop}
    _rename(font, style)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        font.save(str(tmp))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def path(style: str) -> Path | None:
    """The derived font for ``style`` (Regular / Bold), made on first use; None without Noto CJK."""
    src = source(style)
    if src is None:
        return None
    st = src.stat()
    out = cache_dir() / f"brief-noto-cjk-sc-{style.lower()}-r{RULE}-{st.st_size}-{int(st.st_mtime)}.otf"
    with _lock:
        if not out.exists():
            derive(src, out, style)
            for old in out.parent.glob(f"brief-noto-cjk-sc-{style.lower()}-*.otf"):
                if old != out:  # an older copy would be a second font of the same family
                    old.unlink(missing_ok=True)
    return out


def fontconfig() -> Path | None:
    """A fontconfig file that adds the derived fonts to the system's (for the printing Chromium's
    FONTCONFIG_FILE): a local font serves the page and its footer, which cannot load web fonts, and
    is not parsed again by each page as a web font would be. None without Noto CJK."""
    made = [p for p in (path("Regular"), path("Bold")) if p is not None]
    if not made:
        return None
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    folder = cache_dir()
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{escape(system)}</include>\n  <dir>{escape(str(folder))}</dir>\n'
            "</fontconfig>\n")
    conf = folder / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:12]}.conf"
    with _lock:
        if not conf.exists():
            tmp = conf.with_name(f".{conf.name}.{os.getpid()}.part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(conf)
    return conf
