"""Reads about one person's own data, for the « Mes données » page."""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Membership, User
from core.models import Event
from jury.models import ConflictDeclaration, Evaluation, JuryMember
from network.models import Registration
from submissions.models import Attachment, CoachingEntry, Message, Project


@dataclass(frozen=True)
class Holding:
    """One kind of data the portal holds about the person, and how many."""

    label: str
    count: int
    detail: str = ""


def personal_data_summary(user: User) -> list[Holding]:
    """Return what the portal holds about ``user``, kind by kind, with counts."""
    associations = Membership.objects.filter(user=user).values("association")
    projects = Project.objects.filter(association__in=associations).aggregate(
        total=Count("pk"), written=Count("pk", filter=Q(created_by=user))
    )
    seats = JuryMember.objects.filter(user=user)
    return [
        Holding(
            "Associations dont vous êtes membre",
            Membership.objects.filter(user=user).count(),
        ),
        Holding(
            "Projets de vos associations",
            projects["total"],
            f"dont {projects['written']} créés par vous",
        ),
        Holding("Messages écrits aux chefs de projet", Message.objects.filter(author=user).count()),
        Holding(
            "Notes d'accompagnement écrites",
            CoachingEntry.objects.filter(author=user).count(),
        ),
        Holding("Pièces jointes déposées", Attachment.objects.filter(uploaded_by=user).count()),
        Holding("Places dans un jury", seats.count()),
        Holding("Évaluations de jury", Evaluation.objects.filter(member__in=seats).count()),
        Holding(
            "Déclarations d'intérêts",
            ConflictDeclaration.objects.filter(member__in=seats).count(),
        ),
        Holding(
            "Inscriptions à la rencontre annuelle",
            Registration.objects.filter(user=user).count(),
        ),
        Holding(
            "Actions notées dans le journal du portail", Event.objects.filter(actor=user).count()
        ),
    ]
