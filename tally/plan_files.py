"""Plan files (TOML) to ledger facts: `plan.published` and `plan.assigned` inbound events.

Idempotent: a file whose terms equal a published version publishes nothing new. An edited
file is the next version, and must take effect later than the latest published version:
re-paying past periods at new rates is never an accident. An assignment is a fact, never
rewritten. Terms are read by the door's own readers, so a file is refused (PlanFileError,
naming the file and the field) before anything is written: a key the format does not know
(a misspelt `minimun`) too, since ignoring it would publish a plan without that term. TOML
numbers are read exactly as written (`rate = 0.1` is 0.1), never through a binary float.
"""
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.ledger import Ledger
from domain.plan_book import PlanBook
from streams.comp_events import parse_comp_event
from streams.exceptions import InvalidEvent
from streams.fields import day, optional_day, text
from streams.plan_terms import read_plan

__all__ = ["PlanFileError", "plan_events"]

_TERMS = ("name", "effective_from", "tiers", "quota", "basis", "method", "gate", "cap", "minimum")
_KEYS = {"": ("plan_id", *_TERMS, "assign"), "tiers": ("floor", "rate"),
         "assign": ("scope", "effective_from", "effective_to")}
SOURCE = "plan-file"


class PlanFileError(ValueError):
    """A plan file that cannot be published; the message names the file and the field."""


def read_plan_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
        raw = tomllib.loads(text, parse_float=Decimal)
    except UnicodeDecodeError:
        raise PlanFileError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise PlanFileError(f"{path}: is not valid TOML ({error})") from None
    return _plain(raw)


def _plain(value: Any) -> Any:
    """TOML dates as ISO strings, as in inbound events (`effective_from = 2017-07-01`)."""
    return _leaves(value, lambda v: v.isoformat() if isinstance(v, date | datetime | time) else v)


def _wire(value: Any) -> Any:
    """TOML numbers as decimal strings, so the events go out as JSON (Kafka) unchanged."""
    return _leaves(value, lambda v: format(v, "f") if isinstance(v, Decimal) else v)


def _leaves(value: Any, leaf: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _leaves(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [_leaves(v, leaf) for v in value]
    return leaf(value)


def _unknown_keys(path: Path, raw: dict[str, Any]) -> None:
    tables: list[tuple[str, dict[str, Any]]] = [("", raw)]
    for name in ("tiers", "assign"):
        listed = raw.get(name)
        tables += [(f"{name}[{i}]", t) for i, t in enumerate(listed if isinstance(listed, list) else [])
                   if isinstance(t, dict)]
    for where, table in tables:
        known = _KEYS[where.partition("[")[0]]
        unknown = sorted(k for k in table if k not in known)
        if unknown:
            name = ", ".join(f"{where}.{k}" if where else k for k in unknown)
            raise PlanFileError(f"{path}: {name}: unknown key(s); {where or 'a plan file'} holds only "
                                f"{', '.join(known)}")


def plan_events(path: Path, ledger: Ledger) -> list[dict[str, Any]]:
    raw = read_plan_file(path)
    _unknown_keys(path, raw)
    try:
        plan_id = text({"plan_id": raw.get("plan_id", path.stem)}, "plan_id")  # stripped, as the door reads it
        start = day(raw, "effective_from").isoformat()
        event = {"type": "plan.published", "source": SOURCE, "plan_id": plan_id, "occurred_at": start,
                 **{k: raw[k] for k in _TERMS if k in raw}}
        terms = _terms(read_plan({**event, "version": 1}).definition())
    except InvalidEvent as error:
        raise PlanFileError(f"{path}: {error.field}: {error.reason}") from None
    book = ledger.plan_book(plan_id)
    version = _version(path, book, terms)
    events = [_wire({**event, "version": version, "event_id": f"{SOURCE}:{plan_id}:v{version}"})]
    assigns = raw.get("assign", [])
    if not isinstance(assigns, list):
        raise PlanFileError(f"{path}: assign: must be [[assign]] tables")
    assigned = [_assignment(path, book, plan_id, i, a) for i, a in enumerate(assigns)]
    firsts: dict[str, int] = {}
    for i, event in enumerate(assigned):
        j = firsts.setdefault(event["event_id"], i)
        if j != i:
            raise PlanFileError(f"{path}: assign[{i}]: assigns {plan_id!r} to {event['scope']} from "
                                f"{event['effective_from']} again (as assign[{j}] does): one assignment per "
                                "scope and start")
    return events + assigned


def _terms(definition: dict[str, Any]) -> dict[str, Any]:
    return {k: definition.get(k) for k in _TERMS}


def _version(path: Path, book: PlanBook | None, terms: dict[str, Any]) -> int:
    """The published version with these terms, or the next one if it takes effect later."""
    versions = book.versions if book else {}
    same = [v for v, d in sorted(versions.items()) if _terms(d) == terms]
    if same:
        return same[0]
    if not versions:
        return 1
    latest = max(versions.values(), key=lambda d: (d["effective_from"], d["version"]))
    if terms["effective_from"] <= latest["effective_from"]:
        raise PlanFileError(
            f"{path}: effective_from: the terms differ from every published version, so this is a new "
            f"version, and it must take effect after version {latest['version']} (effective "
            f"{latest['effective_from']}); otherwise it would re-pay past periods at the new rates. "
            "Set effective_from to the first day of the first period it should pay (a period is paid "
            "under the version in force on its first day)")
    return max(versions) + 1


def _assignment(path: Path, book: PlanBook | None, plan_id: str, i: int, a: Any) -> dict[str, Any]:
    where = f"{path}: assign[{i}]"
    if not isinstance(a, dict):
        raise PlanFileError(f"{where}: must be a table with scope and effective_from")
    event = {"type": "plan.assigned", "source": SOURCE, "plan_id": plan_id, "scope": a.get("scope"),
             "effective_from": a.get("effective_from"), "effective_to": a.get("effective_to")}
    try:
        parse_comp_event(event, SOURCE, "plan.assigned",
                         datetime.combine(day(event, "effective_from"), time(), timezone.utc), SOURCE)
        scope, start = text(event, "scope"), day(event, "effective_from").isoformat()  # as the door reads them
        to = optional_day(event, "effective_to")
    except InvalidEvent as error:
        raise PlanFileError(f"{where}.{error.field}: {error.reason}") from None
    ends = None if to is None else to.isoformat()
    event.update(scope=scope, effective_from=start, effective_to=ends, occurred_at=start,
                 event_id=f"{SOURCE}:{plan_id}:assigned:{scope}:{start}")
    known = next((f for f in (book.assignments if book else []) if f["event_id"] == event["event_id"]), None)
    if known is not None and known["effective_to"] != ends:
        raise PlanFileError(
            f"{where}: plan {plan_id!r} is already assigned to {scope} from {start} "
            f"{'with no end' if known['effective_to'] is None else 'until ' + known['effective_to']}; "
            "an assignment is a fact and is never rewritten, so its effective_to cannot change. To end "
            f"it, put back the old effective_to and assign another plan to {scope} from the end date, in "
            "that plan's file (for one scope, the assignment that starts latest wins)")
    return event
