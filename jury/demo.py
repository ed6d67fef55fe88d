"""A jury session of the current edition: five jurors, one conflict, partial scores."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from core.mail import muted
from jury import services
from jury.enums import JurorQuality
from jury.models import JurySession
from submissions.enums import EditionState, ProjectState
from submissions.models import Edition, Project

PARIS = ZoneInfo("Europe/Paris")
JURORS = [
    ("jury1@demo.test", JurorQuality.ELECTED),
    ("jury2@demo.test", JurorQuality.ACADEMIC),
    ("jury3@demo.test", JurorQuality.DEPARTEMENT),
    ("jury4@demo.test", JurorQuality.STATE),
    ("jury5@demo.test", JurorQuality.TECHNICIAN),
]
# juror -> scores given to the projects, in running order; None = not yet scored
SCORES = {
    "jury1@demo.test": ([4, 4, 3, 4, 3], [3, 4, 4, 3, 2], [5, 4, 4, 3, 3]),
    "jury2@demo.test": ([3, 3, 3, 3, 2], [2, 3, 3, 3, 2], [4, 3, 4, 3, 2]),
    "jury4@demo.test": ([5, 5, 4, 4, 4], None, None),
    "jury5@demo.test": (None, [4, 5, 4, 4, 3], None),
}
DRAFTS = {"jury4@demo.test": 0}


@transaction.atomic
def seed_jury() -> int:
    """Create the session once; a second run changes nothing."""
    edition = Edition.objects.filter(state=EditionState.OPEN).order_by("-year").first()
    if edition is None or JurySession.objects.filter(edition=edition).exists():
        return JurySession.objects.count()
    coordinator = User.objects.get(email="coordination@demo.test")
    with muted():
        services.criteria_initialise(edition=edition, actor=coordinator)
        jury_day = edition.jury_starts_on or datetime.date(edition.year, 6, 20)
        session = JurySession(
            edition=edition,
            title=f"Jury {edition.year} — séance plénière",
            starts_at=datetime.datetime.combine(jury_day, datetime.time(14, 0), tzinfo=PARIS),
            place="Hôtel de territoire, 2 avenue Youri-Gagarine, Vitry-sur-Seine",
            president=User.objects.get(email=JURORS[0][0]),
        )
        services.session_save(session=session, actor=coordinator)
        for email, quality in JURORS[1:]:
            person = User.objects.get(email=email)
            services.juror_add(
                session=session,
                actor=coordinator,
                email=email,
                first_name=person.first_name,
                last_name=person.last_name,
                quality=quality,
            )
        projects = list(
            Project.objects.filter(edition=edition, state=ProjectState.SHORTLISTED).order_by(
                "title"
            )
        )
        for project in projects:
            services.audition_add(session=session, project=project, actor=coordinator)
        services.session_open(session=session, actor=coordinator)
        criteria = list(edition.criteria.order_by("position"))
        for member in session.members.select_related("user"):
            entries = []
            for index, project in enumerate(projects):
                conflicted = member.user.email == "jury3@demo.test" and index == 0
                reason = (
                    "Membre du conseil d'administration de l'association." if conflicted else ""
                )
                entries.append((project, conflicted, reason))
            services.declarations_save(member=member, entries=entries)
            for index, values in enumerate(SCORES.get(member.user.email, ())):
                if values is None or index >= len(projects):
                    continue
                scores = {
                    criterion.pk: {"value": str(Decimal(value)), "comment": ""}
                    for criterion, value in zip(criteria, values, strict=False)
                }
                services.evaluation_save(
                    member=member,
                    project=projects[index],
                    scores=scores,
                    general_comment="Projet solide, porté par les habitants.",
                    version=None,
                    submit=DRAFTS.get(member.user.email) != index,
                )
    return JurySession.objects.count()
