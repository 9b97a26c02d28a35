"""The briefing pack's benchmark: each seed department's brief (PDF and PPTX) and a comparison of
three, each as a whole process (``python -m briefing ...``), against baselines measured in the
same run: the interpreter with the brief's imports (``import briefing`` and the modules it loads),
and the one browser each format starts, with nothing to do (a PDF: Playwright's Chromium printing
an empty page, which also draws the PDF's charts; a PPTX: kaleido's Chromium drawing one chart).
The first row is the one-time copy of the CJK font (``briefing.fonts``) into an empty cache, which
the briefs then use.

The datasets are a fresh build of data/raw in a temporary folder. Target: each brief ≤ 10 s.
Prints a table and writes bench/results/briefing.json. BENCH_REPEATS (default 3) sets the runs
per measurement; the median is reported.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TARGET = 10.0
SEEDS = ("hanyang", "urumqi", "yueyang", "handan", "miluo")
COMPARED = "hanyang,urumqi,handan"

IMPORTS = ("import briefing, briefing.department, briefing.compare, briefing.pdf, briefing.slides, "
           "dashboard.data, dashboard.budget, dashboard.sangong, dashboard.projects, dashboard.indicators, "
           "plotly.graph_objects")
PRINTER = """
import briefing.pdf as p
p.warm().result()
p._thread.submit(lambda: (lambda pg: (pg.set_content("<p>x</p>"), pg.pdf(path="/dev/null"), pg.close()))(
    p._browser.new_page())).result()
p.close()
"""
KALEIDO = "import briefing.charts as c; c.warm(); c.stop()"
FONT = "from briefing import fonts; fonts.fontconfig()"


CPU: list[float] = []  # the median CPU seconds of each ``wall`` call, in order


def wall(cmd: list[str], repeats: int = REPEATS, env: dict | None = None) -> tuple[float, int]:
    """Median wall time of a whole process (seconds) and its last exit status; its CPU time (the
    browsers included, as far as their parents wait for them) goes to CPU, a figure that depends
    less on what else the machine runs."""
    times, cpus, code = [], [], 0
    for _ in range(repeats):
        t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        code = run.returncode
        if code:
            print(f"  {' '.join(cmd[2:])}: exit {code}: {run.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
    CPU.append(statistics.median(cpus))
    return statistics.median(times), code


def main() -> int:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-brief-") as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        out.mkdir()
        subprocess.run([PY, "-m", "loaders", "build", "data/raw", "--out", str(data), "-q"], cwd=ROOT, check=True)
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"))  # the font copy is made here, once
        font_copy, _ = wall([PY, "-c", FONT], repeats=1, env=env)
        rows = [{"what": "one-time: the CJK font copy (empty cache)", "seconds": font_copy}]
        base_import, _ = wall([PY, "-c", IMPORTS], env=env)
        base = {"pdf": wall([PY, "-c", PRINTER], env=env)[0], "pptx": wall([PY, "-c", KALEIDO], env=env)[0]}
        rows.append({"what": "baseline: interpreter + the brief's imports", "seconds": base_import})
        rows.append({"what": "baseline: PDF printer (Chromium via Playwright), empty page", "seconds": base["pdf"]})
        rows.append({"what": "baseline: kaleido's Chromium, one chart", "seconds": base["pptx"]})
        for r, cpu in zip(rows, CPU, strict=True):
            r["cpu_seconds"] = cpu
        for entity in [*SEEDS, COMPARED]:
            for fmt in ("pdf", "pptx"):
                cmd = [PY, "-m", "briefing", "--entity", entity, "--data", str(data), "--out",
                       str(out / f"{entity.replace(',', '-')}.{fmt}")]
                seconds, code = wall(cmd, env=env)
                rows.append({"what": f"brief {entity} {fmt}", "entity": entity, "format": fmt, "seconds": seconds,
                             "cpu_seconds": CPU[-1],
                             "exit": code, "over_baseline": seconds - base[fmt],
                             "x_imports": seconds / base_import, "within_target": seconds <= TARGET})
    width = max(len(r["what"]) for r in rows)
    # On a loaded machine every figure grows; the multiple of the imports baseline grows less.
    print(f"{'measurement':<{width}}  seconds  cpu s  vs browser baseline  × imports baseline")
    for r in rows:
        extra = f"  {r['over_baseline']:+18.2f}  {r['x_imports']:17.1f}" if "over_baseline" in r else ""
        flag = "" if r.get("within_target", True) else f"  over {TARGET:.0f} s"
        print(f"{r['what']:<{width}}  {r['seconds']:7.2f}  {r['cpu_seconds']:5.2f}{extra}{flag}")
    briefs = [r for r in rows if "format" in r]
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_before": load_before, "load_average": os.getloadavg()},
        "repeats": REPEATS, "target_seconds": TARGET, "rows": rows,
        "max_brief_seconds": max(r["seconds"] for r in briefs),
        "all_within_target": all(r["within_target"] for r in briefs),
    }
    path = ROOT / "bench" / "results" / "briefing.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0 if all(r["exit"] == 0 for r in briefs) else 1


if __name__ == "__main__":
    sys.exit(main())
