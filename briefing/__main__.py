"""``python -m briefing --entity ID[,ID...] [--year Y] [--lang zh|en] [--data DIR] --out FILE.pdf|FILE.pptx``

One entity: the department brief; several: the comparison brief. Exit status 0 written, 1 the
brief could not be made (data missing, the browser failed), 2 usage error; one line on stderr.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, help="The briefing pack: a department's brief, or a comparison, as PDF or PPTX.")


@app.command()
def main(
    entity: Annotated[str, typer.Option("--entity", help="entity_id, or several separated by commas (comparison)")],
    out: Annotated[Path, typer.Option("--out", help="FILE.pdf or FILE.pptx")],
    year: Annotated[int | None, typer.Option("--year", help="fiscal year (default: each department's latest)")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    data: Annotated[Path | None, typer.Option("--data", help="datasets folder (default: $BUDGET_DATA_DIR or "
                                                             "data/processed)")] = None,
) -> None:
    """Write the brief of the departments to FILE (.pdf or .pptx)."""
    from briefing import BriefError, make_brief

    ids = [e.strip() for e in entity.split(",") if e.strip()]
    try:
        path = make_brief(ids, out, year=year, lang=lang, data_dir=data)
    except BriefError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2 if exc.usage else 1) from None
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        typer.echo(f"error: {out}: the brief could not be made ({type(exc).__name__}: {exc})", err=True)
        raise typer.Exit(1) from None
    typer.echo(str(path))


def _close() -> None:
    """Stop the browsers this process started (Playwright's Chromium, kaleido's)."""
    for mod in ("briefing.pdf", "briefing.charts"):
        m = sys.modules.get(mod)
        if m is not None:
            with contextlib.suppress(Exception):
                (m.close if hasattr(m, "close") else m.stop)()


if __name__ == "__main__":
    try:
        app()
    finally:
        _close()
