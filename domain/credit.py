"""Who gets credit for a won deal, and how much.

Split parts always sum to the deal amount exactly: each part is rounded down to the
cent, then the cents left over go one each by largest remainder, ties to the rep listed
first (1,000.01 split 50/50 -> 500.01 and 500.00).

Zero credits nothing: a split part or overlay that comes to 0.00 (0.01 split 50/50 leaves
the second rep 0.00) is no credit, so that rep counts no deal won and no first deal. A deal
won at 0.00 is still a deal won: it counts once, for the deal's own rep, at 0.00. A deal
whose credit notes took back everything is no longer counted.

One rep, one credit per deal: an overlay naming a rep who already holds the deal's credit
(its rep, or a rep of its splits) is dropped. An overlay is extra credit for someone outside
the deal team (a specialist, a manager); the rep who sold the deal is already paid on their
whole share, and paying them an overlay on top would pay one deal twice. The door refuses
such an event, but a later fact can make the overlay rep the deal's rep (`deal.updated`
with a new `rep_id` or `splits` keeps the earlier overlays), so the rule lives here too.
"""
from decimal import ROUND_DOWN, Decimal

from typing import Any

from domain.money import CENT, ZERO, round_cents

__all__ = ["split_credit", "credit_parts"]


def split_credit(amount: Decimal, rep_id: str, splits: list[list]) -> list[tuple[str, Decimal]]:
    """[(rep, credited amount)] for a deal; the whole amount to `rep_id` without splits."""
    if not splits:
        return [(rep_id, amount)]
    exact = [(rep, amount * Decimal(share)) for rep, share in splits]
    parts = [(rep, value.quantize(CENT, rounding=ROUND_DOWN)) for rep, value in exact]
    left = int((amount - sum((p for _, p in parts), Decimal(0))) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - parts[i][1]), i))
    bonus = set(order[:left])
    return [(rep, part + CENT if i in bonus else part) for i, (rep, part) in enumerate(parts)]


def credit_parts(outcome: dict[str, Any]) -> tuple[Decimal, list[tuple[str, Decimal, str]]]:
    """A won deal's net amount (after credit notes) and [(rep, credited, role)].

    Split parts share the net amount exactly; overlays are extra credit outside the
    100 %, each the net amount times its share, rounded half-up to the cent. Never two
    parts for one rep: an overlay for a rep who holds split credit is dropped.
    """
    if outcome["amount"] == 0:
        return outcome["amount"], [(outcome["rep_id"], outcome["amount"], "credit")]
    net = max(ZERO, outcome["amount"] - sum(outcome.get("credit_notes", {}).values(), ZERO))
    if net == 0:
        return net, []
    parts = [(rep, part, "credit") for rep, part in split_credit(net, outcome["rep_id"], outcome["splits"])]
    credited = {rep for rep, _, _ in parts}
    parts += [(rep, round_cents(net * Decimal(share)), "overlay") for rep, share in outcome.get("overlays", [])
              if rep not in credited]
    return net, [part for part in parts if part[1] != 0]
