"""The way in: inbound events are validated, dead-lettered when bad, and fed to the ledger."""
