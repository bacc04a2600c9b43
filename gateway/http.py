"""Plain HTTP on the websocket port: health, metrics, the TV board page and its windows list.

GET and HEAD (the same status and headers, no body) on every route below; any other method
answers 405 with `Allow`. What the websockets library closes before `process_request` sees
it (a request with a body or `Transfer-Encoding`, a second request pipelined behind the
first) gets no answer at all: the port is for websockets and plain GETs, nothing more.

Routes::

    GET /ws                          websocket upgrade (anything else there answers 426)
    GET /healthz                     200 {"status": "ok", ...gateway status}, or 503 with
                                     "status": "degraded" and the `outage` while a store is
                                     out of reach (the gateway keeps serving and retrying)
    GET /metrics                     Prometheus text exposition (HELP and TYPE lines)
    GET /  (or /board.html)          the TV board page; /board.js and /board_logic.js its scripts
    GET /api/windows?metric=revenue  JSON list of windows with data, oldest first, `all` last
                                     (metric revenue when absent; 400 when not a metric,
                                     503 while the views are out of reach)
"""
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import orjson
from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from domain.board import METRICS
from projections.read import ScoreReader

from gateway.exceptions import ViewsUnavailable
from gateway.metrics import CONTENT_TYPE, Status, exposition

__all__ = ["Routes", "WS_PATH"]

WS_PATH = "/ws"
_STATIC = Path(__file__).parent / "static"
_FILES = {"/": "board.html", "/board.html": "board.html", "/board.js": "board.js",
          "/board_logic.js": "board_logic.js"}
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


class Routes:
    """`process_request` for websockets: None lets the websocket handshake go on."""

    def __init__(self, reader: ScoreReader, status: Status) -> None:
        self._reader = reader
        self._status = status
        self._files = {path: (_STATIC / name).read_bytes() for path, name in _FILES.items()}

    def __call__(self, connection: ServerConnection, request: Request) -> Response | None:
        path = urlsplit(request.path).path
        if path == WS_PATH:
            return None if request.method == "GET" else _not_allowed(request.method, "GET")
        if request.method not in ("GET", "HEAD"):
            return _not_allowed(request.method, "GET, HEAD")
        response = self._get(request.path)
        if request.method == "HEAD":  # what GET would send, without the body
            return Response(response.status_code, response.reason_phrase, response.headers, b"")
        return response

    def _get(self, target: str) -> Response:
        url = urlsplit(target)
        if url.path == "/healthz":
            status = self._status()
            code = HTTPStatus.OK if status["status"] == "ok" else HTTPStatus.SERVICE_UNAVAILABLE
            return _response(code, orjson.dumps(status), "application/json")
        if url.path == "/metrics":
            return _response(HTTPStatus.OK, exposition(self._status), CONTENT_TYPE)
        if url.path == "/api/windows":
            query = parse_qs(url.query, keep_blank_values=True)  # `metric=` is a bad metric
            return self._windows(query.get("metric", ["revenue"])[0])
        if url.path in self._files:
            return _response(HTTPStatus.OK, self._files[url.path], _TYPES[Path(_FILES[url.path]).suffix])
        return _response(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def _windows(self, metric: str) -> Response:
        if metric not in METRICS:
            body = orjson.dumps({"error": f"metric {metric!r} is not one of {', '.join(METRICS)}"})
            return _response(HTTPStatus.BAD_REQUEST, body, "application/json")
        try:
            windows = self._reader.windows(metric)
        except ViewsUnavailable as error:
            return _response(HTTPStatus.SERVICE_UNAVAILABLE, orjson.dumps({"error": str(error)}),
                             "application/json")
        return _response(HTTPStatus.OK, orjson.dumps(windows), "application/json")


def _not_allowed(method: str, allowed: str) -> Response:
    response = _response(HTTPStatus.METHOD_NOT_ALLOWED, f"method {method} not allowed\n".encode(),
                         "text/plain; charset=utf-8")
    response.headers["Allow"] = allowed
    return response


def _response(status: HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers({"Content-Type": content_type, "Content-Length": str(len(body)),
                       "Cache-Control": "no-cache"})
    return Response(status.value, status.phrase, headers, body)
