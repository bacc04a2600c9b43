"""The cost of one live deal against the length of its rep's history.

    python bench/history.py [--deals N ...]

One rep wins N deals spread over five years (2015-2019), fed in batches of 500; then the
last 200 come one at a time, as a live feed delivers them, each recorded and projected.
Prints milliseconds per live deal for each N: it should grow with the rep's year (the
statements of a year are recomputed whole), not with their history.
"""
import argparse
import tempfile
import time
from datetime import date, timedelta

from streams.ingest import batches, business_order
from tally.bootstrap import embedded
from tally.settings import Settings

LIVE = 200


def per_live_deal_ms(deals: int) -> float:
    start = date(2015, 1, 1)
    raws = [{"event_id": f"h:{i}:won", "type": "deal.won", "source": "bench",
             "occurred_at": (start + timedelta(days=i * 1826 // deals)).isoformat(),
             "deal_id": f"H-{i}", "rep_id": "amy", "amount": "100.00"} for i in range(deals)]
    with tempfile.TemporaryDirectory() as state:
        app = embedded(Settings.from_env(state=state))
        facts = business_order(app.door.admit(raws))
        projector = app.projector()
        assert projector is not None, "a fresh state has no other projector"
        for batch in batches(facts[:-LIVE], 500):
            app.ledger.record(batch)
            projector.catch_up()
        started = time.perf_counter()
        for fact in facts[-LIVE:]:
            app.ledger.record([fact])
            projector.catch_up()
        return (time.perf_counter() - started) / LIVE * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, nargs="+", default=[2000, 10000, 20000])
    args = parser.parse_args()
    for deals in args.deals:
        print(f"history {deals:>7,} deals   {per_live_deal_ms(deals):6.1f} ms per live deal")


if __name__ == "__main__":
    main()
