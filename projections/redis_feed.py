"""The change feed on a Redis Stream: offsets are stream ids, the epoch a key beside them.

Each message is `XADD <offset>-0 ... MAXLEN ~ N`, the offset taken from a counter in the
same Lua script, so offsets rise by one and a batch lands whole or not at all. The epoch
lives in Redis: a Redis that restarts empty has none, the next writer (or reader) makes a
new one, and every reader still holding the old epoch gets FeedGap instead of a silent gap.
"""
import uuid
from typing import Any

import orjson
from redis import Redis

from projections.changefeed import Change, FeedGap

__all__ = ["RedisChangeFeed", "PUBLISH_LUA"]

# publish(first, n) appends ARGV[first..] as n (kind, data) pairs. KEYS[2..4]: the stream,
# the offset counter, the epoch; ARGV[1..2]: a candidate epoch (kept only if there is none), maxlen.
PUBLISH_LUA = """
local function publish(first, n)
  if redis.call('SET', KEYS[4], ARGV[1], 'NX') then redis.call('DEL', KEYS[2], KEYS[3]) end
  local last = tonumber(redis.call('GET', KEYS[3]) or '0')
  for j = 0, n - 1 do
    last = redis.call('INCR', KEYS[3])
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], string.format('%d-0', last),
               'k', ARGV[first + 2 * j], 'd', ARGV[first + 2 * j + 1])
  end
  return last
end
"""
_PUBLISH = PUBLISH_LUA + "return publish(4, tonumber(ARGV[3]))"
# KEYS: stream, offset, epoch; ARGV: epoch, after, first id to return, limit
_READ = """
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return {'gap', 'the epoch is not the feed epoch'} end
local after = tonumber(ARGV[2])
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local oldest = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
if #first > 0 then oldest = tonumber(string.match(first[1][1], '^(%d+)')) end
if after < oldest - 1 then return {'gap', 'offset ' .. ARGV[2] .. ' is older than the retained history'} end
return {'ok', redis.call('XRANGE', KEYS[1], ARGV[3], '+', 'COUNT', ARGV[4])}
"""


class RedisChangeFeed:
    def __init__(self, client: Redis, *, prefix: str, maxlen: int = 100_000) -> None:
        self._client = client
        self.keys = [f"{{{prefix}}}:position", f"{{{prefix}}}:feed", f"{{{prefix}}}:feed:offset",
                     f"{{{prefix}}}:feed:epoch"]
        self.maxlen = maxlen
        self._publish = client.register_script(_PUBLISH)
        self._read = client.register_script(_READ)

    @property
    def epoch(self) -> str:
        """The feed's epoch, made now if Redis has none (fresh or restarted empty)."""
        with self._client.pipeline(transaction=True) as pipe:
            pipe.set(self.keys[3], uuid.uuid4().hex, nx=True)
            pipe.get(self.keys[3])
            return str(pipe.execute()[1].decode())

    def publish(self, changes: list[tuple[str, dict[str, Any]]]) -> int:
        return int(self._publish(keys=self.keys, args=self.script_args(changes)))

    def script_args(self, changes: list[tuple[str, dict[str, Any]]]) -> list[Any]:
        """ARGV[1 .. 3 + 2n] of a script that embeds PUBLISH_LUA and calls publish(4, ARGV[3])."""
        return [uuid.uuid4().hex, self.maxlen, len(changes),
                *(part for kind, data in changes for part in (kind, orjson.dumps(data)))]

    def read(self, epoch: str, after: int, limit: int = 1000) -> list[Change]:
        status, body = self._read(keys=self.keys[1:], args=[epoch, after, f"{after + 1}-0", limit])
        if status == b"gap":
            raise FeedGap(body.decode())
        return [Change(int(entry_id.split(b"-")[0]), fields[1].decode(), orjson.loads(fields[3]))
                for entry_id, fields in body]

    def last_offset(self) -> int:
        return int(self._client.get(self.keys[2]) or 0)
