"""Plan files (TOML) to ledger facts: `plan.published` and `plan.assigned` inbound events.

Idempotent: a file whose terms equal a published version publishes nothing new; an edited
file publishes the next version. Versions are never rewritten.
"""
import tomllib
from pathlib import Path
from typing import Any

from domain.ledger import Ledger
from domain.plan import plan_from_definition

__all__ = ["plan_events"]

_TERMS = ("name", "effective_from", "tiers", "quota", "basis", "method", "gate", "cap", "minimum")
SOURCE = "plan-file"


def _terms(definition: dict[str, Any]) -> dict[str, Any]:
    return {k: definition.get(k) for k in _TERMS}


def plan_events(path: Path, ledger: Ledger) -> list[dict[str, Any]]:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    plan_id = str(raw.get("plan_id") or path.stem)
    tiers = [[str(t["floor"]), str(t["rate"])] for t in raw.get("tiers", [])]
    terms = {k: raw[k] for k in _TERMS if k in raw and k != "tiers"}
    event = {"type": "plan.published", "source": SOURCE, "plan_id": plan_id,
             "occurred_at": str(raw.get("effective_from", "")), **terms, "tiers": tiers}
    book = ledger.plan_book(plan_id)
    versions = book.versions if book else {}
    version = next((v for v, d in sorted(versions.items()) if _same(d, event)), max(versions, default=0) + 1)
    events = [{**event, "version": version, "event_id": f"{SOURCE}:{plan_id}:v{version}"}]
    for a in raw.get("assign", []):
        scope, start = str(a.get("scope", "")), str(a.get("effective_from", ""))
        events.append({"type": "plan.assigned", "source": SOURCE, "plan_id": plan_id, "scope": scope,
                       "effective_from": start, "effective_to": a.get("effective_to"),
                       "occurred_at": start, "event_id": f"{SOURCE}:{plan_id}:assigned:{scope}:{start}"})
    return events


def _same(definition: dict[str, Any], event: dict[str, Any]) -> bool:
    """Does a published definition hold the terms the file gives? (compared normalised)"""
    try:
        candidate = plan_from_definition({**event, "version": definition["version"]}).definition()
    except (ValueError, KeyError, TypeError, ArithmeticError):
        return False
    return _terms(candidate) == _terms(definition)
