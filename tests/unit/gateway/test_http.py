"""HTTP routes on the websocket port: GET and HEAD answer alike (HEAD without a body), other methods 405."""
import pytest
from websockets.datastructures import Headers
from websockets.http11 import Request

from gateway.http import Routes
from tests.unit.gateway.gateway_fakes import FakeReader

STATUS = {"status": "ok", "feed_epoch": "e", "feed_offset": 3, "connections": 0, "connections_refused": 0,
          "channels": 0, "channels_lingering": 0, "channels_stale": 0, "evictions": 0}


def answer(method: str, path: str):  # type: ignore[no-untyped-def]
    routes = Routes(FakeReader(), lambda: dict(STATUS))
    return routes(None, Request(path, Headers(), method=method))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/", "/board.js", "/api/windows", "/nowhere"])
def test_head_answers_what_get_would_without_the_body(path):
    got, head = answer("GET", path), answer("HEAD", path)
    assert (head.status_code, list(head.headers.raw_items()), head.body) == (
        got.status_code, list(got.headers.raw_items()), b"")
    assert int(head.headers["Content-Length"]) == len(got.body) > 0


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_other_methods_are_not_allowed_saying_which_are(method):
    response = answer(method, "/healthz")
    assert (response.status_code, response.headers["Allow"]) == (405, "GET, HEAD")
    assert response.body == f"method {method} not allowed\n".encode()


def test_the_websocket_path_allows_get_only_and_leaves_get_to_the_handshake():
    assert answer("GET", "/ws") is None
    head = answer("HEAD", "/ws")
    assert (head.status_code, head.headers["Allow"]) == (405, "GET")
