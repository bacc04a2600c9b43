"""Errors of the domain.

    FactRefused     a fact contradicts what the ledger already holds (e.g. a plan version
                    published again with another definition); names the field and the
                    reason, and the way in dead-letters it
"""

__all__ = ["FactRefused"]


class FactRefused(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
