"""Kafka topic names and routing, shared by the worker and the publisher.

Deal events go to `<prefix>.deals` keyed by deal_id, so one deal's facts stay in one
partition. Every other event goes to `<prefix>.activities`, keyed by rep_id where it has
one: activities, rep facts and quotas by the rep; plans and period closes have none. A
payload that is not an event at all still goes out (to the activities topic, without a
key), so the worker refuses it with a reason in the one place that validates: the
dead-letter topic and store.
"""
from dataclasses import dataclass
from typing import Any

__all__ = ["Topics", "route"]


@dataclass(frozen=True)
class Topics:
    deals: str
    activities: str
    dead_letters: str
    group: str  # the worker's consumer group (and faust app id)

    @classmethod
    def named(cls, prefix: str) -> "Topics":
        return cls(f"{prefix}.deals", f"{prefix}.activities", f"{prefix}.dead-letters",
                   f"{prefix}-worker")


def route(topics: Topics, raw: Any) -> tuple[str, bytes | None]:
    """The topic and key for one inbound event (decoded JSON, or anything else)."""
    if not isinstance(raw, dict):
        return topics.activities, None
    kind = raw.get("type")
    if isinstance(kind, str) and kind.startswith("deal."):
        return topics.deals, _key(raw.get("deal_id"))
    return topics.activities, _key(raw.get("rep_id"))


def _key(value: Any) -> bytes | None:
    return value.encode() if isinstance(value, str) and value else None
