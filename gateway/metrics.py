"""The gateway's figures as Prometheus text exposition (format 0.0.4), via prometheus_client,
which writes the HELP and TYPE lines and the escaping; figures are read at scrape time."""
from collections.abc import Callable, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest

__all__ = ["CONTENT_TYPE", "exposition"]

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
Status = Callable[[], dict[str, int | str]]

_GAUGES = {
    "up": "1 while the views and the change feed answer, 0 while a store is out of reach.",
    "feed_offset": "The change-feed offset the gateway has read up to.",
    "connections": "Open websocket connections.",
    "channels": "Live channels, lingering ones included.",
    "channels_lingering": "Channels nobody watches, kept so that a reconnecting client can resume.",
    "channels_stale": "Channels waiting for a re-read (changed, or passed over by the per-tick cap).",
}
_COUNTERS = {
    "evictions": "Clients evicted (close 1013) because their unsent backlog passed the bound.",
    "connections_refused": "Websocket connections closed (1013) because their address held its limit.",
}


class _Figures:
    def __init__(self, status: Status) -> None:
        self._status = status

    def collect(self) -> Iterator[Metric]:
        figures = self._status()
        figures["up"] = int(figures["status"] == "ok")
        for name, text in _GAUGES.items():
            yield GaugeMetricFamily(f"tally_gateway_{name}", text, value=float(figures[name]))
        for name, text in _COUNTERS.items():
            yield CounterMetricFamily(f"tally_gateway_{name}", text, value=float(figures[name]))


def exposition(status: Status) -> bytes:
    return generate_latest(_Figures(status))  # any object with collect() will do
