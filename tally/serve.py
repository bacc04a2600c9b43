"""`tally serve`: the gateway alone, over the distributed stores (views + Redis change feed).

The embedded mode has no shared change feed (it lives in the ingesting process), so its
gateway runs inside `tally demo`; here a Redis feed (TALLY_BOARDS=redis) is required.
"""
import asyncio
import sys

from gateway.server import Gateway
from tally.distributed import open_stores
from tally.settings import Settings

__all__ = ["run_serve"]


def run_serve(settings: Settings) -> None:
    stores = open_stores(settings)
    if stores.feed is None:
        raise ValueError("nothing to follow: set TALLY_BOARDS=redis (the embedded gateway runs "
                         "inside `tally demo`)")
    gateway = Gateway(stores.reader(), stores.feed, host=settings.host, port=settings.port)
    asyncio.run(_serve(gateway))


async def _serve(gateway: Gateway) -> None:
    await gateway.start()
    print(f"gateway: http://{gateway.host}:{gateway.port}/", file=sys.stderr, flush=True)
    await gateway.serve_forever()
