"""Views of the laureates stage."""
