"""Views of the laureates stage, one module per concern (public pages, open data, cards…)."""
