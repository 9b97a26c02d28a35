"""The brief as a PDF: HTML + CSS printed by Chromium (Playwright, Debian's /usr/bin/chromium).

A4, Noto Sans CJK SC (embedded by Chromium as a subset; a copy whose text layer copies out right,
see ``briefing.fonts``), page numbers in the footer, tables that wrap instead of running off the
page (fixed layout, rows never split across pages), a sources appendix. Charts are the same plotly
figures, drawn by plotly.js in the printing page itself as SVG images: vector in the PDF, and no
second browser (kaleido's) to start for a PDF.
"""

from __future__ import annotations

import atexit
import contextlib
import html
import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from briefing import charts, fonts, printpage
from briefing.model import Brief, Message, Table

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
FONT = f"'{fonts.FAMILY}', 'Noto Sans CJK SC', 'Noto Sans SC', 'Noto Sans CJK', sans-serif"
CSS = """
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
body { font-family: FONT; font-size: 9.5pt; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 20pt; margin: 30mm 0 4mm; } .subtitle { font-size: 12pt; color: #555; margin-bottom: 10mm; }
h2 { font-size: 13pt; border-bottom: 1.5px solid #08306b; padding-bottom: 1mm; margin: 7mm 0 3mm;
     page-break-after: avoid; }
h3 { font-size: 11pt; margin: 3mm 0 2mm; page-break-after: avoid; }
p { margin: 1mm 0; } .src { font-size: 7.5pt; color: #555; }
section.cover { page-break-after: always; }
figure { margin: 2mm 0; page-break-inside: avoid; } figure img { width: 100%; display: block; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0; font-size: 8pt; }
thead { display: table-header-group; } tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 0.5px solid #bbb; padding: 1mm 1.2mm; vertical-align: top; overflow-wrap: anywhere;
         word-break: break-word; }
th { background: #eef3f9; text-align: left; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.na { color: #888; font-style: italic; text-align: right; }
.note { font-size: 7.5pt; color: #555; }
""".replace("FONT", FONT)
FOOTER = ("<div style=\"font-family:%s;font-size:7px;color:#666;width:100%%;padding:0 13mm;display:flex;"
          "justify-content:space-between\"><span>%s</span><span><span class=\"pageNumber\"></span> / "
          "<span class=\"totalPages\"></span></span></div>")

_pw = None
_browser = None
# Playwright's sync API is bound to the thread that started it: every call goes through this one
# thread, so the browser can start while the main thread builds the brief and its charts.
_thread = ThreadPoolExecutor(1, thread_name_prefix="briefing-pdf")


def warm() -> Future:
    """Start Chromium for printing and load the printing page, in the printing thread (returns at once)."""
    return _thread.submit(_ready)


def _start() -> None:
    global _pw, _browser
    if _browser is None:
        from playwright.sync_api import sync_playwright

        _pw = sync_playwright().start()
        path = charts.browser_path()
        conf = fonts.fontconfig()  # the derived font as a local font: the footer cannot load a web font
        env = dict(os.environ, FONTCONFIG_FILE=str(conf)) if conf else None
        kw = {"executable_path": path} if path else {}
        _browser = _pw.chromium.launch(args=FLAGS, env=env, **kw)
        atexit.register(close)


def close() -> None:
    if _browser is not None:
        # RuntimeError: the interpreter is shutting down, and the driver ends with this process
        with contextlib.suppress(RuntimeError):
            _thread.submit(_close).result(timeout=20)


def _close() -> None:
    global _pw, _browser, _page
    _page = None
    if _browser is not None:
        try:
            _browser.close()
            _pw.stop()
        finally:
            _browser = _pw = None


def e(s) -> str:
    return html.escape(str(s))


def table_html(t: Table, lang: str) -> str:
    kinds = t.kinds()
    widths = []
    for i, col in enumerate(t.columns):
        longest = max([len(r[i].text(lang)) for r in t.rows] + [len(col) // 2, 2])
        widths.append(min(max(longest, 6), 40) if kinds[i] == "text" else 9)
    total = sum(widths)
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
    head = "".join(f"<th>{e(c)}</th>" for c in t.columns)
    body = []
    for row in t.rows:
        tds = []
        for c in row:
            cls = "na" if c.numeric and c.missing else ("num" if c.numeric else "")
            tds.append(f'<td class="{cls}">{e(c.text(lang))}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    note = f'<p class="note">{e(t.note)}</p>' if t.note else ""
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"


def message_html(m: Message, lang: str, figures: list[dict]) -> str:
    """The message's HTML; its chart is appended to ``figures`` and drawn in the page (``_draw``)."""
    parts = [f"<h3>{e(m.title)}</h3>"]
    parts += [f"<p>{e(s)}</p>" for s in m.sentences]
    if m.chart is not None:
        c = m.chart
        figures.append({"figure": json.loads(c.figure.to_json()), "width": c.width, "height": c.height})
        parts.append(f'<figure><img data-chart="{len(figures) - 1}" alt="{e(c.name)}" '
                     f'style="aspect-ratio:{c.width}/{c.height}"></figure>')
    if m.table is not None and m.table.rows:
        parts.append(table_html(m.table, lang))
    refs = m.all_refs()
    if refs:
        parts.append(f'<p class="src">{e(sources_line(refs, lang))}</p>')
    return "".join(parts)


def sources_line(refs, lang: str) -> str:
    """'来源：汉阳区 · 决算 2023（file.txt）L12、L30' — each document once, its lines in order of use."""
    by_doc: dict[tuple, list[str]] = {}
    for r in refs:
        lines = by_doc.setdefault((r.doc, r.file), [])
        if r.source_ref and r.source_ref not in lines:
            lines.append(r.source_ref)
    if lang == "zh":
        return "来源：" + "；".join(f"{d}（{f}）{'、'.join(lines)}" for (d, f), lines in by_doc.items())
    return "Sources: " + "; ".join(f"{d} ({f}) {', '.join(lines)}" for (d, f), lines in by_doc.items())


def appendix_html(b: Brief) -> str:
    zh = b.lang == "zh"
    rows = "".join(f"<tr><td>{e(d.file)}</td><td>{e(d.entity)}</td><td>{e(d.kind)}</td><td class=\"num\">{d.year}"
                   f"</td><td>{e(d.sha256[:12])}</td></tr>" for d in b.documents)
    docs = ("<table><colgroup><col style=\"width:38%\"><col style=\"width:28%\"><col style=\"width:14%\">"
            "<col style=\"width:8%\"><col style=\"width:12%\"></colgroup><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in (["文件", "部门（文档所印）", "类型", "年度", "sha256"] if zh else
                                                ["file", "department (as printed)", "kind", "year", "sha256"]))
            + f"</tr></thead><tbody>{rows}</tbody></table>")
    used: dict[str, list[str]] = {}
    for r in b.refs():
        used.setdefault(f"{r.doc}（{r.file}）" if zh else f"{r.doc} ({r.file})", [])
        if r.source_ref:
            used[f"{r.doc}（{r.file}）" if zh else f"{r.doc} ({r.file})"].append(r.source_ref)
    sep = "、" if zh else ", "
    lines = "".join(f"<p><b>{e(k)}</b>：{e(sep.join(v))}</p>" if zh else f"<p><b>{e(k)}</b>: {e(sep.join(v))}</p>"
                    for k, v in used.items())
    head = "来源" if zh else "Sources"
    intro = ("每个出处是文档的行号（L123）或页与行（p3:L12）。" if zh else
             "Each reference is a line of the document (L123) or a page and line (p3:L12).")
    return f"<section><h2>{head}</h2>{docs}<p class=\"note\">{intro}</p>{lines}</section>"


def brief_body(b: Brief, figures: list[dict]) -> str:
    """The brief's <body> (its stylesheet first); ``figures`` collects its charts' plotly figures."""
    figures = [] if figures is None else figures
    body = []
    for s in b.sections:
        if s.key == "cover":
            inner = "".join(message_html(m, b.lang, figures) for m in s.messages)
            body.append(f'<section class="cover"><h1>{e(b.title)}</h1><div class="subtitle">{e(b.subtitle)}</div>'
                        f"{inner}</section>")
            continue
        inner = "".join(message_html(m, b.lang, figures) for m in s.messages)
        body.append(f"<section><h2>{e(s.heading)}</h2>{inner}</section>")
    body.append(appendix_html(b))
    return f"<style>{CSS}</style>{''.join(body)}"


def brief_html(b: Brief) -> str:
    """The brief as a stand-alone HTML document (charts left blank: they are drawn in the page)."""
    return (f'<!DOCTYPE html><html lang="{_lang(b)}"><head><meta charset="utf-8"><title>{e(b.title)}</title>'
            f"</head><body>{brief_body(b, [])}</body></html>")


def _lang(b: Brief) -> str:
    return "zh-CN" if b.lang == "zh" else "en"


def write_pdf(b: Brief, out: Path) -> Path:
    figures: list[dict] = []
    body = brief_body(b, figures)
    return _thread.submit(_print, body, _lang(b), figures, b.title, out).result()


_page = None


def _ready():
    """The printing page, with plotly.js loaded; kept for the next brief (a new page costs half a second)."""
    global _page
    _start()
    if _page is None or _page.is_closed():
        _page = _browser.new_page()
    printpage.ready(_page)
    return _page


def _print(body: str, lang: str, figures: list[dict], title: str, out: Path) -> Path:
    """Print one brief in the printing page."""
    global _page
    try:
        page = _ready()
        printpage.fill(page, body, lang, title, figures)
        page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                 header_template="<div></div>", footer_template=FOOTER % (FONT, e(title)),
                 margin={"top": "14mm", "bottom": "16mm", "left": "13mm", "right": "13mm"})
    except Exception:
        if _page is not None:
            with contextlib.suppress(Exception):
                _page.close()  # a page in an unknown state is not reused
        _page = None
        raise
    return out
