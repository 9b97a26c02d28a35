"""The seeds build of several versions of the loaders, side by side in one run.

    python bench/compare_versions.py f36e3ee HEAD [--rounds 25]

Each revision is exported (``git archive``) into a folder of its own, with the seeds and its
bytecode compiled; every round runs ``python -m loaders build data/raw`` of each version and
the baseline ``import loaders.__main__`` (of this checkout) once, in a shuffled order, each
after a short quiet, into a new folder (a cold build). Prints each version's median wall time
and its ratio to the baseline's median; ``--json`` writes them. On a noisy host only the
same-run ratios compare: runs of one version differ by 30 ms and more from one minute to
the next.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BASELINE = "import loaders.__main__"


def export(rev: str, into: Path, n: int) -> Path:
    tree = into / f"{n}-{rev.replace('/', '_')}"  # numbered: two names never share a folder
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    shutil.copytree(ROOT / "data" / "raw", tree / "data" / "raw", dirs_exist_ok=True)
    subprocess.run([PY, "-m", "compileall", "-q", str(tree / "loaders")], check=True)
    return tree


def run_once(cmd: list[str], cwd: Path, env: dict) -> float:
    """One run's wall time; a build that fails stops the comparison (the seeds all load)."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revs", nargs="+", help="git revisions (HEAD, a commit, a branch)")
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--quiet", type=float, default=0.3, help="seconds of quiet before each run")
    parser.add_argument("--json", type=Path, help="write the medians here")
    args = parser.parse_args()
    # Bytecode is written and read as a user's runs do (without it each run recompiles).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    revs = list(dict.fromkeys(args.revs))  # a revision named twice is run once
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        trees = {rev: export(rev, Path(tmp) / "versions", n) for n, rev in enumerate(revs)}
        out = Path(tmp) / "out"  # beside the versions' folders, never one of them
        runs: dict[str, list[float]] = {name: [] for name in [*trees, BASELINE]}
        for r in range(args.rounds):
            order = list(runs)
            random.shuffle(order)
            for name in order:
                shutil.rmtree(out, ignore_errors=True)
                time.sleep(args.quiet)
                if name == BASELINE:
                    runs[name].append(run_once([PY, "-c", BASELINE], ROOT, env))
                else:
                    cmd = [PY, "-m", "loaders", "build", "data/raw", "--out", str(out), "-q"]
                    runs[name].append(run_once(cmd, trees[name], env))
            print(f"round {r + 1}/{args.rounds}", file=sys.stderr, end="\r")
    base = statistics.median(runs[BASELINE])
    result = {name: {"median_s": round(statistics.median(v), 4), "ratio": round(statistics.median(v) / base, 3),
                     "min_s": round(min(v), 4)} for name, v in runs.items()}
    for name, r in result.items():
        print(f"{name:28s} {r['median_s'] * 1000:6.0f} ms  {r['ratio']:.3f}×  (fastest {r['min_s'] * 1000:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps({"rounds": args.rounds, **result}, indent=1))


if __name__ == "__main__":
    main()
