"""What the SQLite view store promises beyond the contract (tests/integration/test_view_store_contract.py)."""
from decimal import Decimal

import pytest

from projections.sqlite_store import SqliteViewStore
from projections.views import RepRow, ScoreRow, ViewChanges
from tests.integration.test_view_store_contract import sample


def test_sqlite_commit_is_all_or_nothing(tmp_path):
    store = SqliteViewStore(tmp_path / "views.db")
    store.commit(sample(), 1)
    broken = ViewChanges()
    broken.reps["zed"] = RepRow("zed", None, None)
    broken.scores[("deals", "all", "zed")] = ScoreRow("deals", "all", "zed", Decimal(1), None, "e")  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        store.commit(broken, 2)
    assert store.position() == 1
    assert "zed" not in {r.rep for r in store.rep_rows()}
