"""Demo projects in every state, with coaching notes and messages."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Association, Commune, Qpv, User
from core.mail import muted
from submissions import services
from submissions.enums import BudgetSide, CoachingKind, Visibility
from submissions.models import BudgetLine, Edition, Project

PARIS = ZoneInfo("Europe/Paris")
DEMO_BASE_URL = "http://127.0.0.1:8000/"

# title, association email, commune, QPV code, themes, the moves to replay
DEMO_PROJECTS = [
    (
        "Potager des enfants d'Ivry Port",
        "asso.alpha",
        "Ivry-sur-Seine",
        "QN09408M",
        ["environnement"],
        [],
    ),
    ("Café des parents", "asso.alpha", "Ivry-sur-Seine", "QN09408M", ["lien_social"], ["propose"]),
    (
        "Atelier vélo solidaire",
        "asso.alpha",
        "Vitry-sur-Seine",
        "QN09410M",
        ["environnement", "ess"],
        ["propose", "take_into_coaching"],
    ),
    (
        "Repair café du Noyer Renard",
        "asso.beta",
        "Athis-Mons",
        "QN09127M",
        ["ess"],
        ["propose", "take_into_coaching", "mark_ready"],
    ),
    (
        "Fresque participative Gagarine",
        "asso.alpha",
        "Ivry-sur-Seine",
        "QN09407I",
        ["culture"],
        ["propose", "take_into_coaching", "mark_ready", "deposit"],
    ),
    (
        "Radio des jeunes",
        "asso.beta",
        "Athis-Mons",
        "QN09128M",
        ["education", "numerique"],
        ["propose", "take_into_coaching", "mark_ready", "deposit", "declare_eligible", "shortlist"],
    ),
    (
        "Cuisine partagée des Grands Champs",
        "asso.alpha",
        "Thiais",
        "QN09441N",
        ["lien_social", "sante"],
        ["propose", "take_into_coaching", "mark_ready", "deposit", "declare_eligible", "shortlist"],
    ),
    (
        "Fablab des Combattants",
        "asso.alpha",
        "Vitry-sur-Seine",
        "QN09445N",
        ["numerique", "education"],
        ["propose", "take_into_coaching", "mark_ready", "deposit", "declare_eligible", "shortlist"],
    ),
    (
        "Chorale des Lozaits",
        "asso.alpha",
        "Villejuif",
        "QN09417M",
        ["culture", "lien_social"],
        ["propose", "take_into_coaching", "mark_ready", "deposit", "declare_eligible"],
    ),
    (
        "Tournoi de quartier",
        "asso.beta",
        "Athis-Mons",
        "QN09139N",
        ["sport"],
        ["propose", "take_into_coaching", "mark_ready", "deposit", "declare_ineligible"],
    ),
    (
        "Bibliothèque de rue",
        "asso.alpha",
        "Ivry-sur-Seine",
        "QN09409M",
        ["culture", "education"],
        ["propose", "withdraw"],
    ),
    (
        "Jardin des Sorbiers",
        "asso.alpha",
        "Chevilly-Larue",
        "QN09442N",
        ["environnement"],
        ["propose"],
    ),
]

COMMENTS = {
    "declare_ineligible": "Le projet ne concerne aucun habitant d'un quartier prioritaire.",
    "send_back": "Le budget est à revoir.",
}


def _current_year() -> int:
    """The edition whose deposits are still open: deadlines fall early in June."""
    today = timezone.localdate()
    return today.year if today < datetime.date(today.year, 6, 5) else today.year + 1


def _weekday_after(day: datetime.date) -> datetime.date:
    """The first Tuesday on or after that day: juries sit on working days."""
    return day + datetime.timedelta(days=(1 - day.weekday()) % 7)


def _edition(coordinator: User) -> Edition:
    """Last year's edition, archived, and this year's, open: both moved by their workflow."""
    year = _current_year()
    previous, created = Edition.objects.get_or_create(
        year=year - 1,
        defaults={
            "title": f"Label Actions Innovantes {year - 1}",
            "opens_on": datetime.date(year - 2, 9, 1),
            "deposit_deadline": datetime.datetime(year - 1, 6, 5, 18, 0, tzinfo=PARIS),
            "budget_envelope": Decimal("55000"),
        },
    )
    if created:
        for name in ["open", "close", "archive"]:
            services.edition_transition(edition=previous, actor=coordinator, name=name)
    edition, created = Edition.objects.get_or_create(
        year=year,
        defaults={
            "title": f"Label Actions Innovantes {year}",
            "opens_on": datetime.date(year - 1, 9, 1),
            "deposit_deadline": datetime.datetime(year, 6, 5, 18, 0, tzinfo=PARIS),
            "jury_starts_on": _weekday_after(datetime.date(year, 6, 20)),
            "jury_ends_on": datetime.date(year, 6, 30),
            "results_on": datetime.date(year, 7, 10),
            "budget_envelope": Decimal("60000"),
        },
    )
    if created:
        services.edition_transition(edition=edition, actor=coordinator, name="open")
    return edition


def _fill(project: Project, commune: Commune, qpv_code: str, themes: list[str]) -> None:
    project.summary = f"{project.title} : un projet imaginé et porté par les habitants."
    project.commune = commune
    project.themes = themes
    project.need = "Les habitants manquent d'un lieu et d'une activité pour se retrouver."
    project.innovation = "Le projet est conçu et animé par les habitants eux-mêmes."
    project.involvement = "Un comité d'habitants se réunit chaque mois et décide."
    project.target_public = "Familles et jeunes du quartier"
    project.expected_people = 120
    project.partners = "Centre social, bailleur, service jeunesse de la ville"
    project.calendar = "Lancement au printemps, bilan à la fin de l'année"
    project.amount_requested = Decimal("4000")
    project.save()
    project.qpvs.set(Qpv.objects.filter(code=qpv_code))
    lines = [
        (BudgetSide.CHARGE, "60", "", "Matériel", Decimal("2500")),
        (BudgetSide.CHARGE, "64", "", "Animation", Decimal("3500")),
        (BudgetSide.INCOME, "74", "ept", "Label Actions Innovantes", Decimal("4000")),
        (BudgetSide.INCOME, "74", "commune", "Ville", Decimal("1500")),
        (BudgetSide.INCOME, "70", "", "Participation des familles", Decimal("500")),
    ]
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            side=side,
            account=account,
            funder=funder,
            label=label,
            amount=amount,
            position=position,
        )
        for position, (side, account, funder, label, amount) in enumerate(lines)
    )


def _actor(name: str, project: Project, members: dict, coordinator: User) -> User:
    if name in {"propose", "deposit", "withdraw"}:
        return members[project.association_id]
    if name in {"declare_eligible", "declare_ineligible", "shortlist"}:
        return coordinator
    officer = User.objects.filter(officer_contract=project.city_contract).first()
    return officer or coordinator


@transaction.atomic
def seed_projects() -> int:
    """Create the demo projects once; a second run changes nothing."""
    coordinator = User.objects.get(email="coordination@demo.test")
    _edition(coordinator)
    if Project.objects.filter(association__members__email__endswith="@demo.test").exists():
        return Project.objects.count()
    members = {}
    for association in Association.objects.filter(members__email__endswith="@demo.test"):
        members[association.pk] = association.members.order_by("pk").first()
    chevilly = Commune.objects.get(name="Chevilly-Larue")
    with muted():
        for title, who, commune_name, qpv_code, themes, moves in DEMO_PROJECTS:
            member = User.objects.get(email=f"{who}@demo.test")
            association = member.associations.first()
            project = services.project_create(association=association, actor=member, title=title)
            _fill(project, Commune.objects.get(name=commune_name), qpv_code, themes)
            for name in moves:
                project.refresh_from_db()
                services.project_transition(
                    project=project,
                    actor=_actor(name, project, members, coordinator),
                    name=name,
                    comment=COMMENTS.get(name, ""),
                )
                project.refresh_from_db()
                if name == "take_into_coaching":
                    officer = _actor(name, project, members, coordinator)
                    services.coaching_entry_add(
                        project=project,
                        actor=officer,
                        kind=CoachingKind.MEETING,
                        happened_on=datetime.date(2026, 10, 14),
                        text="Premier rendez-vous : le besoin est bien posé, le budget à préciser.",
                        next_steps="Envoyer deux devis pour le matériel.",
                        visibility=Visibility.SHARED,
                    )
                    services.coaching_entry_add(
                        project=project,
                        actor=officer,
                        kind=CoachingKind.CALL,
                        happened_on=datetime.date(2026, 10, 20),
                        text="Point avec le bailleur : accord de principe pour le local.",
                        next_steps="",
                        visibility=Visibility.INTERNAL,
                    )
                    services.message_post(
                        project=project,
                        actor=member,
                        body="Bonjour, voici nos premières idées pour le calendrier.",
                    )
            if project.commune == chevilly:
                services.message_post(
                    project=project,
                    actor=member,
                    body="Bonjour, à qui devons-nous nous adresser pour ce projet ?",
                )
    return Project.objects.count()
