"""A statement as JSON: money as decimal strings, every line with its deal, tier and rate."""
from typing import Any

from domain.commission import Statement
from domain.money import round_cents

__all__ = ["statement_json"]


def statement_json(s: Statement) -> dict[str, Any]:
    return {
        "rep": s.rep, "period": s.period, "plan": s.plan, "plan_version": s.plan_version,
        "quota": str(s.quota), "revenue": str(s.revenue),
        "attainment_pct": str(round_cents(s.attainment * 100)),
        "lines": [
            {"deal": line.deal_id, "event_id": line.event_id, "at": line.at.isoformat(),
             "credited": str(line.credited), "tier": line.tier, "rate": str(line.rate),
             "base": str(line.base), "commission": str(line.commission)}
            for line in s.lines
        ],
        "exact": str(s.exact), "rounding": str(s.rounding), "total": str(s.total),
    }
