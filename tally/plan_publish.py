"""`tally plan publish`: a plan file lands whole or not at all.

The version and its assignments are one plan's facts, so they are recorded in one ledger
transaction: if the ledger refuses any of them (another publisher recorded this version
number first, with other terms), none lands, and the file can be published again, which
reads the new latest version. A partial publish would leave assignments pointing at terms
nobody published.
"""
from pathlib import Path
from typing import Any

from domain.exceptions import FactRefused
from streams.envelope import parse_event
from streams.exceptions import InvalidEvent
from streams.ingest import business_order
from tally.bootstrap import Embedded
from tally.pipeline import hand_back
from tally.plan_files import PlanFileError, plan_events

__all__ = ["publish_plan"]


def publish_plan(app: Embedded, path: Path) -> tuple[dict[str, Any], int, str | None]:
    """(the plan.published event, how many facts were new, who projects them when another
    process does); PlanFileError, with nothing written, when the file or the ledger refuses."""
    events = plan_events(path, app.ledger)
    try:
        facts = [parse_event(e, tz=app.settings.tz, currency=app.settings.currency) for e in events]
    except InvalidEvent as error:  # plan_events read every field already: a guard, not a path
        raise PlanFileError(f"{path}: {error.field}: {error.reason}") from None
    projector = app.projector()
    try:
        new = app.ledger.record(business_order(facts))  # no refuse callback: one refusal fails them all
    except FactRefused as refusal:
        hand_back(app, projector)
        raise PlanFileError(
            f"{path}: {refusal.field}: {refusal.reason}. Nothing from this file was written (did another "
            f"publisher record plan {events[0]['plan_id']!r} meanwhile?); publish it again to read the "
            "latest version") from None
    return events[0], new, hand_back(app, projector)
