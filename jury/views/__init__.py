"""Jury views: setup by coordinators, scoring by jurors, deliberation, the association's reply."""
