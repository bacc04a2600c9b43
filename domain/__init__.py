"""Tally's pure core: facts, the ledger's aggregates, and the rules that score them.

Nothing here touches a clock, a file, a socket or the environment.
"""
