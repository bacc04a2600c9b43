"""Plain HTTP on a real gateway port, spoken over a raw socket: what comes back, byte for byte."""
import asyncio

from projections.changefeed import MemoryChangeFeed
from tests.integration.gateway_client import BoardReader, gateway, run


async def exchange(port: int, request: bytes) -> bytes:
    """Everything the gateway sends back until it closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


def answers(*requests: bytes) -> list[bytes]:
    got: list[bytes] = []

    async def scenario() -> None:
        async with gateway(BoardReader(["Ann"]), MemoryChangeFeed()) as served:
            got.extend([await exchange(served.port, r) for r in requests])
    run(scenario)
    return got


def test_head_of_healthz_sends_the_headers_of_get_and_no_body():
    get, head = answers(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", b"HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    get_head, _, body = get.partition(b"\r\n\r\n")
    assert head == get_head + b"\r\n\r\n"
    assert f"Content-Length: {len(body)}".encode() in head


def test_a_post_without_a_body_is_answered_405_with_the_allowed_methods():
    [answer] = answers(b"POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n")
    assert b"\r\nAllow: GET, HEAD\r\n" in answer
