"""factory_boy factories for the jury app, and a helper that builds a whole session."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from accounts.models import User
from jury import services
from jury.enums import JurorQuality, SessionState
from jury.models import Audition, Criterion, JuryMember, JurySession
from submissions.models import Edition, Project
from tests.factories import UserFactory
from tests.submissions.factories import EditionFactory, ProjectFactory

PARIS = ZoneInfo("Europe/Paris")
# Every session starts at 9:00, Paris time, unless a test says otherwise.
SESSION_START = datetime.datetime(2030, 6, 12, 9, 0, tzinfo=PARIS)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    edition = factory.SubFactory(EditionFactory)
    label = factory.Sequence(lambda n: f"Critère n° {n}")
    guidance = "Ce que le jury regarde pour ce critère."
    weight = Decimal("1")
    scale_max = 5
    position = factory.Sequence(lambda n: n)


class JurySessionFactory(factory.django.DjangoModelFactory):
    """A session in preparation; the traits ``open`` and ``closed`` move it on."""

    class Meta:
        model = JurySession

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Séance du jury n° {n}")
    starts_at = SESSION_START
    place = "Salle du conseil territorial, Vitry-sur-Seine"
    president = None
    state = SessionState.PLANNED

    class Params:
        planned = factory.Trait(state=SessionState.PLANNED)
        open = factory.Trait(state=SessionState.OPEN)
        closed = factory.Trait(
            state=SessionState.CLOSED, closed_at=factory.LazyFunction(timezone.now)
        )


class JuryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryMember

    session = factory.SubFactory(JurySessionFactory)
    user = factory.SubFactory(UserFactory, juror=True)
    quality = JurorQuality.ACADEMIC


class AuditionFactory(factory.django.DjangoModelFactory):
    """A shortlisted project of the session's edition, placed in the session."""

    class Meta:
        model = Audition

    session = factory.SubFactory(JurySessionFactory)
    project = factory.SubFactory(
        ProjectFactory, shortlisted=True, edition=factory.SelfAttribute("..session.edition")
    )
    position = factory.Sequence(lambda n: n)
    starts_at = factory.SelfAttribute("session.starts_at")


@dataclass
class Jury:
    """A whole session: its edition and grid, its president and jurors, its auditions."""

    coordinator: User
    edition: Edition
    session: JurySession
    criteria: list[Criterion]
    president: JuryMember
    jurors: list[JuryMember]
    projects: list[Project]
    auditions: list[Audition] = field(default_factory=list)

    @property
    def members(self) -> list[JuryMember]:
        return [self.president, *self.jurors]


def jury_session(
    *,
    projects: int = 3,
    jurors: int = 3,
    edition: Edition | None = None,
    coordinator: User | None = None,
    opened: bool = True,
    budget_envelope: Decimal = Decimal("0"),
    starts_at: datetime.datetime = SESSION_START,
) -> Jury:
    """Build a session through the services, as a coordinator would.

    The edition gets the default grid (or the previous edition's), the session
    a president (seated by ``session_save``) and ``jurors`` more jurors, and
    ``projects`` shortlisted projects of the edition (each with its deposit
    snapshot) placed as auditions one after the other; the session is then
    opened unless ``opened`` is False.
    """
    coordinator = coordinator or UserFactory(coordinator=True)
    edition = edition or EditionFactory(budget_envelope=budget_envelope)
    services.criteria_initialise(edition=edition, actor=coordinator)
    president_user = UserFactory(juror=True)
    session = services.session_save(
        session=JurySessionFactory.build(
            edition=edition, president=president_user, starts_at=starts_at
        ),
        actor=coordinator,
    )
    president = session.members.get(user=president_user)
    seated = [JuryMemberFactory(session=session) for _ in range(jurors)]
    placed = [
        ProjectFactory(shortlisted=True, edition=edition, title=f"Projet auditionné n° {index}")
        for index in range(1, projects + 1)
    ]
    auditions = [
        services.audition_add(session=session, project=project, actor=coordinator)
        for project in placed
    ]
    if opened:
        session = services.session_open(session=session, actor=coordinator)
    return Jury(
        coordinator=coordinator,
        edition=edition,
        session=session,
        criteria=list(edition.criteria.order_by("position", "pk")),
        president=president,
        jurors=seated,
        projects=placed,
        auditions=auditions,
    )


def everyone_present(session: JurySession) -> set[int]:
    """The attendance of a session where every juror came: for ``session_close``."""
    return set(session.members.values_list("pk", flat=True))


def download_minutes(client, session: JurySession, capture):
    """Ask for the minutes on their page, build them (the task), and download them.

    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``: the task is
    queued once the request's transaction commits, and runs at once in the tests.
    """
    from django.urls import reverse

    with capture(execute=True):
        client.post(reverse("jury:minutes", args=[session.pk]))
    return client.get(reverse("jury:minutes_download", args=[session.pk]))
