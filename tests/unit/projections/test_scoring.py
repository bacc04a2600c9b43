"""Overlay credit pays commission and counts toward the overlay rep's quota, but it is not a
deal won: it stays off the revenue and deals boards and the first-deal milestone."""
from domain.board import Scope
from projections.reader import Reader
from tests.helpers import Pipeline, deal, plan

COMPANY = Scope.parse("company")


def overlay_deal() -> Pipeline:
    p = Pipeline()
    p.send(*plan("flat", [["0", "0.10"]], quota="200"),
           deal("won", "O1", "2017-02-01", amount="1000", overlays=[{"rep_id": "sy", "share": "0.25"}]))
    return p


def test_overlay_credit_stays_off_the_revenue_and_deals_boards():
    reader = Reader(overlay_deal().store)
    assert [(r.rank, r.rep, str(r.score)) for r in reader.board("revenue", "2017-Q1", COMPANY)] == [(1, "amy", "1000.00")]
    assert [(r.rep, str(r.score)) for r in reader.board("deals", "all", COMPANY)] == [("amy", "1")]


def test_overlay_credit_pays_commission_and_reaches_quota_but_is_no_first_deal():
    p = overlay_deal()
    assert p.statement("sy", "2017-Q1")["total"] == "25.00"  # 1,000 x 25 % = 250 credited, x 10 %
    fired = sorted((m["kind"], m["rep"]) for m in Reader(p.store).milestones(COMPANY))
    # quota 200: amy's 1,000 and sy's 250 of overlay credit both reach it; only amy won a deal
    assert fired == [("first-deal", "amy"), ("quota-reached", "amy"), ("quota-reached", "sy")]


def test_a_rep_holding_the_deal_and_its_overlay_gets_one_credit_row_on_the_sqlite_store(tmp_path):
    from projections.sqlite_store import SqliteViewStore

    p = Pipeline(SqliteViewStore(tmp_path / "views.db"))
    p.send(*plan("flat", [["0", "0.10"]]),
           deal("won", "d1", "2017-02-01", rep="A", amount="1000", overlays=[{"rep_id": "B", "share": "0.1"}]))
    p.send(deal("updated", "d1", "2017-02-02", rep="B"))  # B now holds the deal: the overlay is dropped
    p.send(deal("won", "d2", "2017-02-03", rep="C", amount="10"))  # the projection goes on
    reader = Reader(p.store)
    assert [(r.rep, str(r.score)) for r in reader.board("revenue", "2017-Q1", COMPANY)] == [
        ("B", "1000.00"), ("C", "10.00")]
    statement = p.statement("B", "2017-Q1")
    assert [(l["deal"], l["credited"], l["amount"]) for l in statement["lines"]] == [("d1", "1000.00", "100.00")]
    assert (statement["total"], p.statement("A", "2017-Q1")) == ("100.00", None)


def test_a_rep_known_only_from_a_quota_is_on_no_board_until_they_join():
    p = Pipeline()
    p.send({"event_id": "t:quota:qi", "type": "quota.set", "occurred_at": "2017-01-01", "source": "test",
            "rep_id": "qi", "period": "2017-Q1", "amount": "100"}, deal("won", "W", "2017-02-01", amount="5"))
    assert [r.rep for r in Reader(p.store).board("revenue", "all", COMPANY)] == ["amy"]
    p.send({"event_id": "t:rep:qi", "type": "rep.joined", "occurred_at": "2017-03-01", "source": "test",
            "rep_id": "qi", "region": "West"})
    assert [(r.rank, r.rep, str(r.score)) for r in Reader(p.store).board("revenue", "all", COMPANY)] == [
        (1, "amy", "5.00"), (2, "qi", "0.00")]
