"""Parse one document in a separate process, with a time limit, and return a preview.

    python -m loaders.inspect FILE      # prints the preview as JSON (used by preview())

Nothing is written: the child runs ``build([file], ..., write=False)``. A parser that hangs
or crashes costs the child process, never the caller.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TIMEOUT = 120.0


@dataclass
class Preview:
    ok: bool
    reason: str = ""  # why the document cannot be loaded (one line)
    entity_name: str = ""
    entity_id: str = ""
    year: int | None = None
    doc_kind: str = ""
    scope: str = ""
    title: str = ""
    format: str = ""
    n_pages: int | None = None
    n_lines: int = 0
    sha256: str = ""
    rows: dict[str, int] = field(default_factory=dict)  # fact dataset -> rows
    failed_checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def preview_in_process(path: Path) -> Preview:
    from loaders.build import build
    from loaders.schema import FACT_DATASETS

    with tempfile.TemporaryDirectory() as tmp:
        result = build([path], Path(tmp), write=False)
    if result.failures:
        return Preview(False, result.failures[0][1], seconds=result.seconds)
    if not result.documents:
        return Preview(False, "no document read", seconds=result.seconds)
    doc = result.documents[0]
    checks = result.tables["checks"].to_pylist()
    return Preview(
        True,
        entity_name=doc.meta.entity.name,
        entity_id=doc.meta.entity.entity_id,
        year=doc.meta.year,
        doc_kind=doc.meta.doc_kind,
        scope=doc.meta.scope,
        title=doc.meta.title,
        format=doc.source.format,
        n_pages=doc.source.n_pages,
        n_lines=len(doc.source.lines),
        sha256=doc.source.sha256,
        rows={name: result.tables[name].num_rows for name in FACT_DATASETS if name in result.tables},
        failed_checks=[f"{c['rule']}: {c.get('message') or c.get('subject') or ''}" for c in checks if c["status"] == "fail"],
        warnings=doc.warnings,
        seconds=round(result.seconds, 2),
    )


def preview(path: Path | str, timeout: float = DEFAULT_TIMEOUT) -> Preview:
    """Preview of ``path`` parsed in a child process; ``ok=False`` with a reason on failure."""
    cmd = [sys.executable, "-m", "loaders.inspect", str(Path(path).resolve())]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Preview(False, f"parsing took longer than {timeout:.0f} s and was stopped")
    try:
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        last = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return Preview(False, f"the parser process failed ({last[:200]})")
    return Preview(**data)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m loaders.inspect FILE", file=sys.stderr)
        return 2
    print(json.dumps(asdict(preview_in_process(Path(argv[0]))), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
