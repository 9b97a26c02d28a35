"""The briefing pack: one department's brief, or a comparison of several, as PDF or PPTX.

    make_brief(["hanyang"], Path("hanyang.pdf"))            # the department brief
    make_brief(["hanyang", "urumqi"], Path("cmp.pptx"), lang="en")   # a comparison

Importable without Streamlit; the dashboard calls ``make_brief``. The content (``build_brief``)
is pure; the renderers lay the same content out as PDF or PPTX.
"""

from __future__ import annotations

from pathlib import Path

from briefing.context import BriefError

FORMATS = (".pdf", ".pptx")
__all__ = ["FORMATS", "BriefError", "build_brief", "make_brief", "render_brief"]


def build_brief(entity_ids: list[str], year: int | None = None, lang: str = "zh", data_dir: Path | None = None):
    """The brief's content (``briefing.model.Brief``): a department brief for one id, else a comparison."""
    from briefing.context import load

    ids = _ids(entity_ids)
    return _build(load(ids, year, lang, data_dir), ids)


def _ids(entity_ids) -> list[str]:
    return list(dict.fromkeys(e.strip() for e in entity_ids if e and e.strip()))


def _build(ctx, ids: list[str]):
    if len(ids) == 1:
        from briefing.department import department_brief

        return department_brief(ctx, ids[0])
    from briefing.compare import comparison_brief

    return comparison_brief(ctx, ids)


def check_out(out: Path) -> str:
    """The format from the file's suffix; the folder must exist and be writable."""
    import os

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise BriefError(f"--out {out}: the file must end in .pdf or .pptx", usage=True)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise BriefError(f"--out {out}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise BriefError(f"--out {out}: not writable")
    return suffix


def _warm(suffix: str) -> None:
    """Start the one browser the format needs in its own thread while the content is built: for a
    PDF the printing Chromium (which draws the charts itself), for a PPTX kaleido's, drawing each
    chart as soon as it is built. A warm-up that fails is retried, and reported, where its result
    is needed."""
    if suffix == ".pdf":
        from briefing import pdf

        pdf.warm()
    else:
        from briefing import charts

        charts.eager = True
        charts.start_warm()


def make_brief(entity_ids: list[str], out: Path, year: int | None = None, lang: str = "zh",
               data_dir: Path | None = None) -> Path:
    """Write the brief of ``entity_ids`` to ``out`` (.pdf or .pptx) and return its path.

    Raises ``BriefError`` (one line naming the input and the reason) for bad input.
    """
    out = Path(out)
    from briefing.context import load

    suffix = check_out(out)
    ids = _ids(entity_ids)
    ctx = load(ids, year, lang, data_dir)  # bad input is named before any browser starts
    _warm(suffix)  # the browsers start while the content is built
    return render_brief(_build(ctx, ids), out)


def render_brief(brief, out: Path) -> Path:
    """Lay a built brief (``build_brief``) out as ``out`` (.pdf or .pptx), written atomically."""
    out = Path(out)
    suffix = check_out(out)
    tmp = out.with_name(f".{out.name}.part")  # never a half-written brief under the real name
    try:
        if suffix == ".pdf":
            from briefing.pdf import write_pdf

            write_pdf(brief, tmp)
        else:
            from briefing.slides import write_pptx

            write_pptx(brief, tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
