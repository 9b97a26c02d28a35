"""One department's brief, in the order a meeting takes it (pure)."""

from __future__ import annotations

from briefing import cover, dept_money, dept_results
from briefing.context import Context
from briefing.model import Brief, Section


def department_brief(ctx: Context, eid: str) -> Brief:
    t = ctx.t
    sections = [
        Section("cover", t("封面", "Cover"), [cover.cover(ctx, eid)]),
        Section("headline", t("预算 → 调整预算 → 决算", "Budget → adjusted → actual"), [dept_money.headline(ctx, eid)]),
        Section("gaps", t("差距最大的科目（类/款）", "Largest gaps by 类/款"), [dept_money.gaps(ctx, eid)]),
        Section("sangong", t("三公经费", "三公 expenses"), [dept_money.sangong(ctx, eid)]),
        Section("projects", t("项目执行", "Project execution"), [dept_results.projects(ctx, eid)]),
        Section("indicators", t("绩效指标", "Performance indicators"), [dept_results.indicators(ctx, eid)]),
        Section("audit", t("核查不符", "Audit findings that failed"), [dept_results.audit(ctx, eid)]),
    ]
    name = ctx.names.get(eid, eid)
    years = sorted({int(y) for y in ctx.docs.loc[ctx.docs["entity_id"] == eid, "year"]})
    title = t(f"{name} 简报", f"{name}: brief")
    subtitle = t(f"{'、'.join(map(str, years))} 年度 · 部门简报", f"{', '.join(map(str, years))} · department brief")
    return Brief("department", ctx.lang, title, subtitle, [eid], sections, ctx.doc_infos())
