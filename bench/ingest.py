"""Ingest and rebuild rates on this host, as ratios against baselines measured in the same run.

    python bench/ingest.py [--deals N] [--batch N]

Prints: the raw batched ledger write rate (Ledger.record only), the end-to-end rate (ledger
+ projections + change feed), the bare read+decode rate of the log, and the full rebuild
rate of every projection; then the two ratios DESIGN.md budgets (>= 80 % and >= 50 %).
"""
import argparse
import tempfile
import time

from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from streams.ingest import batches, business_order
from streams.synthetic import synthetic_events
from tally.bootstrap import embedded
from tally.settings import Settings


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    raws = synthetic_events(deals=args.deals, activities=args.deals * 2)
    with tempfile.TemporaryDirectory() as raw_dir, tempfile.TemporaryDirectory() as e2e_dir:
        raw = embedded(Settings.from_env(state=raw_dir))
        facts = business_order(raw.door.admit(raws))
        started = time.perf_counter()
        for batch in batches(facts, args.batch):
            raw.ledger.record(batch)
        write = rate(len(facts), time.perf_counter() - started)

        app = embedded(Settings.from_env(state=e2e_dir))
        projector = app.projector()
        assert projector is not None, "a fresh state has no other projector"
        started = time.perf_counter()
        for batch in batches(facts, args.batch):
            app.ledger.record(batch)
            projector.catch_up()
        end_to_end = rate(len(facts), time.perf_counter() - started)

        started = time.perf_counter()
        position, decoded = 0, 0
        while notes := app.ledger.recorder.select_notifications(position, 1000, inclusive_of_start=False):
            decoded += sum(1 for n in notes if app.ledger.mapper.to_domain_event(n))
            position = notes[-1].id
        read = rate(decoded, time.perf_counter() - started)
        started = time.perf_counter()
        Projector(app.ledger, MemoryViewStore(), app.rules).catch_up()
        rebuild = rate(decoded, time.perf_counter() - started)
    print(f"events                {len(facts):>10,}  (batch {args.batch})")
    print(f"raw ledger writes     {write:>10,.0f} events/s")
    print(f"end to end            {end_to_end:>10,.0f} events/s   ratio {end_to_end / write:.0%} (budget >= 80%)")
    print(f"read + decode log     {read:>10,.0f} notifications/s")
    print(f"rebuild projections   {rebuild:>10,.0f} notifications/s   ratio {rebuild / read:.0%} (budget >= 50%)")


if __name__ == "__main__":
    main()
