"""`tally serve`: the gateway alone, over the distributed stores (views + Redis change feed),
and the one place a Gateway is built from Settings (the embedded demo builds it here too).

The embedded mode has no shared change feed (it lives in the ingesting process), so its
gateway runs inside `tally demo`; here a Redis feed (TALLY_BOARDS=redis) is required. Redis
or PostgreSQL going away is an outage the gateway waits out (/healthz says degraded), not a
reason to exit: the errors that mean it are named here, where the store clients are known.
The gateway reads its stores synchronously in its event loop, so its Redis client gives up
after TALLY_GATEWAY_REDIS_TIMEOUT_MS (one try): a Redis that hangs is an outage too.
"""
import asyncio
import sys

from eventsourcing.persistence import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from gateway.outage import Outages
from gateway.server import Gateway
from projections.changefeed import ChangeFeed
from projections.read import ScoreReader
from tally.distributed import open_stores
from tally.settings import Settings

__all__ = ["build_gateway", "run_serve"]

SERVER_OUTAGES: Outages = (RedisConnectionError, RedisTimeoutError, OperationalError, InterfaceError)


def build_gateway(settings: Settings, reader: ScoreReader, feed: ChangeFeed, *,
                  outages: Outages = ()) -> Gateway:
    return Gateway(reader, feed, host=settings.host, port=settings.port,
                   connections_per_ip=settings.max_connections_per_ip, outages=outages)


def run_serve(settings: Settings) -> None:
    stores = open_stores(settings, redis_timeout_s=settings.gateway_redis_timeout_s)  # reads block the loop
    if stores.feed is None:
        raise ValueError("nothing to follow: set TALLY_BOARDS=redis (the embedded gateway runs "
                         "inside `tally demo`)")
    asyncio.run(_serve(build_gateway(settings, stores.reader(), stores.feed, outages=SERVER_OUTAGES)))


async def _serve(served: Gateway) -> None:
    await served.start()
    print(f"gateway: http://{served.host}:{served.port}/", file=sys.stderr, flush=True)
    await served.serve_forever()
