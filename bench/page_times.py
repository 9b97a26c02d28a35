"""Each dashboard page's time in a real browser: cold (first visit after the server started) and
warm (later visits: the server's store cached, the browser's assets cached).

    python bench/page_times.py [--data DIR] [--label NAME] [--warm N] [--query "dept=…"]

Starts ``streamlit run app.py`` on a free port with BUDGET_DATA_DIR=DIR (default data/processed),
opens each page in /usr/bin/chromium through Playwright, by its URL (a new page load: the app's
JavaScript starts again) and by its sidebar link (inside the running app), and times from the
navigation to the moment the page is drawn: the script run over (no running indicator), the title shown, and
as many charts (drawn plotly SVGs) and tables as the page's cold visit ended with, unchanged
for a moment (the time reported is that of the last change, not the end of the wait). Prints a
table and merges the results under NAME into bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "pages.json"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = {  # url path → the page's name (app.py's navigation)
    "": "总览", "budget": "预算与决算", "sangong": "三公经费", "projects": "项目执行",
    "indicators": "绩效指标", "sources": "数据核查与来源", "audit": "核查", "documents": "文档",
}
STATE_JS = """() => {
  const q = (s) => document.querySelectorAll(s).length;
  return {
    running: q('[data-testid="stStatusWidget"]') > 0,
    heading: q('[data-testid="stMain"] [data-testid="stHeading"]'),
    charts: q('[data-testid="stPlotlyChart"] .main-svg'),
    tables: q('[data-testid="stDataFrame"] canvas, [data-testid="stTable"] table'),
    exceptions: q('[data-testid="stException"]'),
    title: (document.querySelector('[data-testid="stMain"] h1') || {}).innerText || "",
    skeleton: q('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"]'),
  };
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int, log: Path, script: str = "app.py") -> subprocess.Popen:
    env = {**os.environ, "BUDGET_DATA_DIR": str(data_dir)}
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.address", "127.0.0.1"]
    out = open(log, "w")  # noqa: SIM115 (the server writes to it until it is stopped)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit("streamlit did not come up in 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def visit(page, url: str, expect: dict | None, settle: float, timeout: float = 120.0,
          click: str | None = None) -> tuple[float, dict]:
    """Seconds from the navigation to the page drawn, and what it showed (charts, tables …).

    ``click``: a CSS selector to click (a sidebar link: navigation inside the running app)
    instead of opening ``url`` (a new page load: the app's JavaScript starts again)."""
    t0 = time.perf_counter()
    if click:
        page.click(click)
    else:
        page.goto(url, wait_until="commit")
    last, changed = None, t0
    while True:
        state = page.evaluate(STATE_JS)
        now = time.perf_counter()
        if state != last:
            last, changed = state, now
        drawn = state["heading"] > 0 and not state["running"] and not state["skeleton"]
        if expect:
            drawn = (drawn and state["charts"] >= expect["charts"] and state["tables"] >= expect["tables"]
                     and state["title"] == expect["title"])
        if drawn and now - changed >= settle:
            return changed - t0, state
        if now - t0 > timeout:
            return float("nan"), state
        time.sleep(0.01)


def nav_link(path: str) -> str:
    """The sidebar link to a page (the overview's link is the app's root)."""
    return f'[data-testid="stSidebarNav"] a[href$="/{path}"]'


def machine() -> str:
    model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), platform.processor())
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def n_documents(data_dir: Path) -> int:
    import pyarrow.parquet as pq

    path = data_dir / "documents.parquet"
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


def run(data_dir: Path, warm: int, query: str, pages: list[str], script: str = "app.py") -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = Path("/tmp") / f"page_times-{port}.log"
    proc = start_server(data_dir, port, log, script)
    base = f"http://127.0.0.1:{port}/"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            # The browser's own first load (JS bundle, fonts) is not a page's time.
            visit(page, base + "documents" + (f"?{query}" if query else ""), None, settle=1.0)
            for path in pages:
                url = base + path + (f"?{query}" if query else "")
                cold, state = visit(page, url, None, settle=2.0)
                expect = {"charts": state["charts"], "tables": state["tables"], "title": state["title"]}
                link = [visit(page, url, expect, settle=0.5)[0] for _ in range(warm)]
                # Inside the app: from another page to this one by its sidebar link, and back.
                other = "documents" if path != "documents" else "sources"
                nav = []
                for _ in range(warm):
                    visit(page, "", None, settle=0.3, click=nav_link(other))
                    nav.append(visit(page, "", expect, settle=0.5, click=nav_link(path))[0])
                out[path or "overview"] = {
                    "page": PAGES.get(path, path), "cold_s": round(cold, 3), "warm_link_s": round(statistics.median(link), 3),
                    "warm_nav_s": round(statistics.median(nav), 3), "warm_link_max_s": round(max(link), 3),
                    "warm_nav_max_s": round(max(nav), 3), "charts": state["charts"], "tables": state["tables"],
                    "exceptions": state["exceptions"]}
                print(f"  {PAGES.get(path, path):<8} cold {cold:6.2f} s   by link {statistics.median(link):6.2f} s   "
                      f"in the app {statistics.median(nav):6.2f} s   charts {state['charts']:2d}  "
                      f"tables {state['tables']:2d}" + ("   EXCEPTION" if state["exceptions"] else ""), flush=True)
            browser.close()
    finally:
        stop_server(proc)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "processed")
    ap.add_argument("--label", default=None, help="Name of this run in pages.json (default: the folder's name)")
    ap.add_argument("--warm", type=int, default=5, help="Warm visits per page (the median is reported)")
    ap.add_argument("--query", default="", help="Query string added to every URL, e.g. dept=hanyang")
    ap.add_argument("--pages", default=",".join(p or "overview" for p in PAGES))
    ap.add_argument("--no-baseline", action="store_true", help="Skip the empty-page baseline")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: install Debian's chromium", file=sys.stderr)
        return 2
    data_dir = args.data.resolve()
    pages = [("" if p == "overview" else p) for p in args.pages.split(",")]
    docs = n_documents(data_dir)
    label = args.label or data_dir.name
    print(f"{label}: {docs:,} documents in {data_dir}")
    result = {"data_dir": str(data_dir), "documents": docs, "query": args.query, "warm_visits": args.warm,
              "machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              # Other work on the machine inflates every time: the 1-minute load before and after.
              "load_before": round(os.getloadavg()[0], 1),
              "pages": run(data_dir, args.warm, args.query, pages)}
    if not args.no_baseline:
        # The framework's fixed costs in the same run (bench/empty_app.py): a page that draws a title
        # only, and one that draws a single small plotly chart or a single data grid.
        print("baselines: an empty Streamlit page, one chart, one data grid")
        result["baseline"] = run(data_dir, args.warm, "", ["blank", "chart", "grid"], script="bench/empty_app.py")
    result["load_after"] = round(os.getloadavg()[0], 1)
    print(f"load average {result['load_before']} before, {result['load_after']} after ({os.cpu_count()} cores)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    merged[label] = result
    RESULTS.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)} under {label!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
