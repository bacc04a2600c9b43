"""Composition root: settings from the environment, wiring of a mode, the CLI."""
