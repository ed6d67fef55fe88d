"""Writes of the laureates stage, one module per concern."""
