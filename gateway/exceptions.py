"""What the gateway refuses or cannot do; every one becomes an `error` message to the client
(the connection stays open), never a crash::

    GatewayError
    ├── ChannelRefused        a subscribe the gateway will not serve (the reason says why)
    │   ├── ChannelsFull      every channel slot holds a channel someone watches
    │   └── UnknownChannel    the views hold no such rep, region, manager or window
    └── ViewsUnavailable      a store behind the views or the change feed is out of reach

A malformed channel name is a ValueError from `gateway.channels.parse_channel`.
"""

__all__ = ["ChannelRefused", "ChannelsFull", "GatewayError", "UnknownChannel", "ViewsUnavailable"]


class GatewayError(Exception):
    """Base of the gateway's own errors."""


class ChannelRefused(GatewayError):
    """A subscribe the gateway will not serve."""


class ChannelsFull(ChannelRefused):
    """Every channel slot holds a channel someone watches: no new channel can open."""


class UnknownChannel(ChannelRefused):
    """Nothing in the views by that name: opening it would only take a slot."""


class ViewsUnavailable(GatewayError):
    """A store is out of reach (Redis or PostgreSQL down): try again later."""
