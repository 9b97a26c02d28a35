"""三公经费: the total is the sum of its items; vehicles = purchase + operation."""

from __future__ import annotations

from loaders.checks.core import Context, group_by, rule, sum_finding, unverifiable_if_unprinted

FAMILY = "sangong"
NAMES = {
    "total": "三公经费合计",
    "outbound_travel": "因公出国（境）费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "购置费",
    "vehicle_operation": "运行费",
    "official_reception": "公务接待费",
}


def _by_doc_measure(ctx: Context) -> dict[tuple, dict[str, dict]]:
    """Per (doc_id, measure): each item's first printed amount, once per run."""

    def compute():
        groups: dict[tuple, dict[str, dict]] = {}
        printed = [r for r in ctx.records("sangong") if r.get("amount") is not None]
        for key, rows in group_by(printed, "doc_id", "measure").items():
            items = groups[key] = {}
            for r in rows:
                items.setdefault(r["item"], r)  # an item printed twice: DUP-AGREE's finding
        return groups

    return ctx.cached("sangong_items", compute)


def _check(items: dict[str, dict], whole: str, parts: list[str], measure: str) -> dict | None:
    total = items[whole]
    printed = [items[p] for p in parts if p in items]
    if not printed:
        return None
    terms = "+".join(NAMES[p["item"]] for p in printed)
    row = sum_finding(f"{NAMES[whole]}（{measure}）", total, printed, terms=terms)
    return unverifiable_if_unprinted(row, [NAMES[p] for p in parts if p not in items])


@rule("SG-ITEMS", FAMILY, "high", "三公经费合计 = 出国（境）费 + 公务用车费 + 公务接待费")
def sangong_items(ctx: Context):
    """Vehicles as their printed total, or as purchase + operation; either reading may pass.

    A wrong 公务用车 subtotal is SG-VEHICLES' finding, not a second one here.
    """
    for (_doc, measure), items in _by_doc_measure(ctx).items():
        if "total" not in items:
            continue
        rows = []
        for vehicles in (["vehicle_total"], ["vehicle_purchase", "vehicle_operation"]):
            if vehicles[0] == "vehicle_total" and "vehicle_total" not in items:
                continue
            row = _check(items, "total", ["outbound_travel", *vehicles, "official_reception"], measure)
            if row:
                rows.append(row)
        if rows:
            yield next((r for r in rows if r["status"] == "pass"), rows[0])


@rule("SG-VEHICLES", FAMILY, "medium", "公务用车购置及运行费 = 购置费 + 运行费")
def sangong_vehicles(ctx: Context):
    for (_doc, measure), items in _by_doc_measure(ctx).items():
        if "vehicle_total" in items:
            row = _check(items, "vehicle_total", ["vehicle_purchase", "vehicle_operation"], measure)
            if row:
                yield row
