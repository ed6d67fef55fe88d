"""A large generated dataset for the benchmark (``make bench``), written in bulk.

At scale 1: 10,000 projects over 9 editions (2018–2026), 2,000 laureates,
9 jury sessions (the current one with 200 auditions), about 50,000 submitted
evaluations, a meeting with 1,000 registrations, and the events that the
projects' lifecycle would have written. Scale 0.1 gives a tenth of the rows
with the same shape: the benchmark compares query counts at both.

It goes straight to the tables (``bulk_create``), not through the services:
the aim is volume, and a seed of this size through the workflows would take
hours. It expects an empty database with the territory loaded.
"""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Association, CityContract, Commune, Membership, Qpv, User
from core.models import Event
from jury.enums import EvaluationState, JurorQuality, SessionState
from jury.models import (
    Audition,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    JuryMember,
    JurySession,
    Score,
)
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from network.enums import MeetingState, RegistrationState
from network.models import Meeting, Registration
from submissions.enums import EditionState, ProjectState, Theme
from submissions.models import Edition, Project

PASSWORD = "bench-mot-de-passe-2026"  # noqa: S105 (the generated accounts of a throwaway database)
YEARS = range(2018, 2027)
CURRENT_YEAR = YEARS[-1]
CRITERIA = ["Innovation", "Ancrage dans le quartier", "Faisabilité", "Partenariats", "Impact"]
JURORS_PER_SESSION = 28
CURRENT_AUDITIONS = 200
REGISTRATIONS = 1000
BATCH = 2000

# Where the projects of a past edition ended, in tenths (laureates are set apart).
PAST_OUTCOMES = [
    (ProjectState.NOT_SELECTED, 4),
    (ProjectState.INELIGIBLE, 1),
    (ProjectState.WITHDRAWN, 1),
    (ProjectState.DRAFT, 1),
    (ProjectState.ELIGIBLE, 3),
]
# The current edition, still going: every state of the lifecycle.
CURRENT_STATES = [
    ProjectState.DRAFT,
    ProjectState.PROPOSED,
    ProjectState.COACHING,
    ProjectState.READY,
    ProjectState.DEPOSITED,
    ProjectState.ELIGIBLE,
    ProjectState.INELIGIBLE,
    ProjectState.WITHDRAWN,
]
# The lifecycle a project went through to reach each state (for the event log).
PATH = {
    ProjectState.DRAFT: [],
    ProjectState.PROPOSED: ["proposed"],
    ProjectState.COACHING: ["proposed", "coaching"],
    ProjectState.READY: ["proposed", "coaching", "ready"],
    ProjectState.DEPOSITED: ["proposed", "coaching", "ready", "deposited"],
    ProjectState.ELIGIBLE: ["proposed", "coaching", "ready", "deposited", "eligible"],
    ProjectState.INELIGIBLE: ["proposed", "coaching", "ready", "deposited", "ineligible"],
    ProjectState.SHORTLISTED: [
        "proposed",
        "coaching",
        "ready",
        "deposited",
        "eligible",
        "shortlisted",
    ],
    ProjectState.NOT_SELECTED: [
        "proposed",
        "coaching",
        "ready",
        "deposited",
        "eligible",
        "shortlisted",
        "not_selected",
    ],
    ProjectState.LAUREATE: [
        "proposed",
        "coaching",
        "ready",
        "deposited",
        "eligible",
        "shortlisted",
        "laureate",
    ],
    ProjectState.WITHDRAWN: ["proposed", "coaching", "withdrawn"],
}


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _scaled(value: int, scale: float) -> int:
    return max(1, round(value * scale))


class _Generator:
    def __init__(self, scale: float, seed: int):
        self.scale = scale
        self.random = random.Random(seed)  # noqa: S311 (repeatable data, no secret)
        self.now = timezone.now()
        self.password = make_password(PASSWORD)
        self.communes = list(Commune.objects.exclude(city_contract=None).order_by("insee"))
        self.qpvs_of = {}
        for qpv in Qpv.objects.prefetch_related("communes"):
            for commune in qpv.communes.all():
                self.qpvs_of.setdefault(commune.pk, []).append(qpv.pk)
        if not self.communes:
            raise RuntimeError("Chargez d'abord le territoire : manage.py load_territory.")

    # --- people ---------------------------------------------------------------------------
    def people(self) -> None:
        contracts = list(CityContract.objects.order_by("code"))
        staff = [
            User(
                email="coordination@bench.test",
                first_name="Camille",
                last_name="Coordination",
                is_coordinator=True,
                password=self.password,
                email_confirmed_at=self.now,
            )
        ]
        staff += [
            User(
                email=f"chef{index}@bench.test",
                first_name="Chef",
                last_name=f"de projet {contract.short_name}",
                officer_contract=contract,
                password=self.password,
                email_confirmed_at=self.now,
            )
            for index, contract in enumerate(contracts, start=1)
        ]
        staff += [
            User(
                email=f"jure{index}@bench.test",
                first_name="Juré",
                last_name=f"n° {index}",
                is_juror=True,
                password=self.password,
                email_confirmed_at=self.now,
            )
            for index in range(1, JURORS_PER_SESSION + 1)
        ]
        _bulk(User, staff)
        self.coordinator = User.objects.get(email="coordination@bench.test")
        self.jurors = list(User.objects.filter(is_juror=True).order_by("pk"))
        self.officers = {
            u.officer_contract_id: u for u in User.objects.exclude(officer_contract=None)
        }

        count = _scaled(2500, self.scale)
        members = _bulk(
            User,
            [
                User(
                    email=f"membre{index}@bench.test",
                    first_name="Membre",
                    last_name=f"n° {index}",
                    password=self.password,
                    email_confirmed_at=self.now,
                )
                for index in range(1, count + 1)
            ],
        )
        associations = _bulk(
            Association,
            [
                Association(
                    name=f"Association de quartier n° {index}",
                    commune=self.communes[index % len(self.communes)],
                    contact_email=f"contact{index}@bench.test",
                )
                for index in range(1, count + 1)
            ],
        )
        _bulk(
            Membership,
            [Membership(user=m, association=a) for m, a in zip(members, associations, strict=True)],
        )
        self.associations = associations
        self.member_of = {a.pk: m for m, a in zip(members, associations, strict=True)}

    # --- editions and projects ----------------------------------------------------------
    def editions(self) -> None:
        rows = []
        for year in YEARS:
            current = year == CURRENT_YEAR
            rows.append(
                Edition(
                    year=year,
                    title=f"Label Actions Innovantes {year}",
                    opens_on=datetime(year, 1, 15).date(),
                    deposit_deadline=datetime(year, 4, 30, 22, tzinfo=UTC),
                    jury_starts_on=datetime(year, 6, 1).date(),
                    jury_ends_on=datetime(year, 6, 30).date(),
                    budget_envelope=Decimal("120000"),
                    state=EditionState.OPEN if current else EditionState.ARCHIVED,
                    results_published_at=None if current else datetime(year, 7, 1, 10, tzinfo=UTC),
                )
            )
        self.editions_by_year = {e.year: e for e in _bulk(Edition, rows)}

    def _project(self, index: int, edition: Edition, state: str) -> Project:
        association = self.associations[index % len(self.associations)]
        commune = association.commune
        themes = self.random.sample([t.value for t in Theme], k=self.random.randint(1, 3))
        proposed_at = datetime(edition.year, 1, 20, tzinfo=UTC) + timedelta(
            days=self.random.randint(0, 60)
        )
        deposited = ProjectState.DEPOSITED in PATH.get(state, []) or state == ProjectState.DEPOSITED
        return Project(
            association=association,
            state=state,
            city_contract_id=commune.city_contract_id,
            edition=edition,
            title=f"Projet n° {index} : {self.random.choice(['jardin', 'atelier', 'café', 'radio', 'fabrique'])} partagé",
            summary="Un projet d'habitants pour le quartier, porté par l'association.",
            commune=commune,
            themes=themes,
            need="Le besoin observé dans le quartier.",
            amount_requested=Decimal(self.random.randrange(2000, 15000, 500)),
            created_by=self.member_of[association.pk],
            updated_by=self.member_of[association.pk],
            proposed_at=proposed_at if state != ProjectState.DRAFT else None,
            deposited_at=proposed_at + timedelta(days=40) if deposited else None,
        )

    def projects(self) -> None:
        total = _scaled(10000, self.scale)
        per_edition = total // len(YEARS)
        self.laureates_per_edition = _scaled(2000, self.scale) // (len(YEARS) - 1)
        rows = []
        index = 0
        for year in YEARS:
            edition = self.editions_by_year[year]
            for position in range(per_edition):
                index += 1
                if year == CURRENT_YEAR:
                    if position < _scaled(CURRENT_AUDITIONS, self.scale):
                        state = ProjectState.SHORTLISTED
                    else:
                        state = CURRENT_STATES[position % len(CURRENT_STATES)]
                elif position < self.laureates_per_edition:
                    state = ProjectState.LAUREATE
                elif position < self.laureates_per_edition + _scaled(CURRENT_AUDITIONS, self.scale):
                    state = ProjectState.NOT_SELECTED
                else:
                    states = [s for s, weight in PAST_OUTCOMES for _ in range(weight)]
                    state = states[position % len(states)]
                rows.append(self._project(index, edition, state))
        projects = _bulk(Project, rows)
        through = Project.qpvs.through
        _bulk(
            through,
            [
                through(project_id=p.pk, qpv_id=qpv)
                for p in projects
                for qpv in self.qpvs_of.get(p.commune_id, [])[:2]
            ],
        )
        self.projects_by_year = {}
        for project in projects:
            self.projects_by_year.setdefault(project.edition.year, []).append(project)
        self._events(projects)

    def _events(self, projects: list[Project]) -> None:
        content_type = ContentType.objects.get_for_model(Project)
        rows = []
        for project in projects:
            before = ProjectState.DRAFT.value
            moment = project.proposed_at or self.now
            for step in PATH.get(project.state, []):
                rows.append(
                    Event(
                        content_type=content_type,
                        object_id=project.pk,
                        workflow="project",
                        action=step,
                        from_state=before,
                        to_state=step,
                        actor=self.coordinator,
                        created_at=moment,
                    )
                )
                before = step
                moment += timedelta(days=10)
        _bulk(Event, rows)

    # --- jury ---------------------------------------------------------------------------
    def jury(self) -> None:
        for year in YEARS:
            edition = self.editions_by_year[year]
            criteria = _bulk(
                Criterion,
                [
                    Criterion(edition=edition, label=label, weight=Decimal(weight), position=i)
                    for i, (label, weight) in enumerate(zip(CRITERIA, [3, 2, 2, 1, 2], strict=True))
                ],
            )
            current = year == CURRENT_YEAR
            starts = datetime(year, 6, 10, 8, tzinfo=UTC)
            session = JurySession.objects.create(
                edition=edition,
                title=f"Jury {year}",
                starts_at=starts,
                place="Hôtel de territoire, Vitry-sur-Seine",
                state=SessionState.OPEN if current else SessionState.CLOSED,
                closed_at=None if current else starts + timedelta(hours=9),
            )
            members = _bulk(
                JuryMember,
                [
                    JuryMember(
                        session=session, user=juror, quality=JurorQuality.ACADEMIC, present=True
                    )
                    for juror in self.jurors
                ],
            )
            limit = _scaled(CURRENT_AUDITIONS, self.scale)
            projects = self.projects_by_year[year]
            if current:
                heard = [p for p in projects if p.state == ProjectState.SHORTLISTED][:limit]
            else:
                awarded = [p for p in projects if p.state == ProjectState.LAUREATE]
                declined = [p for p in projects if p.state == ProjectState.NOT_SELECTED]
                heard = awarded[: limit // 2] + declined[: limit - limit // 2]
            _bulk(
                Audition,
                [
                    Audition(
                        session=session,
                        project=project,
                        position=position,
                        starts_at=starts + timedelta(minutes=20 * position),
                    )
                    for position, project in enumerate(heard, start=1)
                ],
            )
            _bulk(
                ConflictDeclaration,
                [
                    ConflictDeclaration(member=m, project=p, has_conflict=False)
                    for m in members
                    for p in heard
                ],
            )
            evaluations = _bulk(
                Evaluation,
                [
                    Evaluation(
                        member=m,
                        project=p,
                        state=EvaluationState.SUBMITTED,
                        submitted_at=starts + timedelta(days=1),
                        general_comment="Projet solide, à suivre.",
                    )
                    for m in members
                    for p in heard
                ],
            )
            _bulk(
                Score,
                [
                    Score(evaluation=e, criterion=c, value=Decimal(self.random.randint(1, 5)))
                    for e in evaluations
                    for c in criteria
                ],
            )

    # --- laureates ------------------------------------------------------------------------
    def laureates(self) -> None:
        rows = []
        for year in YEARS[:-1]:
            edition = self.editions_by_year[year]
            Showcase.objects.create(
                edition=edition,
                state=ShowcaseState.PUBLISHED,
                published_at=datetime(year, 9, 1, tzinfo=UTC),
            )
            for project in self.projects_by_year[year]:
                if project.state != ProjectState.LAUREATE:
                    continue
                rows.append(
                    Laureate(
                        edition=edition,
                        year=year,
                        project=project,
                        association=project.association,
                        association_name=project.association.name,
                        slug=slugify(project.title)[:60] + f"-{project.pk}",
                        title=project.title,
                        pitch="Un projet d'habitants primé par le label.",
                        description="Ce que le projet a changé dans le quartier.",
                        commune=project.commune,
                        themes=project.themes,
                        amount_granted=project.amount_requested,
                        state=CardState.PUBLISHED,
                        is_public=True,
                        published_at=datetime(year, 9, 1, tzinfo=UTC),
                    )
                )
        laureates = _bulk(Laureate, rows)
        through = Laureate.qpvs.through
        _bulk(
            through,
            [
                through(laureate_id=laureate.pk, qpv_id=qpv)
                for laureate in laureates
                for qpv in self.qpvs_of.get(laureate.commune_id, [])[:1]
            ],
        )

    # --- network --------------------------------------------------------------------------
    def meeting(self) -> None:
        starts = self.now + timedelta(days=28)
        meeting = Meeting.objects.create(
            title=f"Rencontre du réseau {CURRENT_YEAR}",
            slug=f"rencontre-{CURRENT_YEAR}",
            year=CURRENT_YEAR,
            state=MeetingState.PUBLISHED,
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),
            place_name="Hôtel de territoire",
            address="2 avenue Youri-Gagarine, 94400 Vitry-sur-Seine",
            # Full, with a twentieth of the registrations on the waitlist.
            capacity=max(1, _scaled(REGISTRATIONS, self.scale) * 19 // 20),
            registration_opens_at=self.now - timedelta(days=30),
            registration_closes_at=starts - timedelta(days=2),
            published_at=self.now - timedelta(days=30),
        )
        count = _scaled(REGISTRATIONS, self.scale)
        _bulk(
            Registration,
            [
                Registration(
                    meeting=meeting,
                    first_name="Invité",
                    last_name=f"n° {index}",
                    email=f"invite{index}@bench.test",
                    organisation=f"Association n° {index}",
                    state=RegistrationState.CONFIRMED
                    if index <= meeting.capacity
                    else RegistrationState.WAITLISTED,
                    checkin_code=f"B{index:08d}"[:9],
                    confirmed_at=self.now,
                    waitlisted_at=self.now + timedelta(seconds=index)
                    if index > meeting.capacity
                    else None,
                )
                for index in range(1, count + 1)
            ],
        )


def generate(*, scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    """Fill an empty database (territory loaded) with the benchmark's rows; return counts."""
    if Project.objects.exists() or User.objects.exists():
        raise RuntimeError(
            "La base n'est pas vide : le jeu du banc d'essai va dans une base neuve."
        )
    generator = _Generator(scale, seed)
    with transaction.atomic():
        generator.people()
        generator.editions()
        generator.projects()
        generator.jury()
        generator.laureates()
        generator.meeting()
    return {
        "projets": Project.objects.count(),
        "lauréats": Laureate.objects.count(),
        "évaluations": Evaluation.objects.count(),
        "auditions (séance en cours)": Audition.objects.filter(
            session__edition__year=CURRENT_YEAR
        ).count(),
        "inscriptions": Registration.objects.count(),
        "événements": Event.objects.count(),
    }
