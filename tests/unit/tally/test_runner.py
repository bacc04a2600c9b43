"""`tally project`'s lanes: the lane of a state's SQLite views projects only as the state's projector."""
from decimal import Decimal

from tally.pipeline import ingest_once
from tally.projector_lock import ProjectorLock
from tally.runner import Lane
from tests.unit.tally.states import state


def won(n: int) -> dict:
    return {"event_id": f"x:{n}:won", "type": "deal.won", "occurred_at": "2017-05-01", "source": "x",
            "deal_id": f"D{n}", "rep_id": "amy", "amount": "100.00"}


def test_a_lane_over_a_state_waits_while_another_process_is_its_projector_then_takes_over(tmp_path):
    app = state(tmp_path)
    holder = ProjectorLock(tmp_path)
    assert holder.try_acquire()
    ingest_once(app, [won(1), won(2)])  # written only: the holder is the projector
    lane = Lane(app.ledger, app.views, app.rules, lock=app.lock)
    lane.step()
    assert app.views.position() == 0
    holder.release()
    lane.step()
    assert app.reader.won_totals() == (2, Decimal("200.00"))
    assert not holder.try_acquire()  # the lane is the projector now
