"""Builds the distributed mode's way out: durable views (TALLY_VIEWS) and Redis boards plus
change feed (TALLY_BOARDS), each kept by its own projector with its own position."""
from dataclasses import dataclass

from projections.changefeed import ChangeFeed
from projections.postgres_store import PostgresViewStore
from projections.reader import Reader
from projections.redis_store import RedisViewStore
from projections.sqlite_store import SqliteViewStore
from projections.views import ViewStore
from tally.bootstrap import make_state_dir
from tally.servers import postgres_datastore, redis_client, schema_turn
from tally.settings import Settings

__all__ = ["Stores", "open_stores"]


@dataclass
class Stores:
    durable: ViewStore
    boards: RedisViewStore | None
    settings: Settings

    @property
    def feed(self) -> ChangeFeed | None:
        return self.boards.feed if self.boards is not None else None

    def reader(self) -> Reader:
        return Reader(self.durable, boards=self.boards)

    def projected(self) -> list[ViewStore]:
        """Stores `tally project` keeps; SQLite views are kept by the ingesting process."""
        kept: list[ViewStore] = [self.durable] if self.settings.views == "postgres" else []
        return kept + ([self.boards] if self.boards is not None else [])


def open_stores(settings: Settings, *, name: str = "scoring", redis_timeout_s: float | None = None) -> Stores:
    """`name` names the PostgreSQL tables and the Redis key prefix suffix: a rebuild under a
    new name sits beside the live views. `redis_timeout_s`: see servers.redis_client."""
    if settings.views == "postgres":
        with schema_turn(settings):
            durable: ViewStore = PostgresViewStore(postgres_datastore(settings), name=name)
    else:
        make_state_dir(settings)
        durable = SqliteViewStore(settings.state / "views.db")
    boards = None
    if settings.boards == "redis":
        prefix = settings.redis_prefix if name == "scoring" else f"{settings.redis_prefix}:{name}"
        boards = RedisViewStore(redis_client(settings, timeout_s=redis_timeout_s), prefix=prefix, feed_maxlen=settings.feed_maxlen)
    return Stores(durable, boards, settings)
