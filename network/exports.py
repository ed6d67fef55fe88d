"""The registrations of a meeting as a spreadsheet's rows (written by core.exports)."""

from collections.abc import Iterable, Iterator

from network.models import Registration

REGISTRATION_HEADER = [
    "Nom",
    "Prénom",
    "E-mail",
    "Structure",
    "État",
    "Position en liste d'attente",
    "Régime alimentaire",
    "Besoins d'accessibilité",
    "Atelier",
    "Inscrit·e le",
    "Présent·e",
]


def registration_rows(registrations: Iterable[Registration]) -> Iterator[list]:
    """One row per registration; ``waitlist_position`` comes from the selector."""
    for registration in registrations:
        yield [
            registration.last_name,
            registration.first_name,
            registration.email,
            registration.organisation,
            registration.get_state_display(),
            getattr(registration, "waitlist_position", None),
            registration.dietary_needs,
            registration.accessibility_needs,
            registration.workshop.title if registration.workshop else "",
            registration.created_at,
            registration.has_attended,
        ]
