"""The cover of a department's brief, and what its documents do not disclose (pure)."""

from __future__ import annotations

from briefing.context import Context
from briefing.model import Message, Table, text
from briefing.parts import join

THEMES = {"budget_lines": ("预算与决算", "budget and accounts"), "sangong": ("三公经费", "三公 expenses"),
          "projects": ("项目执行", "project execution"), "indicators": ("绩效指标", "performance indicators")}


def cover(ctx: Context, eid: str) -> Message:
    from dashboard.overview import caveats

    docs = ctx.docs[ctx.docs["entity_id"] == eid]
    infos = [d for d in ctx.doc_infos() if d.doc_id in set(docs["doc_id"])]
    rows = [[text(d.file), text(d.kind), text(str(d.year)), text(d.sha256[:12])] for d in infos]
    table = Table([ctx.t("文件", "file"), ctx.t("文档类型", "kind"), ctx.t("年度", "year"), "sha256"], rows)
    out = [ctx.t("依据的文档：", "Documents: ") + join([f"{d.label}（{d.file}）" if ctx.lang == "zh"
                                                      else f"{d.label} ({d.file})" for d in infos], ctx)]
    missing = [name for name in not_disclosed(ctx, eid)]
    if missing:
        out.append(ctx.t("文档未披露：", "Not disclosed: ") + join(missing, ctx))
    out.extend(caveats(ctx.of_all(eid), ctx.labels, ctx.lang))
    out.append(ctx.t("年初预算、调整预算、决算是三个阶段，各自取自文档印出的行，从不混为一个序列；执行率 = 决算 ÷ 调整预算。"
                     "金额单位万元，人均为元；文档未印出的数写作“未披露”，不是 0。",
                     "Initial budget, adjusted budget and actual are three phases, each read from a printed line, "
                     "never one series; execution rate = actual ÷ adjusted budget. Amounts in 10k CNY, per staff "
                     "member in CNY; a figure a document does not print reads 'not disclosed', never 0."))
    refs = [ctx.ref(d.doc_id) for d in infos]
    name = ctx.names.get(eid, eid)
    years = join(sorted({str(d.year) for d in infos}), ctx)
    return Message(ctx.t(f"{name} {years} 年度简报", f"{name}: {years} brief"), out, table, None, refs)


def not_disclosed(ctx: Context, eid: str) -> list[str]:
    """What the department's documents do not disclose: themes without rows, the staff count,
    standard tables their contents list but the body does not print."""
    out = []
    for name, pair in THEMES.items():
        df = ctx.of(name, eid)
        if name == "projects":
            df = df[df["actual"].notna()]
        if df.empty:
            out.append(pair[0] if ctx.lang == "zh" else pair[1])
    docs = ctx.docs[ctx.docs["entity_id"] == eid]
    if "staff_count" not in docs or docs["staff_count"].isna().all():
        out.append(ctx.t("人数", "staff count"))
    tables = ctx.of("tables", eid)
    if "status" in tables:
        miss = tables[tables["status"] == "missing"]
        if not miss.empty:
            names = join([str(t) for t in miss["table"]], ctx)
            out.append(ctx.t(f"目录列出但未印出的表（{names}）", f"tables listed in the contents but not printed ({names})"))
    return out
