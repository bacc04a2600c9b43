"""Views in SQLite under the state directory, with their tracking row in the same transaction.

WAL mode lets another process (`tally board`) read while the projector writes. Money and
times are stored as text (Decimal strings, ISO-8601), so nothing passes through a float.
"""
import sqlite3
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from domain.periods import window_sort_key
from projections.board_order import by_board, member
from projections.views import (ActivityRow, CreditRow, MilestoneRow, RepRow, ScoreRow,
                               Snapshot, ViewChanges, WorkingSet)

__all__ = ["SqliteViewStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tracking (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS credits (deal_id TEXT, rep TEXT, amount TEXT, deal_amount TEXT,
    at TEXT, event_id TEXT, position INTEGER, source TEXT, role TEXT, PRIMARY KEY (deal_id, rep));
CREATE TABLE IF NOT EXISTS activities (activity_id TEXT PRIMARY KEY, rep TEXT, kind TEXT,
    points TEXT, at TEXT, event_id TEXT);
CREATE TABLE IF NOT EXISTS reps (rep TEXT PRIMARY KEY, manager TEXT, region TEXT);
CREATE TABLE IF NOT EXISTS scores (metric TEXT, window TEXT, rep TEXT, score TEXT,
    reached_at TEXT, reached_event_id TEXT, PRIMARY KEY (metric, window, rep));
CREATE TABLE IF NOT EXISTS statements (rep TEXT, quarter TEXT, total TEXT, body BLOB,
    PRIMARY KEY (rep, quarter));
CREATE TABLE IF NOT EXISTS milestones (key TEXT PRIMARY KEY, kind TEXT, rep TEXT, status TEXT,
    period TEXT, deal_id TEXT, value TEXT, at TEXT, event_id TEXT);
CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, body BLOB);
"""
_NAME = "scoring"


def _t(value: str) -> datetime:
    return datetime.fromisoformat(value)


class SqliteViewStore:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()
        self._db().executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def position(self) -> int:
        row = self._db().execute("SELECT position FROM tracking WHERE name = ?", (_NAME,)).fetchone()
        return int(row[0]) if row else 0

    def working_set(self) -> WorkingSet:
        db = self._db()
        return WorkingSet(
            credits=[CreditRow(d, r, Decimal(a), Decimal(da), _t(at), e, p, src, role)
                     for d, r, a, da, at, e, p, src, role in db.execute("SELECT * FROM credits")],
            activities=[ActivityRow(i, r, k, Decimal(p), _t(at), e)
                        for i, r, k, p, at, e in db.execute("SELECT * FROM activities")],
            reps=self.rep_rows(), milestones=self.milestone_rows(),
            documents={k: orjson.loads(b) for k, b in db.execute("SELECT key, body FROM documents")},
        )

    def snapshot(self) -> Snapshot:
        """One read transaction: in WAL mode it sees one commit, whatever the projector writes meanwhile."""
        db = self._db()
        db.execute("BEGIN")
        try:
            position = self.position()
            boards = by_board(self._scores("1", ()))
            statements = {(rep, quarter): orjson.loads(body)
                          for rep, quarter, body in db.execute("SELECT rep, quarter, body FROM statements")}
            return Snapshot(position, self.working_set(), boards, statements)
        finally:
            db.execute("COMMIT")

    def commit(self, changes: ViewChanges, position: int) -> None:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            self._write(db, changes)
            db.execute("INSERT INTO tracking VALUES (?, ?) ON CONFLICT (name) DO UPDATE"
                       " SET position = excluded.position", (_NAME, position))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @staticmethod
    def _write(db: sqlite3.Connection, c: ViewChanges) -> None:
        for deal_id, rows in c.credits.items():
            db.execute("DELETE FROM credits WHERE deal_id = ?", (deal_id,))
            db.executemany("INSERT INTO credits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (r.deal_id, r.rep, str(r.amount), str(r.deal_amount), r.at.isoformat(), r.event_id,
                 r.position, r.source, r.role) for r in rows])
        db.executemany("INSERT OR REPLACE INTO activities VALUES (?, ?, ?, ?, ?, ?)", [
            (a.activity_id, a.rep, a.kind, str(a.points), a.at.isoformat(), a.event_id)
            for a in c.activities.values() if a is not None])
        db.executemany("INSERT OR REPLACE INTO reps VALUES (?, ?, ?)",
                       [(r.rep, r.manager, r.region) for r in c.reps.values()])
        for (metric, window, rep), s in c.scores.items():
            if s is None:
                db.execute("DELETE FROM scores WHERE metric = ? AND window = ? AND rep = ?",
                           (metric, window, rep))
            else:
                db.execute("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?, ?)",
                           (metric, window, rep, str(s.score), s.reached_at.isoformat(), s.reached_event_id))
        for (rep, quarter), body in c.statements.items():
            if body is None:
                db.execute("DELETE FROM statements WHERE rep = ? AND quarter = ?", (rep, quarter))
            else:
                db.execute("INSERT OR REPLACE INTO statements VALUES (?, ?, ?, ?)",
                           (rep, quarter, body["total"], orjson.dumps(body)))
        db.executemany("DELETE FROM milestones WHERE key = ?", [(k,) for k, m in c.milestones.items() if m is None])
        db.executemany("INSERT OR REPLACE INTO milestones VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (m.key, m.kind, m.rep, m.status, m.period, m.deal_id, str(m.value), m.at.isoformat(), m.event_id)
            for m in c.milestones.values() if m is not None])
        for key, doc in c.documents.items():
            if doc is None:
                db.execute("DELETE FROM documents WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?)", (key, orjson.dumps(doc)))

    def score_rows(self, metric: str, window: str) -> list[ScoreRow]:
        return sorted(self._scores("metric = ? AND window = ?", (metric, window)), key=member)

    def rep_scores(self, rep: str) -> list[ScoreRow]:
        return self._scores("rep = ?", (rep,))

    def _scores(self, where: str, args: tuple[str, ...]) -> list[ScoreRow]:
        rows = self._db().execute(f"SELECT * FROM scores WHERE {where}", args)
        return [ScoreRow(m, w, r, Decimal(s), _t(at), e) for m, w, r, s, at, e in rows]

    def score_windows(self, metric: str) -> list[str]:
        rows = self._db().execute("SELECT DISTINCT window FROM scores WHERE metric = ?", (metric,))
        return sorted((w for (w,) in rows), key=window_sort_key)

    def rep_rows(self) -> list[RepRow]:
        return [RepRow(*row) for row in self._db().execute("SELECT rep, manager, region FROM reps")]

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        row = self._db().execute("SELECT body FROM statements WHERE rep = ? AND quarter = ?",
                                 (rep, quarter)).fetchone()
        return orjson.loads(row[0]) if row else None

    def statement_totals(self, rep: str) -> dict[str, str]:
        rows = self._db().execute("SELECT quarter, total FROM statements WHERE rep = ? ORDER BY quarter", (rep,))
        return dict(rows.fetchall())

    def won_totals(self) -> tuple[int, Decimal]:
        rows = self._db().execute("SELECT deal_id, MIN(deal_amount) FROM credits GROUP BY deal_id")
        amounts = [Decimal(a) for _, a in rows]
        return len(amounts), sum(amounts, Decimal(0))

    def milestone_rows(self) -> list[MilestoneRow]:
        rows = self._db().execute("SELECT * FROM milestones")
        return [MilestoneRow(k, kind, r, st, p, d, Decimal(v), _t(at), e)
                for k, kind, r, st, p, d, v, at, e in rows]
