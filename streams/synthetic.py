"""A seeded synthetic feed shaped like the CRM export, plus activities.

Used by the demo when the public export is not on the machine, and by tests that need
activities (the export has none). The same seed always gives the same events.
"""
import random
from datetime import date, timedelta
from typing import Any

__all__ = ["synthetic_events", "SOURCE"]

SOURCE = "synthetic"
_REGIONS = {"Central": ["Dustin Brinkmann", "Melvin Marxen"], "East": ["Cara Losch", "Rocco Neubert"],
            "West": ["Celia Rouche", "Summer Sewald"]}
_FIRST = ["Ava", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
_LAST = ["Moreau", "Okafor", "Lindqvist", "Tanaka", "Novak", "Ibarra", "Quinn", "Sato"]
_PRODUCTS = [("GTX Basic", 550), ("GTX Pro", 4821), ("MG Special", 55), ("MG Advanced", 3393),
             ("GTX Plus Pro", 5482), ("GTX Plus Basic", 1096), ("GTK 500", 26768)]
_KINDS = ["email", "email", "email", "call", "call", "meeting", "demo"]


def synthetic_events(*, seed: int = 7, reps: int = 30, deals: int = 3000,
                     activities: int = 6000, year: int = 2017) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = date(year, 1, 1)
    people: list[str] = []
    events: list[dict[str, Any]] = []
    for i in range(reps):
        name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 5 + i // len(_FIRST)) % len(_LAST)]}"
        region = list(_REGIONS)[i % 3]
        people.append(name)
        events.append({"event_id": f"{SOURCE}:rep:{name}:joined", "type": "rep.joined",
                       "occurred_at": start.isoformat(), "source": SOURCE, "rep_id": name,
                       "region": region, "manager": _REGIONS[region][(i // 3) % 2]})
    for n in range(deals):
        deal_id, rep = f"S{n:06d}", rng.choice(people)
        product, price = rng.choice(_PRODUCTS)
        opened = start + timedelta(days=rng.randrange(300))
        base = {"source": SOURCE, "deal_id": deal_id, "rep_id": rep, "currency": "USD", "product": product}
        events.append({**base, "event_id": f"{SOURCE}:{deal_id}:opened", "type": "deal.opened",
                       "occurred_at": opened.isoformat()})
        outcome = rng.random()
        closed = (opened + timedelta(days=rng.randrange(1, 60))).isoformat()
        if outcome < 0.5:
            amount = max(1, round(price * rng.uniform(0.8, 1.1)))
            events.append({**base, "event_id": f"{SOURCE}:{deal_id}:won", "type": "deal.won",
                           "occurred_at": closed, "amount": str(amount)})
        elif outcome < 0.8:
            events.append({**base, "event_id": f"{SOURCE}:{deal_id}:lost", "type": "deal.lost",
                           "occurred_at": closed})
    for n in range(activities):
        day = start + timedelta(days=rng.randrange(365))
        events.append({"event_id": f"{SOURCE}:activity:{n}", "type": "activity.logged",
                       "occurred_at": f"{day.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:00Z",
                       "source": SOURCE, "activity_id": f"A{n:06d}", "rep_id": rng.choice(people),
                       "kind": rng.choice(_KINDS), "duration_s": rng.randrange(30, 3600)})
    return events
