"""Views in PostgreSQL, their position kept by eventsourcing's tracking table in the same transaction.

The store is the library's PostgresTrackingRecorder plus view tables: `commit` writes the
rows and calls the recorder's insert-tracking inside one transaction. That insert refuses a
position that is not past the stored one, so a second runner (or a zombie one) can never
apply a chunk twice: its whole transaction rolls back. Money and times are text, so nothing
is rounded or re-zoned; table names carry the store's name, so a rebuild under a new name
sits beside the live views.
"""
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import orjson
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Connection, Cursor
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from domain.periods import window_sort_key
from projections.board_order import by_board, member
from projections.row_codec import columns, decode_row, encode_row
from projections.views import (ActivityRow, CreditRow, MilestoneRow, RepRow, ScoreRow,
                               Snapshot, ViewChanges, WorkingSet)

__all__ = ["PostgresViewStore"]

# table: (columns, key columns); rows are the view dataclasses, bodies are JSON blobs
_TABLES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "credits": (columns(CreditRow), ("deal_id", "rep")),
    "activities": (columns(ActivityRow), ("activity_id",)),
    "reps": (columns(RepRow), ("rep",)),
    "scores": (columns(ScoreRow), ("metric", "window", "rep")),
    "milestones": (columns(MilestoneRow), ("key",)),
    "statements": (["rep", "quarter", "body"], ("rep", "quarter")),
    "documents": (["key", "body"], ("key",)),
}
Update = tuple[tuple[Any, ...], list[Any] | None]  # key values, full row (None deletes)


class PostgresViewStore(PostgresTrackingRecorder):
    def __init__(self, datastore: PostgresDatastore, *, name: str = "scoring") -> None:
        super().__init__(datastore, tracking_table_name=f"{name}_tracking")
        self._name = name
        for table, (cols, keys) in _TABLES.items():
            spec = SQL(", ").join(SQL("{0} {1}").format(Identifier(c), SQL("bytea" if c == "body" else "text"))
                                  for c in cols)
            self.sql_create_statements.append(SQL("CREATE TABLE IF NOT EXISTS {0} ({1}, PRIMARY KEY ({2}))").format(
                self._t(table), spec, SQL(", ").join(map(Identifier, keys))))
        self.create_table()

    def _t(self, table: str) -> Identifier:
        return Identifier(self.datastore.schema, f"{self._name}_{table}")

    def position(self) -> int:
        return self.max_tracking_id(self._name) or 0

    def commit(self, changes: ViewChanges, position: int) -> None:
        with self.datastore.transaction(commit=True) as curs:
            self._write(curs, changes)
            self._insert_tracking(curs, Tracking(self._name, position))

    def _write(self, curs: Cursor[Any], c: ViewChanges) -> None:
        if c.credits:
            curs.execute(SQL("DELETE FROM {0} WHERE deal_id = ANY(%s)").format(self._t("credits")),
                         (list(c.credits),))
            self._apply(curs, "credits", [((), encode_row(r)) for rows in c.credits.values() for r in rows])
        for table, updates in (("activities", c.activities), ("reps", c.reps), ("scores", c.scores),
                               ("milestones", c.milestones)):
            self._apply(curs, table, [(_key(k), encode_row(v) if v is not None else None)
                                      for k, v in updates.items()])
        for table, blobs in (("statements", c.statements), ("documents", c.documents)):
            self._apply(curs, table, [(_key(k), [*_key(k), orjson.dumps(v)] if v is not None else None)
                                      for k, v in blobs.items()])

    def _apply(self, curs: Cursor[Any], table: str, updates: Sequence[Update]) -> None:
        cols, keys = _TABLES[table]
        gone = [key for key, row in updates if row is None]
        rows = [row for _, row in updates if row is not None]
        if gone:
            where = SQL(" AND ").join(SQL("{0} = %s").format(Identifier(k)) for k in keys)
            curs.executemany(SQL("DELETE FROM {0} WHERE {1}").format(self._t(table), where), gone)
        if rows:
            curs.executemany(self._upsert(table, cols, keys), rows)

    def _upsert(self, table: str, cols: list[str], keys: tuple[str, ...]) -> Composed:
        names = SQL(", ").join(map(Identifier, cols))
        sets = SQL(", ").join(SQL("{0} = EXCLUDED.{0}").format(Identifier(c)) for c in cols if c not in keys)
        return SQL("INSERT INTO {0} ({1}) VALUES ({2}) ON CONFLICT ({3}) DO UPDATE SET {4}").format(
            self._t(table), names, SQL(", ").join(SQL("%s") for _ in cols),
            SQL(", ").join(map(Identifier, keys)), sets)

    def _select(self, table: str, where: str = "", args: Iterable[Any] = (),
                conn: Connection[Any] | None = None) -> list[tuple[Any, ...]]:
        if conn is None:
            with self.datastore.get_connection() as fresh:
                return self._select(table, where, args, fresh)
        cols = SQL(", ").join(map(Identifier, _TABLES[table][0]))
        query = SQL("SELECT {0} FROM {1} " + where).format(cols, self._t(table))
        with conn.cursor(row_factory=tuple_row) as curs:
            return curs.execute(query, tuple(args)).fetchall()

    def working_set(self) -> WorkingSet:
        with self.datastore.get_connection() as conn:
            return self._working_set(conn)

    def _working_set(self, conn: Connection[Any]) -> WorkingSet:
        return WorkingSet(
            credits=[decode_row(CreditRow, r) for r in self._select("credits", conn=conn)],
            activities=[decode_row(ActivityRow, r) for r in self._select("activities", conn=conn)],
            reps=[decode_row(RepRow, r) for r in self._select("reps", conn=conn)],
            milestones=[decode_row(MilestoneRow, r) for r in self._select("milestones", conn=conn)],
            documents={k: orjson.loads(b) for k, b in self._select("documents", conn=conn)})

    def snapshot(self) -> Snapshot:
        """One REPEATABLE READ transaction: every row and the position as one commit left them."""
        with self.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with conn.cursor() as curs:
                position = self._max_tracking_id(self._name, curs) or 0
            boards = by_board(decode_row(ScoreRow, r) for r in self._select("scores", conn=conn))
            statements = {(rep, quarter): orjson.loads(body)
                          for rep, quarter, body in self._select("statements", conn=conn)}
            return Snapshot(position, self._working_set(conn), boards, statements)

    def score_rows(self, metric: str, window: str) -> list[ScoreRow]:
        rows = self._select("scores", 'WHERE metric = %s AND "window" = %s', (metric, window))
        return sorted((decode_row(ScoreRow, r) for r in rows), key=member)

    def rep_scores(self, rep: str) -> list[ScoreRow]:
        return [decode_row(ScoreRow, r) for r in self._select("scores", "WHERE rep = %s", (rep,))]

    def score_windows(self, metric: str) -> list[str]:
        windows = {r[1] for r in self._select("scores", "WHERE metric = %s", (metric,))}
        return sorted(windows, key=window_sort_key)

    def rep_rows(self) -> list[RepRow]:
        return [decode_row(RepRow, r) for r in self._select("reps")]

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        rows = self._select("statements", "WHERE rep = %s AND quarter = %s", (rep, quarter))
        return orjson.loads(rows[0][2]) if rows else None

    def statement_totals(self, rep: str) -> dict[str, str]:
        rows = self._select("statements", "WHERE rep = %s ORDER BY quarter", (rep,))
        return {quarter: orjson.loads(body)["total"] for _, quarter, body in rows}

    def won_totals(self) -> tuple[int, Decimal]:
        amounts = {deal_id: Decimal(amount) for deal_id, _, _, amount, *_ in self._select("credits")}
        return len(amounts), sum(amounts.values(), Decimal(0))

    def milestone_rows(self) -> list[MilestoneRow]:
        return [decode_row(MilestoneRow, r) for r in self._select("milestones")]


def _key(key: str | tuple[str, ...]) -> tuple[str, ...]:
    return key if isinstance(key, tuple) else (key,)
