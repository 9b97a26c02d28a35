"""Command line: ``python -m loaders build [SOURCE ...] [--out DIR]`` and
``python -m loaders report SOURCE ...``.

Exit status: 0 all documents loaded; 1 some failed (the rest were written); 2 usage error.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import threading
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import loaders.arrow_allocator  # noqa: F401  (before anything imports pyarrow: see there)
from loaders.build import build as run_build
from loaders.build import find_sources
from loaders.errors import ClusterError
from loaders.parallel import DOCUMENT_MB, DOCUMENT_SECONDS
from loaders.schema import DATASETS, DEFAULT_OUT, DEFAULT_RAW

# What the imports built (pandas, pyarrow, the spec …) lives as long as the process: kept out
# of the collector's sight, a full collection during a build no longer walks all of it
# (about a sixth of the seeds build's CPU).
gc.freeze()

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Budget disclosures → parquet datasets.")
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


@app.callback()
def main() -> None:
    """Budget disclosures → parquet datasets."""


@app.command()
def build(
    sources: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: data/raw)")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder for the parquet datasets")] = DEFAULT_OUT,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                             help="Worker processes (default: the machine's cores)")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1,
                                              help="Seconds one document may take to parse")] = DOCUMENT_SECONDS,
    memory_limit: Annotated[float, typer.Option("--memory-limit", min=64,
                                                help="MB one document's parse may add to its worker")] = DOCUMENT_MB,
    scheduler: Annotated[str | None, typer.Option("--scheduler",
                                                  help="Parse on the Dask cluster at this address (tcp://host:8786)")] = None,
) -> None:
    """Parse the documents and write every dataset of the data contract."""
    paths, files = _sources(sources)
    failures_seen: list[str] = []

    with Progress(
        TextColumn("[bold]parsing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, transient=True, disable=quiet or len(files) < 3,
    ) as progress:
        task = progress.add_task("", total=len(files))

        def on_progress(path: Path, failure: str | None) -> None:
            if failure:
                # One line per bad file, no traceback: the file and the reason.
                failures_seen.append(f"{path}: {failure}")
                progress.console.print(f"[red]error[/red]: {path}: {failure}", markup=True)
            progress.update(task, advance=1, description=path.name)

        try:
            result = run_build(files, out_dir, on_progress=on_progress, jobs=jobs, seconds_per_document=time_limit,
                               memory_per_document=memory_limit, scheduler=scheduler)
        except ClusterError as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(2) from None

    if not result.summaries:
        err.print(f"no document could be loaded; existing datasets in {out_dir} left as they were")
        raise typer.Exit(1)
    if not quiet:
        _summary(result, out_dir)
    raise typer.Exit(1 if result.failures else 0)


@app.command()
def check(
    out_dir: Annotated[Path, typer.Option("--out", help="The folder of a build's datasets")] = DEFAULT_OUT,
) -> None:
    """Re-run the audit rules from the stored datasets alone and replace checks.parquet."""
    from loaders.build import recheck
    from loaders.schema import dataset_path, write_datasets

    if not dataset_path(out_dir, "documents").exists():
        err.print(f"error: {out_dir}: no datasets here (run python -m loaders build first)")
        raise typer.Exit(2)
    table = recheck(out_dir)
    write_datasets({"checks": table}, out_dir)
    statuses = table.column("status").to_pylist()
    out.print(f"{len(statuses)} checks → {out_dir}: {statuses.count('fail')} failed, {statuses.count('warn')} warnings")


def _sources(sources: list[Path] | None) -> tuple[list[Path], list[Path]]:
    """The paths given (default data/raw) and the documents under them; usage errors exit 2."""
    paths = list(sources) if sources else [DEFAULT_RAW]
    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"error: no such file or folder: {', '.join(map(str, missing))}")
        raise typer.Exit(2)
    files = find_sources(paths)
    if not files:
        err.print(f"error: no .txt, .md, .pdf or .docx documents under {', '.join(map(str, paths))}")
        raise typer.Exit(2)
    return paths, files


@app.command()
def report(
    sources: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: data/raw)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document, then the summary")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every warning")] = False,
) -> None:
    """Per document: family, year, entity, standard tables found / empty / missing, rows, warnings."""
    from loaders.report import load_reports, summary

    _, files = _sources(sources)
    with Progress(
        TextColumn("[bold]reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err, transient=True, disable=as_json or len(files) < 3,
    ) as progress:
        task = progress.add_task("", total=len(files))
        reports, _ = load_reports(files, on_progress=lambda path, _f: progress.update(
            task, advance=1, description=path.name))
    totals = summary(reports)
    if as_json:
        for r in reports:
            out.print(json.dumps(r.as_dict(), ensure_ascii=False), soft_wrap=True)
        out.print(json.dumps({"summary": totals}, ensure_ascii=False), soft_wrap=True)
    else:
        _print_report(reports, totals, verbose)
    raise typer.Exit(0 if totals["loaded"] == totals["documents"] else 1)


def _print_report(reports, totals: dict, verbose: bool) -> None:
    """One block per document: plain lines, so that a report can be read, diffed and grepped."""
    for r in reports:
        name = Path(r.file).name
        if not r.ok:
            out.print(f"[red]✗[/red] {name}: not loaded: {r.reason}", markup=True, highlight=False)
            continue
        out.print(f"[green]✓[/green] {name}", markup=True)
        part = "" if r.part == "whole" else f" · {r.part} only"
        out.print(f"    {r.doc_kind} {r.year} {r.scope} · {r.entity_name} ({r.entity_id}){part}")
        t = r.tables
        if any(t.values()):
            line = f"    tables: {len(t['present'])} found, {len(t['empty'])} declared empty, {len(t['missing'])} missing"
            out.print(line + (f" ({'、'.join(t['missing'])})" if t["missing"] else ""))
        out.print("    rows: " + (" · ".join(f"{k} {v}" for k, v in r.rows.items() if v) or "none"))
        for w in r.unreadable:
            out.print(f"    [yellow]not read[/yellow]: {w}", markup=True)
        if r.warnings:
            out.print(f"    warnings: {len(r.warnings)}")
            for w in r.warnings if verbose else ():
                out.print(f"      - {w}")
    out.print(
        f"loaded {totals['loaded']} of {totals['documents']} documents ({totals['share_loaded']:.0%}); "
        f"{totals['disclosures']} disclosures of {totals['entities']} entities; "
        f"{totals['without_tables']} without any standard table; {totals['warnings']} warnings"
    )


# Beyond this many documents the summary names none of them (the counts say enough).
SUMMARY_DOCUMENTS = 40


def _summary(result, out_dir: Path) -> None:
    n = len(result.summaries)
    reused = n - result.parsed
    title = f"{n} documents → {out_dir}  ({result.seconds:.2f} s"
    title += f"; {reused} unchanged, read from the store" if reused > 0 else ""
    title += "; datasets unchanged)" if not result.written else ")"
    table = Table(title=title, show_lines=False)
    table.add_column("dataset")
    table.add_column("rows", justify="right")
    for name in DATASETS:
        table.add_row(name, f"{result.rows.get(name, 0):,}")
    out.print(table)
    if n <= SUMMARY_DOCUMENTS:
        docs = Table(show_header=True)
        for col in ("document", "entity", "kind", "year", "warnings"):
            docs.add_column(col)
        for d in result.summaries:
            docs.add_row(d.name, d.entity_short, d.doc_kind, str(d.year), str(len(d.warnings)))
        out.print(docs)
    out.print(
        f"failed checks: {result.n_failed_checks}   warnings: {len(result.warnings)}   "
        f"failed documents: {len(result.failures)}"
    )


def _exit_without_teardown(code: int | str | None) -> None:
    """End the process as ``sys.exit(code)`` does, without the interpreter's teardown.

    Freeing the imports' objects one by one (pandas, pyarrow, the spec …) took ≈ 25 ms after a
    seeds build (≈ 19 ms after the bare imports); mypy ends its runs this way for the same
    reason. What a normal exit does that matters is done first: the other threads joined (as
    the interpreter's own exit does it), the exit handlers run, the output flushed."""
    threading._shutdown()
    atexit._run_exitfuncs()
    if code is not None and not isinstance(code, int):  # sys.exit("message"): printed, status 1
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


if __name__ == "__main__":
    try:
        app()
    except SystemExit as exc:
        _exit_without_teardown(exc.code)
