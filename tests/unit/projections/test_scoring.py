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
