import pytest
from gateway_fakes import FakeReader

from domain.board import Scope
from gateway.exceptions import ViewsUnavailable
from gateway.outage import Guarded


class Unreachable(ConnectionError):
    pass


def test_an_outage_error_of_the_reader_comes_out_as_views_unavailable_naming_it() -> None:
    reader = FakeReader()
    reader.down = Unreachable("Connection refused")
    with pytest.raises(ViewsUnavailable, match=r"out of reach \(Unreachable: Connection refused\)"):
        Guarded(reader, (Unreachable,)).board("revenue", "all", Scope("company"))


def test_any_other_error_of_the_reader_is_left_as_it_is() -> None:
    reader = FakeReader()
    reader.down = KeyError("a bug")
    with pytest.raises(KeyError):
        Guarded(reader, (Unreachable,)).rep_summary("Ann")


def test_a_guarded_reader_answers_what_the_reader_answers() -> None:
    reader = FakeReader()
    reader.hire("Ann", region="West")
    reader.score("revenue", "2017-Q2", "Ann", "5.00")
    guarded = Guarded(reader, (Unreachable,))
    assert guarded.reps(Scope("region", "West")) == ["Ann"]
    assert guarded.windows("revenue") == ["2017-Q2"]
    assert guarded.board("revenue", "2017-Q2", Scope("company")) == reader.board("revenue", "2017-Q2",
                                                                                  Scope("company"))
