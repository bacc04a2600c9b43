"""Errors of the domain.

    FactRefused     a fact contradicts what the ledger already holds (e.g. a plan version
                    published again with another definition, an event_id reused for other
                    content); names the field and the reason, and the way in dead-letters it
    InvalidPlan     a plan's terms break the plan rules (tiers that do not rise, a rate
                    out of range, a cap below the minimum); names the field and the reason
"""

__all__ = ["FactRefused", "InvalidPlan"]


class FactRefused(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidPlan(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
