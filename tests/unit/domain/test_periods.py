from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.periods import quarter_bounds, window_kind, windows_of


def test_windows_of_a_fact_are_month_quarter_year_and_all():
    at = datetime(2017, 5, 3, 12, tzinfo=timezone.utc)
    assert windows_of(at, timezone.utc) == ("2017-05", "2017-Q2", "2017", "all")


def test_windows_are_taken_in_the_business_time_zone():
    # 2017-04-01 02:00 UTC is still March 31 in New York
    at = datetime(2017, 4, 1, 2, tzinfo=timezone.utc)
    assert windows_of(at, ZoneInfo("America/New_York"))[:2] == ("2017-03", "2017-Q1")


@pytest.mark.parametrize("window, kind", [("all", "all"), ("2017", "year"), ("2017-Q4", "quarter"),
                                          ("2017-12", "month")])
def test_window_kinds(window, kind):
    assert window_kind(window) == kind


@pytest.mark.parametrize("window", ["2017-Q5", "2017-13", "17", "ALL", "2017-q1"])
def test_bad_windows_are_refused(window):
    with pytest.raises(ValueError, match="window"):
        window_kind(window)


def test_quarter_bounds_cover_the_quarter():
    assert [d.isoformat() for d in quarter_bounds("2017-Q4")] == ["2017-10-01", "2018-01-01"]
