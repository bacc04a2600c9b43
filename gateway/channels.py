"""Channel names a client subscribes to, and which channels a change-feed message touches.

Grammar (names are case-sensitive; nothing is trimmed or escaped)::

    channel    = board | rep | milestones
    board      = "board:" metric ":" window ":" scope
    rep        = "rep:" rep-name                  ; the rest of the string
    milestones = "milestones:" scope
    metric     = "revenue" | "deals" | "activity"
    window     = "all" | YYYY | YYYY "-Q" 1-4 | YYYY "-" MM
    scope      = "company" | "region:" name | "manager:" name

A scope's name is everything after the scope kind's colon, so names may hold spaces and
colons: ``board:revenue:2017-Q2:region:EMEA: North`` is the board of region ``EMEA: North``,
and ``rep:Moses Frase`` the rep ``Moses Frase``. Metric and window never hold a colon, which
is what makes the split unambiguous.

A name holds no control characters (code points below 32, and 127) and at most
`MAX_NAME` characters: a newline or escape in a name would pass for part of a scope or rep
name and end up in every log line and page that prints it.

A *topic* is the part of a channel a change-feed message names: a board channel listens to
its metric and window (every scope), a rep channel to its rep, a milestones channel to its
scope. Marking topics instead of channels keeps the cost of one feed message constant.
"""
import re
from dataclasses import dataclass
from typing import Any

from domain.board import METRICS, Scope
from domain.periods import window_kind

__all__ = ["MAX_NAME", "BoardChannel", "Channel", "MilestonesChannel", "RepChannel", "Topic",
           "parse_channel", "topics_of_change"]

Topic = tuple[str, ...]
MAX_NAME = 512
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class BoardChannel:
    metric: str
    window: str
    scope: Scope

    def __str__(self) -> str:
        return f"board:{self.metric}:{self.window}:{self.scope}"

    @property
    def topic(self) -> Topic:
        return ("board", self.metric, self.window)


@dataclass(frozen=True)
class RepChannel:
    rep: str

    def __str__(self) -> str:
        return f"rep:{self.rep}"

    @property
    def topic(self) -> Topic:
        return ("rep", self.rep)


@dataclass(frozen=True)
class MilestonesChannel:
    scope: Scope

    def __str__(self) -> str:
        return f"milestones:{self.scope}"

    @property
    def topic(self) -> Topic:
        return ("milestones", str(self.scope))


Channel = BoardChannel | RepChannel | MilestonesChannel


def parse_channel(name: str) -> Channel:
    """The channel `name` denotes; ValueError saying which part is wrong."""
    if len(name) > MAX_NAME:
        raise ValueError(f"channel {name[:40]!r}... is {len(name)} characters long, over {MAX_NAME}")
    if control := _CONTROL.search(name):
        raise ValueError(f"channel {name!r} holds control character {control.group()!r} "
                         f"at {control.start()}")
    kind, sep, rest = name.partition(":")
    if kind == "board" and sep:
        return _parse_board(name, rest)
    if kind == "rep" and sep:
        if not rest:
            raise ValueError(f"channel {name!r}: rep name is empty")
        return RepChannel(rest)
    if kind == "milestones" and sep:
        return MilestonesChannel(_parse_scope(name, rest))
    raise ValueError(f"channel {name!r} does not start with 'board:', 'rep:' or 'milestones:'")


def _parse_board(name: str, rest: str) -> BoardChannel:
    parts = rest.split(":", 2)
    if len(parts) != 3:
        raise ValueError(f"channel {name!r} is not 'board:METRIC:WINDOW:SCOPE'")
    metric, window, scope = parts
    if metric not in METRICS:
        raise ValueError(f"channel {name!r}: metric {metric!r} is not one of {', '.join(METRICS)}")
    try:
        window_kind(window)
    except ValueError as error:
        raise ValueError(f"channel {name!r}: {error}") from None
    return BoardChannel(metric, window, _parse_scope(name, scope))


def _parse_scope(name: str, text: str) -> Scope:
    try:
        return Scope.parse(text)
    except ValueError as error:
        raise ValueError(f"channel {name!r}: {error}") from None


def topics_of_change(kind: str, data: dict[str, Any]) -> list[Topic]:
    """Topics a change-feed message touches; none for kinds no channel shows."""
    if kind == "board":
        return [("board", data["metric"], data["window"])]
    if kind == "rep":
        return [("rep", data["rep"])]
    if kind == "milestone":
        scopes = [Scope("company")]
        scopes += [Scope("region", data["region"])] if data.get("region") else []
        scopes += [Scope("manager", data["manager"])] if data.get("manager") else []
        return [("milestones", str(scope)) for scope in scopes]
    return []
