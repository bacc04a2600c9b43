"""Live boards over websockets: a sans-I/O core and a thin asyncio shell.

`channels` (names and their grammar), `views` (what a channel shows, its deltas, whether the
views hold it), `wire` (messages), `hub` (channels shared by every client: coalescing,
resume, limits), `channel_state` (one channel's offsets and history), `linger` (channels
kept after their last subscriber leaves), `session` (one client) and `exceptions` (the
error tree) import no I/O. `follow` (the place in the change feed) and `outage` (store
errors told apart from bugs) call the reader and feed they are given; `server` (the
websockets shell, `Gateway`), `http` (routes on the same port) and `metrics` (Prometheus
text) serve the network.
Import `gateway.server.Gateway` to run it; importing this package starts nothing.
"""
