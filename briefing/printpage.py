"""The printing page: a blank document that has loaded plotly.js, filled with each brief in turn.

plotly.js (4.6 MB) is loaded once per page, by the warm-up, while the brief's content is built:
from a file:// shell beside the derived fonts, which Chromium reads from disk (sent over the
DevTools pipe it took seconds). Each chart is then drawn as the dashboard's figure would be by
kaleido (which is plotly.js in Chromium too), to an SVG image: vector in the PDF.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from briefing import fonts

# Fill the page with one brief. The figure's fonts are kept, with the derived CJK font put in front
# of Noto Sans CJK SC where it names it (else after them all); printing waits until every image is
# decoded.
FILL = r"""async ([body, lang, title, figures, cjk]) => {
  document.documentElement.lang = lang;
  document.title = title;
  document.body.innerHTML = body;
  const imgs = document.querySelectorAll('img[data-chart]');
  for (const img of imgs) {
    const f = figures[Number(img.dataset.chart)];
    const layout = Object.assign({}, f.figure.layout);
    const template = ((layout.template || {}).layout || {}).font || {};
    const family = (layout.font || {}).family || template.family || '"Open Sans", verdana, arial, sans-serif';
    const own = `'${cjk}'`, noto = /(['"]?)Noto Sans CJK SC\1/;
    layout.font = Object.assign({}, layout.font,
                                {family: noto.test(family) ? family.replace(noto, own + ", $&") : family + ", " + own});
    img.src = await Plotly.toImage({data: f.figure.data || [], layout: layout},
                                   {format: 'svg', width: f.width, height: f.height});
    await img.decode();
  }
  return imgs.length;
}"""


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def shell() -> Path:
    """The blank page that loads plotly.js (written once, atomically, named by its content)."""
    text = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><script src="{plotly_js().as_uri()}"></script>'
            "</head><body></body></html>")
    folder = fonts.cache_dir() if fonts.source("Regular") else Path(tempfile.gettempdir())
    out = folder / f"print-shell-{hashlib.sha256(text.encode()).hexdigest()[:12]}.html"
    if not out.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    return out


def ready(page) -> None:
    """Load the shell into ``page`` unless plotly.js is there already."""
    if page.url.startswith("file:") and page.evaluate("typeof Plotly === 'object'"):
        return
    page.goto(shell().as_uri(), wait_until="load")


def fill(page, body: str, lang: str, title: str, figures: list[dict]) -> None:
    ready(page)
    page.evaluate(FILL, [body, lang, title, figures, fonts.FAMILY])
