"""The reason a document states beside an outlier (pure): a flagged project's 偏差说明, the sentence
"主要原因是…" in its own section of the document, or the 偏差原因 of its indicator rows.

Each reason keeps the line it was printed on (doc_id, source_ref), so that a page links it to the
source viewer. Nothing is inferred: a project whose document states no reason gets none.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.sources import parse_ref

PROJECT_KEYS = ["doc_id", "project"]
# A note that only says the target was met ("目标完成，无偏离度") explains nothing.
_BOILERPLATE = re.compile(
    r"(?:目标|指标|项目)?(?:已|全部|均|按计划)?(?:完成|达成|实现|达到)?(?:目标|预期)?[，,。；;、\s]*"
    r"(?:无偏离度?|无偏差|无|不适用|/|-+|—+)?[。\s]*"
)
# Prose that gives a reason (a table's header "偏差原因分析及改进措施" does not).
_STATES_REASON = re.compile(r"主要原因|原因[是为在：:]|由于|因为|系因")
# Order of trust: the project's own note, a sentence of its section, a missed indicator's note,
# a cost indicator's note, any other indicator's note.
RANK = {"project": 0, "text": 1, "missed": 2, "cost": 3, "indicator": 4}
FROM = {
    "project": ("项目偏差说明", "project's deviation note"),
    "text": ("文字说明", "text of the document"),
    "missed": ("未完成指标", "missed indicator"),
    "cost": ("成本指标", "cost indicator"),
    "indicator": ("指标说明", "indicator note"),
}
COLUMNS = [*PROJECT_KEYS, "rank", "kind", "reason", "reason_ref", "indicator"]


def informative(note) -> bool:
    """A note that says something beyond 'met, no deviation'."""
    if not isinstance(note, str):
        return False
    text = note.strip()
    return len(text) >= 2 and not _BOILERPLATE.fullmatch(text)


def order_key(page, line) -> pd.Series:
    """A line's position in its document (pages first, then lines), for sections."""
    return pd.Series(page).fillna(0).astype(float).to_numpy() * 1e6 + pd.Series(line).fillna(0).astype(float).to_numpy()


def _ref_positions(refs: pd.Series) -> list[float]:
    parsed = [parse_ref(r) for r in refs]
    return [(p or 0) * 1e6 + (ln or 0) for p, ln in parsed]


def candidates(projects: pd.DataFrame, indicators: pd.DataFrame, lines: pd.DataFrame | None = None,
               all_projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every reason the documents state for ``projects`` (doc_id, project, source_ref), best first.

    ``indicators``: their indicator rows (deviation_note); ``lines``: the lines of their documents
    (doc_id, page, line, text) for prose; ``all_projects``: every project of those documents, where
    each project's section ends (default ``projects``)."""
    if projects.empty:
        return pd.DataFrame(columns=COLUMNS)
    keys = projects[[*PROJECT_KEYS, "source_ref"]].drop_duplicates(PROJECT_KEYS)
    parts = [_project_notes(projects), _indicator_notes(keys, indicators)]
    if lines is not None and not lines.empty:
        parts.append(_prose(keys, all_projects if all_projects is not None else projects, lines, indicators))
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else \
        pd.DataFrame(columns=COLUMNS)
    if out.empty:
        return out
    out = out.drop_duplicates([*PROJECT_KEYS, "reason"]).assign(_pos=lambda d: _ref_positions(d["reason_ref"]))
    out = out.sort_values([*PROJECT_KEYS, "rank", "_pos"], kind="stable")
    return out.reset_index(drop=True)[COLUMNS]


def _project_notes(projects: pd.DataFrame) -> pd.DataFrame:
    if "deviation_note" not in projects:
        return pd.DataFrame(columns=COLUMNS)
    rows = projects[projects["deviation_note"].map(informative)]
    return pd.DataFrame({"doc_id": rows["doc_id"], "project": rows["project"], "rank": RANK["project"],
                         "kind": "project", "reason": rows["deviation_note"].str.strip(),
                         "reason_ref": rows["source_ref"], "indicator": None})


def _indicator_notes(keys: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    if indicators.empty or "deviation_note" not in indicators:
        return pd.DataFrame(columns=COLUMNS)
    ind = indicators[indicators["deviation_note"].map(informative)]
    ind = ind.merge(keys[PROJECT_KEYS], on=PROJECT_KEYS)
    if ind.empty:
        return pd.DataFrame(columns=COLUMNS)
    missed = (ind["completion"] < 1) | (ind["score"] < ind["weight"])
    cost = ind["level1"].fillna("").str.contains("成本") | ind["level2"].fillna("").str.contains("成本")
    kind = pd.Series("indicator", index=ind.index).mask(cost, "cost").mask(missed, "missed")
    return pd.DataFrame({"doc_id": ind["doc_id"], "project": ind["project"], "rank": kind.map(RANK),
                         "kind": kind, "reason": ind["deviation_note"].str.strip(),
                         "reason_ref": ind["source_ref"], "indicator": ind["name"]})


def _prose(keys: pd.DataFrame, all_projects: pd.DataFrame, lines: pd.DataFrame,
           indicators: pd.DataFrame) -> pd.DataFrame:
    """Sentences stating a reason inside a flagged project's section: from its own line to the next
    project's line in the same document. Indicator rows are left to ``_indicator_notes``."""
    said = lines[lines["doc_id"].isin(keys["doc_id"]) & lines["text"].astype(str).str.contains(_STATES_REASON)]
    if said.empty:
        return pd.DataFrame(columns=COLUMNS)
    said = said.assign(pos=order_key(said["page"], said["line"]))
    starts = all_projects[all_projects["doc_id"].isin(keys["doc_id"])][[*PROJECT_KEYS, "source_ref"]]
    starts = starts.drop_duplicates(PROJECT_KEYS).assign(pos=lambda d: _ref_positions(d["source_ref"]))
    starts = starts.sort_values("pos")
    said = said.sort_values("pos")
    hit = pd.merge_asof(said, starts[[*PROJECT_KEYS, "pos"]], on="pos", by="doc_id", direction="backward")
    hit = hit.dropna(subset=["project"]).merge(keys[PROJECT_KEYS], on=PROJECT_KEYS)
    refs = [f"p{int(p)}:L{int(n)}" if pd.notna(p) else f"L{int(n)}" for p, n in zip(hit["page"], hit["line"],
                                                                                  strict=True)]
    hit = hit.assign(reason_ref=refs)
    if not indicators.empty:
        taken = set(zip(indicators["doc_id"], indicators["source_ref"], strict=True))
        keep = [(d, r) not in taken for d, r in zip(hit["doc_id"], hit["reason_ref"], strict=True)]
        hit = hit[pd.Series(keep, index=hit.index, dtype=bool)]  # (a list would pick columns when empty)
    return pd.DataFrame({"doc_id": hit["doc_id"], "project": hit["project"], "rank": RANK["text"], "kind": "text",
                         "reason": hit["text"].astype(str).str.replace("\t", " ").str.strip(),
                         "reason_ref": hit["reason_ref"], "indicator": None})


def with_reasons(projects: pd.DataFrame, found: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``projects`` with the best stated reason of each: ``reason`` (an indicator's note prefixed with
    its name), ``reason_from``, ``reason_ref`` and ``n_reasons``; '' / None where none is stated."""
    out = projects.copy()
    if found.empty:
        return out.assign(reason="", reason_from="", reason_ref=None, n_reasons=0)
    best = found.drop_duplicates(PROJECT_KEYS)
    n = found.groupby(PROJECT_KEYS).size().rename("n_reasons").reset_index()
    best = best.merge(n, on=PROJECT_KEYS)
    best = best.assign(reason=[reason_text(r, lang) for r in best.to_dict("records")],
                       reason_from=[FROM[k][0 if lang == "zh" else 1] for k in best["kind"]])
    cols = [*PROJECT_KEYS, "reason", "reason_from", "reason_ref", "n_reasons"]
    merged = out.drop(columns=[c for c in cols[2:] if c in out]).merge(best[cols], on=PROJECT_KEYS, how="left")
    merged.index = out.index
    merged["reason"] = merged["reason"].fillna("")
    merged["reason_from"] = merged["reason_from"].fillna("")
    merged["n_reasons"] = merged["n_reasons"].fillna(0).astype(int)
    return merged


def reason_text(row: dict, lang: str = "zh") -> str:
    """'防疫物资购置种类：因本年防疫物资需求减少…' (an indicator's note names the indicator)."""
    name = row.get("indicator")
    if isinstance(name, str) and name:
        return f"{name}：{row['reason']}" if lang == "zh" else f"{name}: {row['reason']}"
    return str(row["reason"])


def gather_lines(doc_ids, fetch, limit: int = 50) -> pd.DataFrame | None:
    """The lines of the first ``limit`` documents among ``doc_ids`` (``fetch(doc_id)`` → lines or None),
    with their doc_id; None where none is available."""
    frames = []
    for doc in list(dict.fromkeys(doc_ids))[:limit]:
        got = fetch(doc)
        if got is not None and not got.empty:
            frames.append(got.assign(doc_id=doc))
    return pd.concat(frames, ignore_index=True) if frames else None
