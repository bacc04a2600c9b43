import random
from decimal import Decimal

from domain.board import Scope
from projections.changefeed import MemoryChangeFeed
from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from projections.reader import Reader
from tests.helpers import RULES, Pipeline, activity, close, deal, demo_plan, plan, rep, view_dump


def story() -> list[dict]:
    return [*demo_plan(),
        rep("amy", "Cy", "West"), rep("bo", "Cy", "West"), rep("di", "Ed", "East"),
        deal("opened", "D1", "2017-04-01"), deal("won", "D1", "2017-04-10", amount="100000"),
        deal("opened", "D2", "2017-04-02", rep="bo"), deal("won", "D2", "2017-04-11", rep="bo", amount="25000"),
        deal("won", "D3", "2017-05-01", amount="60000"),
        deal("won", "D4", "2017-05-03", rep="di", amount="1000.01",
             splits=[{"rep_id": "amy", "share": "0.5"}, {"rep_id": "di", "share": "0.5"}]),
        deal("opened", "D5", "2017-06-01", rep="bo"),
        activity(1, "amy", "call", "2017-04-03T10:00:00Z"), activity(2, "bo", "meeting", "2017-04-03T11:00:00Z"),
        activity(3, "bo", "email", "2017-04-04T09:00:00Z"), activity(4, "di", "fax", "2017-04-04T09:00:00Z"),
    ]


def test_boards_count_won_revenue_and_deals_per_window():
    p = Pipeline()
    p.send(*story())
    board = Reader(p.store).board("revenue", "2017-Q2", Scope("company"))
    # amy: 100,000 + 60,000 + 500.01 (first-listed share takes the odd cent); bo 25,000; di 500.00
    assert [(r.rank, r.rep, r.score) for r in board] == [
        (1, "amy", Decimal("160500.01")), (2, "bo", Decimal("25000")), (3, "di", Decimal("500.00"))]
    deals = Reader(p.store).board("deals", "2017-04", Scope.parse("manager:Cy"))
    assert [(r.rep, r.score) for r in deals] == [("amy", 1), ("bo", 1)]


def test_activity_points_follow_the_configured_kinds_and_unknown_kinds_score_zero():
    p = Pipeline()
    p.send(*story())
    board = Reader(p.store).board("activity", "2017-Q2", Scope("company"))
    assert [(r.rep, r.score) for r in board] == [("bo", Decimal(11)), ("amy", Decimal(3)), ("di", Decimal(0))]


def test_statement_stacks_deals_into_demo_tiers():
    p = Pipeline()
    p.send(*story())
    s = Reader(p.store).statement("amy", "2017-Q2")
    # 160,500.01 of revenue: 150,000 at 8 % = 12,000; 10,500.01 at 12 % = 1,260.0012
    assert s["total"] == "13260.00" and s["exact"] == "13260.0012"
    assert [(l["deal"], l["tier"]) for l in s["lines"]] == [("D1", 1), ("D3", 1), ("D3", 2), ("D4", 2)]
    assert {(l["source"], l["plan_version"]) for l in s["lines"]} == {("test", 1)}
    assert all(l["position"] > 0 for l in s["lines"])


def test_milestones_fire_once_per_key():
    p = Pipeline()
    p.send(*story())
    p.send(*story())  # delivered twice
    fired = {(m["kind"], m["rep"], m["deal_id"]) for m in p.messages("milestone")}
    assert len(p.messages("milestone")) == len(fired)
    assert fired == {("first-deal", "amy", "D1"), ("first-deal", "bo", "D2"), ("first-deal", "di", "D4"),
                     ("big-deal", "amy", "D1"), ("big-deal", "bo", "D2"), ("big-deal", "amy", "D3"),
                     ("quota-reached", "amy", "D3")}


def test_any_arrival_order_and_duplicates_give_identical_views():
    reference = Pipeline()
    reference.send(*story())
    for seed in range(5):
        events = story() * 2
        random.Random(seed).shuffle(events)
        shuffled = Pipeline()
        shuffled.send(*events, batch=3)
        assert view_dump(shuffled.store) == view_dump(reference.store)


def test_lost_after_won_takes_credit_back_and_revokes_milestones():
    p = Pipeline()
    p.send(*story())
    p.send(deal("lost", "D3", "2017-05-20"))
    s = Reader(p.store).statement("amy", "2017-Q2")
    assert s["revenue"] == "100500.01"
    revoked = [(m["kind"], m["deal_id"]) for m in p.messages("milestone") if m["status"] == "revoked"]
    assert sorted(revoked) == [("big-deal", "D3"), ("quota-reached", "D3")]


def milestone_keys(feed: MemoryChangeFeed) -> list[tuple[str, str, str]]:
    return [(c.data["kind"], c.data["rep"], c.data["deal_id"])
            for c in feed.read(feed.epoch, 0, 10**9) if c.kind == "milestone"]


def big_deal_for_di() -> dict:
    return deal("won", "D6", "2017-06-20", rep="di", amount="30000")


def test_a_restarted_projector_with_a_feed_pushes_only_milestones_that_are_new():
    live = Pipeline()
    live.send(*story())
    assert len(live.messages("milestone")) == 7  # what the first run pushed
    feed = MemoryChangeFeed()
    restarted = Projector(live.ledger, live.store, RULES, feed=feed)
    restarted.catch_up()
    assert milestone_keys(feed) == []
    live.ledger.record(live.door.admit([big_deal_for_di()]))
    restarted.catch_up()
    assert milestone_keys(feed) == [("big-deal", "di", "D6")]


def test_a_rebuild_from_zero_equals_the_live_views_and_pushes_nothing():
    live = Pipeline()
    live.send(*story())
    rebuilt, feed = MemoryViewStore(), MemoryChangeFeed()
    projector = Projector.resume(live.ledger, rebuilt, RULES, feed=feed)
    assert view_dump(rebuilt) == view_dump(live.store)
    assert milestone_keys(feed) == []
    live.ledger.record(live.door.admit([big_deal_for_di()]))
    projector.catch_up()
    assert milestone_keys(feed) == [("big-deal", "di", "D6")]


def test_a_projector_with_a_feed_over_empty_views_would_push_every_milestone():
    """The control for the two tests above: without resume, a rebuild pushes everything again."""
    live = Pipeline()
    live.send(*story())
    feed = MemoryChangeFeed()
    Projector(live.ledger, MemoryViewStore(), RULES, feed=feed).catch_up()
    assert sorted(milestone_keys(feed)) == sorted(
        (m["kind"], m["rep"], m["deal_id"]) for m in live.messages("milestone"))


def test_a_rebuild_told_to_stop_at_a_position_equals_the_views_as_they_stood_there():
    p = Pipeline()
    p.send(*story())
    then = p.store.position()
    p.send(deal("won", "D9", "2017-06-09", rep="bo", amount="5"))
    rebuilt = MemoryViewStore()
    Projector(p.ledger, rebuilt, RULES).catch_up(until=then)
    earlier = Pipeline()
    earlier.send(*story())
    assert rebuilt.position() == then
    assert view_dump(rebuilt) == view_dump(earlier.store)


def test_a_projector_resumes_from_its_stored_position():
    p = Pipeline()
    p.ledger.record(p.door.admit(story()))
    last = p.ledger.recorder.max_notification_id()
    partial = Projector(p.ledger, p.store, RULES, chunk=4)
    partial.catch_up()
    assert partial.position == last and p.store.position() == last
    p.ledger.record(p.door.admit([deal("won", "D9", "2017-06-09", rep="bo", amount="5")]))
    resumed = Projector(p.ledger, p.store, RULES)
    assert resumed.position == last
    resumed.catch_up()
    clean = Pipeline()
    clean.send(*story(), deal("won", "D9", "2017-06-09", rep="bo", amount="5"))
    assert view_dump(p.store) == view_dump(clean.store)


def test_an_event_id_reused_for_other_content_is_dead_lettered_not_applied():
    p = Pipeline()
    p.send(*demo_plan(), deal("won", "D1", "2017-04-10", amount="100"))
    p.send(deal("won", "D1", "2017-04-10", amount="999"))
    p.send(deal("won", "D1", "2017-04-10", amount="100"))  # a true duplicate stays a no-op
    assert [(d.field, "other content" in d.reason) for d in p.door.dead_letters.all()] == [("event_id", True)]
    assert [r.score for r in Reader(p.store).board("revenue", "all", Scope("company"))] == [Decimal(100)]


def test_a_zero_split_part_counts_no_deal_and_fires_no_first_deal():
    p = Pipeline()
    p.send(*demo_plan(), rep("amy", "Cy", "West"), rep("bo", "Cy", "West"),
           deal("won", "S", "2017-04-02", rep="bo", amount="0.01",
                splits=[{"rep_id": "bo", "share": "0.5"}, {"rep_id": "amy", "share": "0.5"}]))
    deals = Reader(p.store).board("deals", "all", Scope("company"))
    assert [(r.rep, r.score) for r in deals] == [("bo", 1), ("amy", 0)]
    assert [(m["kind"], m["rep"], m["value"]) for m in p.messages("milestone")] == [("first-deal", "bo", "0.01")]


def test_a_deal_won_at_zero_counts_as_a_deal_won_worth_nothing():
    p = Pipeline()
    p.send(*demo_plan(), rep("amy", "Cy", "West"), deal("won", "Z", "2017-04-01", amount="0"))
    assert [(r.rep, str(r.score)) for r in Reader(p.store).board("deals", "all", Scope("company"))] == [("amy", "1")]
    assert p.store.won_totals() == (1, Decimal("0.00"))


def test_equal_money_prints_alike_whatever_its_inbound_form():
    p = Pipeline()
    p.send(rep("amy", "Cy", "West"), rep("bo", "Cy", "West"), rep("di", "Ed", "East"), rep("eve", "Ed", "East"),
           deal("won", "A", "2017-04-01", amount="500"), deal("won", "B", "2017-04-02", rep="bo", amount="500.00"),
           deal("won", "C", "2017-04-03", rep="di", amount="1.000"))
    board = Reader(p.store).board("revenue", "all", Scope("company"))
    assert [(r.rank, r.rep, str(r.score)) for r in board] == [
        (1, "amy", "500.00"), (1, "bo", "500.00"), (3, "di", "1.00"), (4, "eve", "0.00")]


def test_plans_quotas_and_closes_dated_ahead_never_move_the_ledgers_clock():
    floor = plan("floor", [["0", "0.10"]], minimum="1000")
    later = plan("later", [["0", "0.20"]], effective_from="2099-01-01", scope="region:Nowhere")
    future_quota = {"event_id": "t:quota:amy:2099", "type": "quota.set", "occurred_at": "2099-01-01",
                    "source": "test", "rep_id": "amy", "period": "2099-Q1", "amount": "5"}
    p = Pipeline()
    p.send(*floor, rep("amy", "Cy", "West"), deal("won", "B1", "2017-05-02", rep="bo", amount="100"))
    p.send(*later, future_quota, close("2030-Q1", day="2030-04-01"))
    # the clock stays at B1's 2017-05-02: amy's minimum is due in 2017-Q1 and 2017-Q2 only
    assert p.store.statement_totals("amy") == {"2017-Q1": "1000.00", "2017-Q2": "1000.00"}
    assert p.projector.board.latest.isoformat() == "2017-05-02T00:00:00+00:00"


def test_board_rows_and_first_deal_follow_deals_taken_back_and_won_again():
    """Each step's figures are written out by hand from the deals that stand after it."""
    p = Pipeline()

    def rows(window: str) -> list[tuple]:
        return [(r.rep, str(r.score), r.reached_at.date().isoformat(), r.reached_event_id)
                for r in p.store.score_rows("revenue", window)]

    def first_deal() -> list[str | None]:
        return [m.deal_id for m in p.store.milestone_rows() if m.kind == "first-deal"]

    p.send(rep("amy", "Cy", "West"), deal("won", "D1", "2017-04-10", amount="100.00"),
           deal("won", "D2", "2017-05-01", amount="50.50"))
    assert rows("2017-Q2") == [("amy", "150.50", "2017-05-01", "t:D2:won")]
    assert (rows("2017-05"), first_deal()) == ([("amy", "50.50", "2017-05-01", "t:D2:won")], ["D1"])
    p.send(deal("lost", "D2", "2017-05-20"))  # the latest deal of the quarter goes
    assert rows("2017-Q2") == [("amy", "100.00", "2017-04-10", "t:D1:won")]
    assert (rows("2017-05"), first_deal()) == ([], ["D1"])
    p.send(deal("lost", "D1", "2017-06-01"))  # and the first one
    assert (rows("2017-Q2"), rows("all"), first_deal()) == ([], [], [])
    p.send(deal("won", "D2", "2017-06-15", amount="60.00", event_id="t:D2:won-again"))
    assert rows("all") == [("amy", "60.00", "2017-06-15", "t:D2:won-again")]
    assert (rows("2017-04"), first_deal()) == ([], ["D2"])
