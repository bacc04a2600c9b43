"""Boards and views in Redis, written with their position and feed messages by one Lua script.

Boards are one sorted set per (metric, window) ordered by member bytes (board_order); the
working set, statements, milestones, documents and reps are hashes of JSON rows. `commit`
is one script: it checks the stored position is the one this writer last saw, then writes
every row, the new position and the change-feed messages. A Redis that restarted empty has
no position, so the check fails (PositionConflict) and the runner rebuilds from zero; the
check comes before any write, because Redis does not roll a failed script back. Nothing
expires: historical windows are data.
"""
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

import orjson
from redis import Redis
from redis.exceptions import ResponseError

from domain.board import METRICS
from domain.periods import window_sort_key
from projections.board_order import member, row_of
from projections.redis_feed import PUBLISH_LUA, RedisChangeFeed
from projections.row_codec import decode_row, encode_row
from projections.views import (ActivityRow, CreditRow, MilestoneRow, RepRow, ScoreRow,
                               Snapshot, ViewChanges, WorkingSet)

__all__ = ["RedisViewStore", "PositionConflict"]

# KEYS[1] position, KEYS[2..4] feed; ARGV[1..3+2n] feed (see PUBLISH_LUA), then the expected
# and new positions, then ops: H key field value | D key field | S hash field board windows window member
_COMMIT = PUBLISH_LUA + """
local n = tonumber(ARGV[3])
local i = 4 + 2 * n
local stored = redis.call('GET', KEYS[1]) or '0'
if stored ~= ARGV[i] then return redis.error_reply('TALLY_POSITION ' .. stored) end
redis.call('SET', KEYS[1], ARGV[i + 1])
i = i + 2
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'H' then
    redis.call('HSET', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]); i = i + 4
  elseif op == 'D' then
    redis.call('HDEL', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2]); i = i + 3
  else
    local hash, field, board = KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], KEYS[tonumber(ARGV[i + 3])]
    local old = redis.call('HGET', hash, field)
    if old then redis.call('ZREM', board, old) end
    if ARGV[i + 6] == '' then
      redis.call('HDEL', hash, field)
      if redis.call('ZCARD', board) == 0 then redis.call('SREM', KEYS[tonumber(ARGV[i + 4])], ARGV[i + 5]) end
    else
      redis.call('HSET', hash, field, ARGV[i + 6])
      redis.call('ZADD', board, 0, ARGV[i + 6])
      redis.call('SADD', KEYS[tonumber(ARGV[i + 4])], ARGV[i + 5])
    end
    i = i + 7
  end
end
return publish(4, n)
"""


# ARGV[1] key prefix, ARGV[2] the same escaped for a KEYS pattern, ARGV[3..] metrics.
# Reads keys it finds itself (windows, statements), so it names none in KEYS.
_SNAPSHOT = """
local k = ARGV[1]
local boards, statements = {}, {}
for i = 3, #ARGV do
  for _, window in ipairs(redis.call('SMEMBERS', k .. 'windows:' .. ARGV[i])) do
    table.insert(boards, {ARGV[i], window, redis.call('ZRANGE', k .. 'board:' .. ARGV[i] .. ':' .. window, 0, -1)})
  end
end
local from = string.len(k .. 'statements:') + 1
for _, key in ipairs(redis.call('KEYS', ARGV[2] .. 'statements:*')) do
  table.insert(statements, {string.sub(key, from), redis.call('HGETALL', key)})
end
return {redis.call('GET', k .. 'position') or '0', boards, statements,
        redis.call('HVALS', k .. 'credits'), redis.call('HVALS', k .. 'activities'),
        redis.call('HVALS', k .. 'reps'), redis.call('HVALS', k .. 'milestones'),
        redis.call('HGETALL', k .. 'documents')}
"""


class PositionConflict(Exception):
    """The stored position is not the one this writer last saw: Redis came back empty, or
    another runner wrote. Reload from the store (an empty one means: rebuild from zero)."""


class RedisViewStore:
    def __init__(self, client: Redis, *, prefix: str = "tally", feed_maxlen: int = 100_000) -> None:
        self._client = client
        self._k = f"{{{prefix}}}:"  # a hash tag: every key of a store in one cluster slot
        self.feed = RedisChangeFeed(client, prefix=prefix, maxlen=feed_maxlen)
        self._commit = client.register_script(_COMMIT)
        self._snapshot = client.register_script(_SNAPSHOT)
        self._expected: int | None = None

    def position(self) -> int:
        return int(self._client.get(self._k + "position") or 0)

    def working_set(self) -> WorkingSet:
        with self._client.pipeline(transaction=True) as pipe:
            for name in ("credits", "activities", "reps", "milestones"):
                pipe.hvals(self._k + name)
            pipe.hgetall(self._k + "documents").get(self._k + "position")
            credits, activities, reps, milestones, documents, position = pipe.execute()
        self._expected = int(position or 0)
        return _working_set(credits, activities, reps, milestones, documents)

    def snapshot(self) -> Snapshot:
        """One script: Redis runs nothing else meanwhile, so no commit falls between the reads
        (it finds statements with KEYS, so it blocks Redis for the length of one full read)."""
        position, boards, statements, credits, activities, reps, milestones, documents = self._snapshot(
            args=[self._k, _glob_escape(self._k), *METRICS])
        return Snapshot(int(position), _working_set(credits, activities, reps, milestones, dict(_pairs(documents))),
                        {(m.decode(), w.decode()): [row_of(v) for v in members] for m, w, members in boards},
                        {(rep.decode(), q.decode()): orjson.loads(b) for rep, fields in statements
                         for q, b in _pairs(fields)})

    def commit(self, changes: ViewChanges, position: int) -> None:
        self.commit_and_publish(changes, position, [])

    def commit_and_publish(self, changes: ViewChanges, position: int,
                           messages: list[tuple[str, dict[str, Any]]]) -> None:
        expected = self.position() if self._expected is None else self._expected
        keys = list(self.feed.keys)
        ops = _Ops(keys)
        self._ops(ops, changes)
        args = [*self.feed.script_args(messages), expected, position, *ops.args]
        try:
            self._commit(keys=keys, args=args)
        except ResponseError as error:
            if "TALLY_POSITION" in str(error):
                raise PositionConflict(f"expected position {expected}, Redis has {error}") from None
            raise
        self._expected = position

    def _ops(self, ops: "_Ops", c: ViewChanges) -> None:
        k = self._k
        for deal_id, rows in c.credits.items():
            ops.put(k + "credits", deal_id, [encode_row(r) for r in rows] or None)
        for table, updates in (("activities", c.activities), ("reps", c.reps), ("milestones", c.milestones)):
            for key, row in updates.items():
                ops.put(k + table, key, encode_row(row) if row is not None else None)
        for key, doc in c.documents.items():
            ops.put(k + "documents", key, doc)
        for (rep, quarter), body in c.statements.items():
            ops.put(f"{k}statements:{rep}", quarter, body)
        for (metric, window, rep), score in c.scores.items():
            ops.args += ["S", ops.key(f"{k}scores:{rep}"), f"{metric}\x00{window}",
                         ops.key(f"{k}board:{metric}:{window}"), ops.key(f"{k}windows:{metric}"), window,
                         member(score) if score is not None else ""]

    def score_rows(self, metric: str, window: str) -> list[ScoreRow]:
        """In board order (the sorted set's)."""
        return [row_of(m) for m in _replies(self._client.zrange(f"{self._k}board:{metric}:{window}", 0, -1))]

    def rep_scores(self, rep: str) -> list[ScoreRow]:
        return [row_of(m) for m in _replies(self._client.hvals(f"{self._k}scores:{rep}"))]

    def score_windows(self, metric: str) -> list[str]:
        return sorted((w.decode() for w in _replies(self._client.smembers(f"{self._k}windows:{metric}"))),
                      key=window_sort_key)

    def rep_rows(self) -> list[RepRow]:
        return _rows(RepRow, _replies(self._client.hvals(self._k + "reps")))

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        body = self._client.hget(f"{self._k}statements:{rep}", quarter)
        return orjson.loads(body) if body else None

    def statement_totals(self, rep: str) -> dict[str, str]:
        bodies = self._client.hgetall(f"{self._k}statements:{rep}")
        return {q.decode(): orjson.loads(b)["total"] for q, b in sorted(cast(dict[bytes, bytes], bodies).items())}

    def won_totals(self) -> tuple[int, Decimal]:
        deals = [orjson.loads(v) for v in self._client.hvals(self._k + "credits")]
        return len(deals), sum((decode_row(CreditRow, rows[0]).deal_amount for rows in deals), Decimal(0))

    def milestone_rows(self) -> list[MilestoneRow]:
        return _rows(MilestoneRow, _replies(self._client.hvals(self._k + "milestones")))


class _Ops:
    """Script arguments; keys are interned into KEYS (declared, as Redis asks of scripts)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self._index = {name: i + 1 for i, name in enumerate(keys)}
        self.args: list[Any] = []

    def key(self, name: str) -> int:
        if name not in self._index:
            self.keys.append(name)
            self._index[name] = len(self.keys)
        return self._index[name]

    def put(self, key: str, field: str, value: Any) -> None:
        if value is None:
            self.args += ["D", self.key(key), field]
        else:
            self.args += ["H", self.key(key), field, orjson.dumps(value)]


def _rows(cls: type[Any], values: Iterable[bytes]) -> list[Any]:
    return [decode_row(cls, orjson.loads(v)) for v in values]


def _working_set(credits: list[bytes], activities: list[bytes], reps: list[bytes], milestones: list[bytes],
                 documents: dict[bytes, bytes]) -> WorkingSet:
    return WorkingSet(
        credits=[decode_row(CreditRow, r) for v in credits for r in orjson.loads(v)],
        activities=_rows(ActivityRow, activities), reps=_rows(RepRow, reps),
        milestones=_rows(MilestoneRow, milestones),
        documents={k.decode(): orjson.loads(v) for k, v in documents.items()})


def _pairs(flat: list[bytes]) -> list[tuple[bytes, bytes]]:
    """HGETALL as a script returns it: field, value, field, value..."""
    return list(zip(flat[::2], flat[1::2]))


def _glob_escape(text: str) -> str:
    """`text` matched literally by SCAN MATCH (a prefix may hold glob characters)."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def _replies(values: Any) -> Iterable[bytes]:
    """A store's client has no decode_responses, so every reply is bytes (redis-py types
    them `bytes | str`, for either kind of client)."""
    return cast(Iterable[bytes], values)
