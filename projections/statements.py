"""A statement as JSON: money as decimal strings, every line with its deal, tier, rate and
the ledger position and source of the fact behind it. Money is written with 2 decimals,
more only where an exact line needs them (a line of 0.005 stays 0.005).

One shape for every statement, whatever it holds: the same keys with or without a plan,
credits or lines (`plan` and its version are null when no plan covers the rep), and a
`note` saying in words why a statement pays nothing ("" when it has lines of its own).
"""
from typing import Any

from domain.commission import Line, Statement
from domain.money import money_text, round_cents

__all__ = ["statement_json", "LINE_FIELDS"]

LINE_FIELDS = ("kind", "deal", "credited", "tier", "rate", "base", "amount", "plan_version",
               "adjusts", "at", "event_id", "position", "source", "note")


def _line(line: Line, version: int | None) -> dict[str, Any]:
    return {"kind": line.kind, "deal": line.deal_id, "credited": money_text(line.credited),
            "tier": line.tier, "rate": str(line.rate), "base": money_text(line.base),
            "amount": money_text(line.amount), "plan_version": version, "adjusts": line.period,
            "at": line.at.isoformat() if line.at else "", "event_id": line.event_id,
            "position": line.position, "source": line.source, "note": line.note}


def _note(s: Statement) -> str:
    if s.plan is None:
        return f"no plan covers {s.rep} in {s.period}: credited deals earn no commission"
    if any(line.kind != "adjustment" for line in s.lines):
        return ""
    return "no revenue credited" + (" and no minimum due" if s.plan.minimum is not None else "")


def statement_json(s: Statement, *, closed: bool = False) -> dict[str, Any]:
    gate = None if s.gate is None else {"ytd_revenue": money_text(s.gate.ytd_revenue),
                                        "ytd_quota": money_text(s.gate.ytd_quota), "met": s.gate.met}
    plan = s.plan
    version = plan.version if plan else None
    return {
        "rep": s.rep, "period": s.period, "plan": plan.plan_id if plan else None,
        "plan_name": plan.name if plan else None, "plan_version": version,
        "method": plan.method if plan else None, "quota": money_text(s.quota),
        "revenue": money_text(s.revenue), "attainment_pct": str(round_cents(s.attainment * 100)),
        "gate": gate, "lines": [_line(line, version) for line in s.lines],
        "exact": money_text(s.exact), "rounding": money_text(s.rounding), "total": money_text(s.total),
        "closed": closed, "note": _note(s),
    }
