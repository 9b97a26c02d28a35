"""Chart images for the PPTX: the dashboard's plotly figures exported by kaleido (v1), on Debian's
chromium. (A PDF's charts are drawn by plotly.js in the printing page, ``briefing.pdf``.)

One kaleido server (one browser) per process, started on first use and kept for every chart;
images are cached by the figure's JSON, so a figure is drawn once per process.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from briefing.model import Chart

CHROMIUM = "/usr/bin/chromium"
_cache: dict[str, bytes] = {}
_lock = threading.Lock()
_started = False
# Images drawn in the background as soon as a chart is built (``eager``, set by make_brief), so
# that the browser draws while the rest of the brief is assembled.
_pool = ThreadPoolExecutor(1, thread_name_prefix="briefing-charts")
_pending: dict[int, Future] = {}
eager = False


def browser_path() -> str | None:
    """$BROWSER_PATH, else Debian's chromium, else whatever chromium is on PATH."""
    for p in (os.environ.get("BROWSER_PATH"), CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if p and os.path.exists(p):
            return p
    return None


def _start() -> None:
    global _started
    if _started:
        return
    path = browser_path()
    if path is None:
        raise RuntimeError("no Chromium found for chart images (install chromium or set BROWSER_PATH)")
    os.environ.setdefault("BROWSER_PATH", path)  # kaleido's choreographer reads it
    import kaleido
    import plotly

    js = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    opts = {"plotlyjs": js} if os.path.exists(js) else {}
    kaleido.start_sync_server(n=1, mathjax=False, silence_warnings=True, **opts)
    atexit.register(stop)
    _started = True


def stop() -> None:
    global _started
    if _started:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def png(chart: Chart, scale: float = 1.6) -> bytes:
    """The chart as PNG bytes (drawn once per figure and size)."""
    spec = chart.figure.to_json()
    key = hashlib.sha256(f"{chart.width}x{chart.height}@{scale}:{spec}".encode()).hexdigest()
    with _lock:
        if key in _cache:
            return _cache[key]
        _start()
        import kaleido

        data = kaleido.calc_fig_sync(chart.figure, opts={"format": "png", "width": chart.width,
                                                         "height": chart.height, "scale": scale})
        _cache[key] = data
        return data


def warm() -> None:
    """Start the browser and load plotly.js (the slow first image) ahead of need, e.g. in a thread
    while the brief's content is built."""
    import plotly.graph_objects as go

    png(Chart(go.Figure(go.Bar(x=["a"], y=[1])), "warm-up", width=200, height=150), scale=1)


def start_warm() -> Future:
    """``warm`` in the background thread (before any chart of the brief)."""
    return _pool.submit(warm)


def prefetch(chart: Chart) -> None:
    """Start drawing ``chart`` in the background where images are wanted (``eager``)."""
    if eager:
        _pending[id(chart)] = _pool.submit(png, chart)


def render_all(charts: list[Chart]) -> dict[int, bytes]:
    """id(chart) → PNG, for every chart of a brief."""
    out = {}
    for c in charts:
        job = _pending.pop(id(c), None)
        out[id(c)] = job.result() if job is not None else png(c)
    return out
