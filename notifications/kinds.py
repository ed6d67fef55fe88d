"""Every kind of notification the portal sends, and who may choose how to receive it.

A kind has a key (stored on each notification and preference), a French label
and description (the preferences page), whether it is mandatory (it cannot be
switched off: a deposit receipt, a convocation, the results, the account
mails), its default delivery, and the roles it concerns (the preferences page
shows a person the kinds of their roles).
"""

from dataclasses import dataclass

from accounts.rules import is_association_member, is_coordinator, is_juror, is_officer
from notifications.enums import Delivery

MEMBER = "member"
OFFICER = "officer"
JUROR = "juror"
COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    roles: frozenset[str]
    mandatory: bool = False
    default: Delivery = Delivery.IMMEDIATE


KINDS: tuple[Kind, ...] = (
    Kind(
        "account",
        "Votre compte",
        "Confirmation de l'adresse, mot de passe oublié, invitation à rejoindre une association.",
        frozenset({MEMBER, OFFICER, JUROR, COORDINATOR}),
        mandatory=True,
    ),
    Kind(
        "deposit_receipt",
        "Accusé de dépôt",
        "Le reçu de votre dossier déposé, avec son PDF.",
        frozenset({MEMBER}),
        mandatory=True,
    ),
    Kind(
        "convocation",
        "Convocations au jury",
        "Place dans un jury, convocation à une séance ou à une audition, changement d'horaire.",
        frozenset({MEMBER, JUROR}),
        mandatory=True,
    ),
    Kind(
        "results",
        "Résultats du label",
        "L'annonce des résultats de l'édition pour vos projets.",
        frozenset({MEMBER}),
        mandatory=True,
    ),
    Kind(
        "project_state",
        "Étapes des projets",
        "Un projet proposé, pris en accompagnement, prêt, déposé, recevable, retenu, retiré…",
        frozenset({MEMBER, OFFICER, COORDINATOR}),
    ),
    Kind(
        "project_assigned",
        "Projets attribués à votre territoire",
        "Un projet qui arrive sur votre contrat de ville (commune changée, attribution).",
        frozenset({OFFICER, COORDINATOR}),
    ),
    Kind(
        "message",
        "Messages des projets",
        "Un nouveau message dans la discussion d'un projet.",
        frozenset({MEMBER, OFFICER, COORDINATOR}),
    ),
    Kind(
        "coaching_shared",
        "Notes d'accompagnement",
        "Une note de votre chef de projet partagée avec l'association.",
        frozenset({MEMBER}),
    ),
    Kind(
        "report",
        "Bilans des lauréats",
        "Rappels d'échéance des bilans, bilan remis, accepté ou à reprendre.",
        frozenset({MEMBER, COORDINATOR}),
    ),
    Kind(
        "reminder",
        "Relances de la coordination",
        "Les rappels envoyés par la coordination (par exemple : dossier pas encore déposé).",
        frozenset({MEMBER}),
    ),
)

KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS]


def kind(key: str) -> Kind:
    """Return the kind ``key`` (a KeyError names an undeclared kind)."""
    return KINDS_BY_KEY[key]


def roles_of(user) -> set[str]:
    """The roles a person holds, in the words of ``Kind.roles``."""
    roles = set()
    if is_association_member(user):
        roles.add(MEMBER)
    if is_officer(user):
        roles.add(OFFICER)
    if is_juror(user):
        roles.add(JUROR)
    if is_coordinator(user):
        roles.add(COORDINATOR)
    return roles


def kinds_for(user) -> list[Kind]:
    """The kinds that concern this person (every kind for a person without role yet)."""
    roles = roles_of(user)
    if not roles:
        return list(KINDS)
    return [kind for kind in KINDS if kind.roles & roles]
