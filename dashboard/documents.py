"""Managing the source documents behind the dashboard (pure: no Streamlit here).

An upload is checked and parsed in a child process first (``loaders.inspect.preview``);
only on confirmation is it saved under the raw folder. The page then ingests it in the
background (``queue_upload`` / ``queue_removal``: dashboard/ingest.py, an incremental build
in a detached process); ``save_upload`` / ``remove_document`` do the same in the caller.
A failed save or rebuild restores the raw folder; each dataset is replaced atomically.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq

from dashboard import ingest
from dashboard.ingest import Job
from loaders.build import BuildResult, build, find_sources
from loaders.errors import DocumentError
from loaders.inspect import DEFAULT_TIMEOUT, Preview, preview
from loaders.readers.source import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, sha256_bytes
from loaders.schema import DATASETS, DEFAULT_RAW, SCHEMAS, dataset_path, read_dataset, write_datasets
from loaders.store import write_bytes_atomic

UPLOAD_SUFFIXES = tuple(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
STATUS_FILE = "_build_status.json"  # beside the datasets: why each failed document failed
MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def raw_dir() -> Path:
    """Where the source documents are: $BUDGET_RAW_DIR, else data/raw beside app.py."""
    env = os.environ.get("BUDGET_RAW_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / DEFAULT_RAW


@dataclass(frozen=True)
class DocumentStatus:
    name: str
    status: str  # loaded | failed | not built
    reason: str = ""
    entity_name: str = ""
    year: int | None = None
    doc_kind: str = ""


def safe_name(name: str) -> str:
    """A file name without path parts, control characters or shell-hostile characters.

    CJK is kept; the suffix is lower-cased. ``../../etc/x.PDF`` -> ``x.pdf``.
    """
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    base = "".join(ch for ch in base if not unicodedata.category(ch).startswith("C"))
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip("._-") or "document"
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def unique_path(directory: Path, name: str) -> Path:
    path = directory / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = directory / f"{stem}-{n}{suffix}"
        n += 1
    return path


def check_upload(name: str, size: int) -> str | None:
    """Why an upload is refused before parsing, or None."""
    suffix = Path(safe_name(name)).suffix.lstrip(".")
    if suffix not in UPLOAD_SUFFIXES:
        return f"unsupported file type .{suffix or '?'}; expected one of {', '.join(UPLOAD_SUFFIXES)}"
    if size == 0:
        return "empty file"
    if size > MAX_FILE_BYTES:
        return f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB"
    return None


@lru_cache(maxsize=256)
def _sha256_of(path: str, mtime_ns: int, size: int) -> str:
    return sha256_bytes(Path(path).read_bytes())


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read once per file version (the 文档 page lists the folder on every rerun)."""
    st = path.stat()
    return _sha256_of(str(path), st.st_mtime_ns, st.st_size)


def _raw_hashes(raw_dir: Path) -> dict[str, Path]:
    return {file_sha256(p): p for p in find_sources([raw_dir])} if raw_dir.exists() else {}


def inspect_upload(data: bytes, name: str, raw_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> Preview:
    """Parse an upload in a child process from a scratch copy; nothing is saved."""
    if reason := check_upload(name, len(data)):
        return Preview(False, reason)
    twin = _raw_hashes(raw_dir).get(sha256_bytes(data))
    if twin is not None:
        return Preview(False, f"same content as {twin.name}, already in the collection")
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(data)
        return preview(path, timeout=timeout)


def rebuild(raw_dir: Path, out_dir: Path) -> BuildResult:
    """Rebuild every dataset from ``raw_dir``, incrementally (documents unchanged since the last
    build are read back from the store, not parsed); with no documents left, write empty datasets."""
    result = build([raw_dir], out_dir, jobs=1)
    if not loaded(result):
        write_datasets({name: SCHEMAS[name].empty_table() for name in DATASETS}, out_dir)
    _write_status(out_dir, {p.name: reason for p, reason in result.failures})
    return result


def loaded(result: BuildResult) -> int:
    """How many documents a build loaded (a writing build keeps their summaries, not the documents)."""
    return len(getattr(result, "summaries", None) or result.documents)


def queue_upload(data: bytes, name: str, raw_dir: Path, out_dir: Path) -> tuple[Path, Job]:
    """Save a previewed upload and ingest it in the background; returns at once."""
    target = _store_upload(data, name, raw_dir)
    return target, ingest.start(raw_dir, out_dir, "add", target.name)


def _store_upload(data: bytes, name: str, raw_dir: Path) -> Path:
    """Write an upload under a safe, unused name in the raw folder, atomically."""
    if reason := check_upload(name, len(data)):
        raise DocumentError(reason)
    raw_dir.mkdir(parents=True, exist_ok=True)
    target = unique_path(raw_dir, safe_name(name))
    write_bytes_atomic(target, data)  # its temp file is hidden: builds skip it
    return target


def queue_removal(name: str, raw_dir: Path, out_dir: Path) -> Job:
    """Take a document out of the collection (parked: the build no longer sees it) and drop its
    rows in the background; the worker deletes the parked file, or puts it back if the build fails."""
    path = raw_dir / name
    if Path(name).name != name or name.startswith(".") or not path.is_file():
        raise DocumentError(f"no document named {name}")
    os.replace(path, raw_dir / f"{ingest.PARKED}{name}")
    return ingest.start(raw_dir, out_dir, "remove", name)


def _write_status(out_dir: Path, failures: dict[str, str]) -> None:
    write_bytes_atomic(out_dir / STATUS_FILE, json.dumps(failures, ensure_ascii=False, indent=1).encode("utf-8"))


def save_upload(data: bytes, name: str, raw_dir: Path, out_dir: Path) -> tuple[Path, BuildResult]:
    """Save a previewed upload and rebuild in this process (the background path is queue_upload);
    on any failure the file is taken out again."""
    target = _store_upload(data, name, raw_dir)
    try:
        result = build([raw_dir], out_dir, write=False)
        failed = dict((p.name, r) for p, r in result.failures)
        if target.name in failed:
            raise DocumentError(failed[target.name])
        write_datasets(result.tables, out_dir)
        _write_status(out_dir, failed)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, result


def remove_document(name: str, raw_dir: Path, out_dir: Path) -> BuildResult:
    """Take one document out of the collection and rebuild; restored if the rebuild fails."""
    path = raw_dir / name
    if Path(name).name != name or name.startswith(".") or not path.is_file():
        raise DocumentError(f"no document named {name}")
    parked = raw_dir / f"{ingest.PARKED}{name}"
    os.replace(path, parked)
    try:
        result = rebuild(raw_dir, out_dir)
    except BaseException:
        os.replace(parked, path)
        raise
    parked.unlink()
    return result


def _documents(out_dir: Path):
    """The documents dataset's columns the list shows (not the whole file: thousands of rows)."""
    path = dataset_path(out_dir, "documents")
    cols = ["sha256", "entity_name", "year", "doc_kind"]
    return pq.read_table(path, columns=cols).to_pandas() if path.exists() else read_dataset(out_dir, "documents")


def list_documents(raw_dir: Path, out_dir: Path) -> list[DocumentStatus]:
    """Every file in the raw folder with its status in the current datasets (``ingesting`` while a
    background job adds or removes it)."""
    busy = {j.name: j for j in ingest.jobs(out_dir) if j.active}
    docs = _documents(out_dir)
    by_sha = {row.sha256: row for row in docs.itertuples()}
    status_path = out_dir / STATUS_FILE
    failures = json.loads(status_path.read_text(encoding="utf-8")) if status_path.exists() else {}
    out = []
    for path in find_sources([raw_dir]) if raw_dir.exists() else []:
        row = by_sha.get(file_sha256(path))
        if path.name in busy:
            out.append(DocumentStatus(path.name, "ingesting", busy[path.name].state))
        elif row is not None:
            out.append(DocumentStatus(path.name, "loaded", "", row.entity_name, int(row.year), row.doc_kind))
        elif path.name in failures:
            out.append(DocumentStatus(path.name, "failed", failures[path.name]))
        else:
            out.append(DocumentStatus(path.name, "not built", "not in the datasets yet: rebuild"))
    out += [DocumentStatus(j.name, "ingesting", j.state) for j in busy.values() if j.action == "remove"]
    return out



# Why an upload cannot be loaded, in Chinese: the loaders say it in English (one line, the reason).
_REASONS_ZH = [
    (re.compile(r"^unsupported file type"), "不支持的文件类型"),
    (re.compile(r"^empty file"), "空文件"),
    (re.compile(r"^file is \d+ MB"), "文件超过大小上限"),
    (re.compile(r"^same content as (?P<name>.+), already in the collection"), "与已有文档 {name} 内容相同"),
    (re.compile(r"^parsing took longer than (?P<s>\d+) s"), "解析超过 {s} 秒，已停止"),
    (re.compile(r"not a budget"), "不是预算、决算或绩效自评文档"),
    (re.compile(r"^not a (?:readable )?PDF|^PDF is password"), "无法读取的 PDF 文件"),
    (re.compile(r"^not a (?:readable )?Word"), "无法读取的 Word 文件"),
    (re.compile(r"binary data|characters long|truncated"), "不是可读的文本文件"),
    (re.compile(r"^the parser process failed"), "解析进程出错"),
]


def reason_text(reason: str, lang: str = "zh") -> str:
    """A refusal's reason for the reader: in Chinese the meaning first, the loader's words after it."""
    if lang != "zh":
        return reason
    for pattern, zh in _REASONS_ZH:
        if m := pattern.search(reason):
            return f"{zh.format(**m.groupdict())}（{reason}）"
    return reason


def uploader_css(lang: str) -> str:
    """Streamlit's uploader prints its own words in English ("Upload", "200MB per file • …"): in
    Chinese they are hidden and said in Chinese instead (a style, since the widget takes no texts)."""
    if lang != "zh":
        return ""
    limit = f"每个文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB · {'、'.join(s.upper() for s in UPLOAD_SUFFIXES)}"
    drop = '[data-testid="stFileUploaderDropzone"]'
    return ("<style>"
            f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size:0}}'
            f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span::after '
            f'{{content:"{limit}";font-size:0.875rem}}'
            f"{drop} button p {{font-size:0}}"
            f'{drop} button p::after {{content:"上传文件";font-size:0.875rem}}'
            "</style>")
