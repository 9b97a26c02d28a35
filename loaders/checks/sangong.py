"""三公经费: the total is the sum of its items; vehicles = purchase + operation."""

from __future__ import annotations

from collections import defaultdict

from loaders.checks.core import Context, amount_tol, finding, fmt, keys_of, rule, unverifiable_if_unprinted

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
    groups: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for r in ctx.records("sangong"):
        if r.get("amount") is not None:
            groups[(r["doc_id"], r["measure"])].setdefault(r["item"], r)
    return groups


def _check(items: dict[str, dict], whole: str, parts: list[str], measure: str) -> dict | None:
    total = items[whole]
    printed = [items[p] for p in parts if p in items]
    if not printed:
        return None
    expected = sum(p["amount"] for p in printed)
    row = finding(
        f"{NAMES[whole]}（{measure}）",
        expected,
        total["amount"],
        amount_tol(len(printed)),
        total["source_ref"],
        f"印 {fmt(total['amount'])}，{'+'.join(NAMES[p['item']] for p in printed)} = {fmt(expected)}",
        keys_of(total),
    )
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
