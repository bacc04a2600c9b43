"""A statement as JSON: money as decimal strings, every line with its deal, tier, rate and
the ledger position and source of the fact behind it. Money is written with 2 decimals,
more only where an exact line needs them (a line of 0.005 stays 0.005)."""
from typing import Any

from domain.commission import Line, Statement
from domain.money import money_text, round_cents

__all__ = ["statement_json", "LINE_FIELDS"]

LINE_FIELDS = ("kind", "deal", "credited", "tier", "rate", "base", "amount", "plan_version",
               "adjusts", "at", "event_id", "position", "source", "note")


def _line(line: Line, version: int) -> dict[str, Any]:
    return {"kind": line.kind, "deal": line.deal_id, "credited": money_text(line.credited),
            "tier": line.tier, "rate": str(line.rate), "base": money_text(line.base),
            "amount": money_text(line.amount), "plan_version": version, "adjusts": line.period,
            "at": line.at.isoformat() if line.at else "", "event_id": line.event_id,
            "position": line.position, "source": line.source, "note": line.note}


def statement_json(s: Statement) -> dict[str, Any]:
    gate = None if s.gate is None else {"ytd_revenue": money_text(s.gate.ytd_revenue),
                                        "ytd_quota": money_text(s.gate.ytd_quota), "met": s.gate.met}
    return {
        "rep": s.rep, "period": s.period, "plan": s.plan.plan_id, "plan_name": s.plan.name,
        "plan_version": s.plan.version, "method": s.plan.method, "quota": money_text(s.quota),
        "revenue": money_text(s.revenue), "attainment_pct": str(round_cents(s.attainment * 100)),
        "gate": gate, "lines": [_line(line, s.plan.version) for line in s.lines],
        "exact": money_text(s.exact), "rounding": money_text(s.rounding), "total": money_text(s.total),
        "closed": False,
    }
