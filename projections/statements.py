"""A statement as JSON: money as decimal strings, every line with its deal, tier, rate and
the ledger position and source of the fact behind it."""
from typing import Any

from domain.commission import Line, Statement
from domain.money import round_cents

__all__ = ["statement_json", "LINE_FIELDS"]

LINE_FIELDS = ("kind", "deal", "credited", "tier", "rate", "base", "amount", "plan_version",
               "adjusts", "at", "event_id", "position", "source", "note")


def _line(line: Line, version: int) -> dict[str, Any]:
    return {"kind": line.kind, "deal": line.deal_id, "credited": str(line.credited),
            "tier": line.tier, "rate": str(line.rate), "base": str(line.base),
            "amount": str(line.amount), "plan_version": version, "adjusts": line.period,
            "at": line.at.isoformat() if line.at else "", "event_id": line.event_id,
            "position": line.position, "source": line.source, "note": line.note}


def statement_json(s: Statement) -> dict[str, Any]:
    gate = None if s.gate is None else {"ytd_revenue": str(s.gate.ytd_revenue),
                                        "ytd_quota": str(s.gate.ytd_quota), "met": s.gate.met}
    return {
        "rep": s.rep, "period": s.period, "plan": s.plan.plan_id, "plan_name": s.plan.name,
        "plan_version": s.plan.version, "method": s.plan.method, "quota": str(s.quota),
        "revenue": str(s.revenue), "attainment_pct": str(round_cents(s.attainment * 100)),
        "gate": gate, "lines": [_line(line, s.plan.version) for line in s.lines],
        "exact": str(s.exact), "rounding": str(s.rounding), "total": str(s.total), "closed": False,
    }
