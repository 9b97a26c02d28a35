"""Synthetic datasets for the dashboard tests (made-up figures, validated against loaders.schema)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.schema import DATASETS, SCHEMAS, to_table, write_datasets

DOCS = [
    # doc_id, entity_id, short, year, kind, staff, file
    ("d_hy", "hanyang", "汉阳区", 2023, "final_accounts", 51, "hy.txt"),
    ("d_ur", "urumqi", "乌鲁木齐市", 2023, "final_accounts", None, "ur.txt"),
    ("d_hd", "handan", "邯郸市", 2022, "budget", None, "hd.txt"),
    ("d_yy", "yueyang", "岳阳市", 2023, "performance_self_eval", None, "yy.txt"),
]


def _key(doc: str) -> dict:
    d = next(x for x in DOCS if x[0] == doc)
    return {"doc_id": d[0], "entity_id": d[1], "year": d[3], "doc_kind": d[4]}


def frames(source_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    src = source_dir or Path("/nonexistent")
    documents = pd.DataFrame(
        [
            {"doc_id": d, "entity_id": e, "entity_name": s + "住房局", "entity_short": s, "year": y,
             "doc_kind": k, "scope": "department", "source_file": str(src / f), "sha256": d * 4,
             "format": "txt", "parser_version": "test", "n_lines": 40, "staff_count": staff, "warnings": []}
            for d, e, s, y, k, staff, f in DOCS
        ]
    )
    bl = []

    def line(doc, code, item, level, measure, amount, ref, table="支出表"):
        bl.append({**_key(doc), "table": table, "code": code, "item": item, "level": level,
                   "breakdown": "total", "measure": measure, "amount": amount, "source_ref": ref})

    for m, k in (("budget_adjusted", 1.1), ("actual", 1.0)):
        line("d_hy", None, "合计", 0, m, 1000.0 * k, "L10")
        line("d_hy", "221", "住房保障支出", 1, m, 900.0 * k, "L11")
        line("d_hy", "22101", "保障性安居工程支出", 2, m, 900.0 * k, "L12")
        line("d_hy", "2210108", "老旧小区改造", 3, m, 600.0 * k, "L13")
        line("d_hy", "2210199", "其他保障性安居工程支出", 3, m, 300.0 * k, "L14")
        line("d_hy", "208", "社会保障和就业支出", 1, m, 100.0 * k, "L15")
    line("d_hy", "208", "社会保障和就业支出", 1, "budget_initial", 90.0, "L15")
    line("d_ur", None, "合计", 0, "actual", 5000.0, "L20")
    line("d_ur", "221", "住房保障支出", 1, "actual", 5000.0, "L21")
    line("d_hd", None, "合计", 0, "budget_initial", 3000.0, "L5")
    line("d_hd", "221", "住房保障支出", 1, "budget_initial", 3000.0, "L6")

    sg = []
    for doc, item, measure, amount, ref in [
        ("d_hy", "total", "budget_adjusted", 2.11, "L30"), ("d_hy", "total", "actual", 2.11, "L30"),
        ("d_hy", "total", "prior_year_actual", 3.0, "L31"), ("d_hy", "official_reception", "actual", 0.5, "L32"),
        ("d_hy", "vehicle_operation", "actual", 1.61, "L33"), ("d_ur", "total", "actual", 12.0, "L40"),
        ("d_ur", "official_reception", "actual", 2.0, "L41"), ("d_hd", "total", "budget_initial", 8.0, "L7"),
    ]:
        sg.append({**_key(doc), "item": item, "measure": measure, "amount": amount, "source_ref": ref})
    # Prior years the text states only as a change: 乌鲁木齐 "比上年减少 3.00 万元，下降 20.00%" (total),
    # "与上年持平" (reception: a stated zero); 邯郸 "比上年预算增加 0.50 万元" (no %). The loaders
    # add the prior-year figure as a derived row; 汉阳 prints its prior year (no stated change).
    stated = []
    for doc, item, measure, against, current, change, pct, ref, text in [
        ("d_ur", "total", "actual", "prior_year_actual", 12.0, -3.0, -0.2, "L40",
         "三公经费支出 12.00 万元，比上年减少 3.00 万元，下降 20.00%。"),
        ("d_ur", "official_reception", "actual", "prior_year_actual", 2.0, 0.0, 0.0, "L41",
         "公务接待费支出 2.00 万元，与上年持平。"),
        ("d_hd", "total", "budget_initial", "prior_year_budget", 8.0, 0.5, None, "L7",
         "三公经费预算 8.00 万元，比上年预算增加 0.50 万元。"),
    ]:
        stated.append({**_key(doc), "dataset": "sangong", "item": item, "measure": measure, "against": against,
                       "current_amount": current, "change_amount": change, "change_pct": pct, "text": text,
                       "source_ref": ref})
        sg.append({**_key(doc), "item": item, "measure": against, "amount": current - change,
                   "origin": "derived", "source_ref": ref})
    # A budget_lines total stated against the prior year (汉阳 "比上年增加 100.00 万元，增长 11.11%").
    stated.append({**_key("d_hy"), "dataset": "budget_lines", "item": "合计", "breakdown": "total", "level": 0,
                   "measure": "actual", "against": "prior_year_actual", "current_amount": 1000.0,
                   "change_amount": 100.0, "change_pct": 0.1111, "text": "支出合计 1000.00 万元，比上年增加 100.00 万元，增长 11.11%。",
                   "source_ref": "L10"})
    bl.append({**_key("d_hy"), "table": "narrative", "code": None, "item": "合计", "level": 0, "breakdown": "total",
               "measure": "prior_year_actual", "amount": 900.0, "origin": "derived", "source_ref": "L10"})
    counts = [{**_key("d_hy"), "item": "vehicle_total", "what": "vehicles", "measure": "actual", "count": 2.0,
               "source_ref": "L34"}]
    pr = []
    for doc, name, b, a, note, ref in [
        ("d_yy", "棚户区改造", 100.0, 80.0, "工程进度滞后", "L20"),
        ("d_yy", "公租房维修", 50.0, 50.0, None, "L21"),
        ("d_yy", "保障房运营", 10.0, 12.0, "追加支出", "L22"),
        ("d_hy", "老旧小区改造项目", 600.0, 590.0, None, "L35"),
    ]:
        pr.append({**_key(doc), "scope": "project", "project": name, "budget_adjusted": b, "actual": a, "execution_rate": a / b,
                   "score": 90.0, "max_score": 100.0, "deviation_note": note, "source_ref": ref})
    pr.append({**_key("d_yy"), "scope": "project", "project": "未披露执行项目", "budget_adjusted": 20.0,
               "source_ref": "L23"})
    # The whole-department self-evaluation: executed below the project threshold, never a project point.
    pr.append({**_key("d_yy"), "scope": "department", "project": "部门整体支出", "budget_adjusted": 1000.0,
               "actual": 850.0, "execution_rate": 0.85, "score": 92.0, "max_score": 100.0, "source_ref": "L19"})
    ind = []
    for scope, proj, l1, l2, name, comp, w, s, note, ref in [
        ("project", "棚户区改造", "产出指标", "数量指标", "改造户数", 0.8, 10.0, 8.0, "拆迁未完成", "L25"),
        ("project", "棚户区改造", "产出指标", "时效指标", "完成时间", 1.0, 10.0, 10.0, None, "L26"),
        ("project", "公租房维修", "效益指标", "满意度指标", "满意度", None, 10.0, 9.0, "未达预期", "L27"),
        ("department", None, "产出指标", "数量指标", "保障户数", 0.95, 20.0, 19.0, "部分未完成", "L28"),
        ("department", None, "效益指标", "社会效益", "群众满意", 1.0, 10.0, 10.0, None, "L29"),
    ]:
        ind.append({**_key("d_yy"), "scope": scope, "project": proj, "level1": l1, "level2": l2, "name": name,
                    "target_text": "≥100", "actual_text": "80", "completion": comp, "weight": w, "score": s,
                    "deviation_note": note, "source_ref": ref})
    checks = [
        {**_key("d_hy"), "rule": "sum_children", "severity": "high", "subject": "221", "expected": 900.0,
         "found": 901.0, "difference": 1.0, "status": "fail", "message": "款之和与类不符", "source_ref": "L11"},
        {**_key("d_yy"), "rule": "PERF-TOTAL", "severity": "high", "subject": "棚户区改造 总分", "expected": 89.0,
         "found": 90.0, "difference": 1.0, "status": "fail", "message": "印总分 90，各项之和 89", "source_ref": "L20"},
        {**_key("d_yy"), "rule": "PERF-PAIRING", "severity": "low", "subject": "公租房维修 满意度",
         "status": "warn", "message": "目标为数值、实际为文字", "source_ref": "L27"},
        {**_key("d_ur"), "rule": "COMPLETE-TABLES", "severity": "medium", "subject": "收入决算表", "status": "fail",
         "message": "目录列出但正文未见", "source_ref": "L3"},
        {**_key("d_ur"), "rule": "COMPLETE-TABLES", "severity": "medium", "subject": "支出决算表", "status": "fail",
         "message": "目录列出但正文未见", "source_ref": "L4"},
        {**_key("d_ur"), "rule": "total_matches", "severity": "info", "subject": "合计", "status": "pass",
         "message": "合计一致", "source_ref": "L20"},
    ]
    raw = {"documents": documents, "budget_lines": pd.DataFrame(bl), "sangong": pd.DataFrame(sg),
           "sangong_counts": pd.DataFrame(counts), "projects": pd.DataFrame(pr), "indicators": pd.DataFrame(ind),
           "checks": pd.DataFrame(checks),
           "stated_changes": pd.DataFrame(stated)}
    # A dataset added to the schema later starts empty here.
    return {name: (to_table(name, raw[name]) if name in raw else SCHEMAS[name].empty_table()).to_pandas()
            for name in DATASETS}


def write(out_dir: Path) -> Path:
    """Write the synthetic datasets and a small source text per document into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for _d, _e, short, year, _k, _s, file in DOCS:
        lines = [f"{short} {year} 第{i}行 示例文本" for i in range(1, 41)]
        if file == "ur.txt":  # a final account that only references its tables
            lines[1] = "第四部分 部门决算报表（见附表）"
        text = "\n".join(lines)
        (out_dir / file).write_text(text, encoding="utf-8")
    fr = frames(out_dir)
    write_datasets({n: to_table(n, fr[n]) for n in DATASETS}, out_dir)
    return out_dir


def empty(out_dir: Path) -> Path:
    write_datasets({n: SCHEMAS[n].empty_table() for n in DATASETS}, out_dir)
    return out_dir
