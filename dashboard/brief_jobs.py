"""Briefs made from the dashboard (pure: no Streamlit here).

A brief takes seconds (charts through kaleido, the PDF through Chromium), so it is made by
``python -m briefing`` in a child process, never inside the web request: the page starts the job,
goes on, and polls the job until its file is there.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAX_ENTITIES = 8  # a comparison of more departments than this is not a brief any more
FORMATS = ("pdf", "pptx")


@dataclass
class BriefJob:
    entity_ids: tuple[str, ...]
    year: int | None
    lang: str
    fmt: str
    out: Path
    log: Path
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    @property
    def succeeded(self) -> bool:
        return self.process.poll() == 0 and self.out.exists() and self.out.stat().st_size > 0

    def error(self) -> str:
        """The child's last line on stderr (the CLI's one-line reason), where it failed."""
        if self.running or self.succeeded:
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace").strip() if self.log.exists() else ""
        return text.splitlines()[-1] if text else f"exit status {self.process.returncode}"

    def file_name(self) -> str:
        year = f"-{self.year}" if self.year else ""
        who = "-".join(self.entity_ids[:3]) + ("-etc" if len(self.entity_ids) > 3 else "")
        return f"brief-{who}{year}-{self.lang}.{self.fmt}"


def brief_command(entity_ids, year, lang, data_dir: Path, out: Path) -> list[str]:
    cmd = [sys.executable, "-m", "briefing", "--entity", ",".join(entity_ids), "--lang", lang,
           "--data", str(data_dir), "--out", str(out)]
    if year:
        cmd += ["--year", str(int(year))]
    return cmd


def start_brief(entity_ids, year, lang: str, fmt: str, data_dir: Path, work_dir: Path | None = None) -> BriefJob:
    """Start making a brief in a child process and return at once."""
    if fmt not in FORMATS:
        raise ValueError(f"brief format {fmt!r} is not one of {', '.join(FORMATS)}")
    ids = tuple(entity_ids)
    if not ids or len(ids) > MAX_ENTITIES:
        raise ValueError(f"a brief needs 1 to {MAX_ENTITIES} departments, not {len(ids)}")
    work = Path(work_dir or tempfile.mkdtemp(prefix="brief-"))
    work.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z0-9-]+", "-", "-".join(ids)[:60]) or "brief"
    out = work / f"{stem}.{fmt}"
    log = work / f"{stem}.{fmt}.log"
    with log.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(brief_command(ids, year, lang, data_dir, out), stdout=subprocess.DEVNULL,
                                   stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
    return BriefJob(ids, year, lang, fmt, out, log, process)
