"""The way out of the ledger: projections that follow it, the views they keep, the change feed."""
