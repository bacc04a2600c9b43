"""Errors of the way in.

    InvalidEvent        an inbound event breaks the contract; names the field and the reason
                        (becomes a dead letter, never stops the stream)
"""

__all__ = ["InvalidEvent"]


class InvalidEvent(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
