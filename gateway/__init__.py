"""Live boards over websockets: a sans-I/O core and a thin asyncio shell.

`channels` (names and their grammar), `views` (what a channel shows and its deltas), `wire`
(messages), `hub` (channel state, coalescing, resume, limits), `linger` (channels kept after
their last subscriber leaves) and `session` (one client) import no I/O; `server` (the
websockets shell, `Gateway`) and `http` (routes on the same port) do.
Import `gateway.server.Gateway` to run it; importing this package starts nothing.
"""
