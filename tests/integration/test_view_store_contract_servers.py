"""The view-store contract suite (tests/unit/projections) run against PostgreSQL and Redis."""
import pytest

from projections.postgres_store import PostgresViewStore
from projections.redis_store import RedisViewStore
from tally.servers import ensure_schema, postgres_datastore
from tests.unit.projections.test_view_store_contract import (  # noqa: F401  (collected here too)
    test_an_empty_store_is_at_position_zero_with_nothing_in_it,
    test_committed_rows_and_position_read_back_exactly, test_none_and_empty_values_delete_rows,
    test_rewriting_a_row_replaces_it)


@pytest.fixture(params=["postgres", "redis"])
def store(request, server_settings, redis_client):
    if request.param == "redis":
        return RedisViewStore(redis_client, prefix=server_settings.redis_prefix)
    ensure_schema(server_settings)
    return PostgresViewStore(postgres_datastore(server_settings))
