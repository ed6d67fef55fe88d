"""The network's demo data: the laureates as members beside the other actors of the network,
this year's meeting, full with a waitlist, and last year's, held."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Association, Commune, User
from core.mail import muted
from core.workflow import transition
from network.enums import Audience, MemberKind
from network.models import Meeting, NetworkMember, ProgrammeItem, Registration
from network.services.directory import free_slug, sync_laureate_members
from network.workflows import MEETING, REGISTRATION
from submissions.enums import Theme

# Invented actors (``is_demo``), each showing another choice of who sees what.
DEMO_ACTORS = [
    {
        "name": "Centre social Balzac (démo)",
        "kind": MemberKind.STRUCTURE,
        "commune": "94081",
        "communes": ["94081"],
        "description": "Accueil des habitants, ateliers de français, aide aux démarches.",
        "themes": [Theme.SOCIAL, Theme.EDUCATION],
        "website": "https://centre-social.demo.test/",
        "contact_name": "Nadia Benali",
        "contact_email": "accueil@centre-social.demo.test",
        "contact_phone": "01 46 80 00 01",
        "contact_audience": Audience.MEMBERS,
    },
    {
        "name": "Fondation Quartiers Solidaires (démo)",
        "kind": MemberKind.PARTNER,
        "commune": None,
        "communes": ["94041", "94054", "91027"],
        "description": "Finance et accompagne des projets d'habitants dans les quartiers.",
        "themes": [Theme.SOCIAL_ECONOMY],
        "website": "https://fondation.demo.test/",
        "contact_name": "Service mécénat",
        "contact_email": "mecenat@fondation.demo.test",
        "contact_audience": Audience.PUBLIC,
    },
    {
        "name": "Régie de quartier Seine Amont (démo)",
        "kind": MemberKind.STRUCTURE,
        "commune": "94041",
        "communes": ["94041", "94081"],
        "description": "Emplois d'insertion autour de l'entretien des espaces communs.",
        "themes": [Theme.EMPLOYMENT, Theme.ENVIRONMENT],
        "contact_name": "Julien Roche",
        "contact_email": "contact@regie.demo.test",
        "contact_audience": Audience.HIDDEN,
    },
    {
        "name": "Chef de projet politique de la ville — Orly (démo)",
        "kind": MemberKind.OFFICER,
        "commune": "94054",
        "communes": ["94054"],
        "description": "Accompagne les associations d'Orly dans leurs projets.",
        "themes": [],
        "contact_name": "Chef de projet Orly",
        "contact_email": "chef.orly@demo.test",
        "contact_phone": "01 78 18 22 22",
        "contact_audience": Audience.MEMBERS,
    },
    {
        "name": "Collectif des jardins partagés (démo)",
        "kind": MemberKind.ASSOCIATION,
        "commune": "94037",
        "communes": ["94037", "94041"],
        "description": "Relie les jardins partagés du territoire.",
        "themes": [Theme.ENVIRONMENT],
        "website": "https://jardins.demo.test/",
        # Shown to the network's members only.
        "listed": False,
        "contact_name": "Lucie Fabre",
        "contact_email": "lucie@jardins.demo.test",
        "contact_audience": Audience.MEMBERS,
    },
]


@transaction.atomic
def seed_network_members() -> int:
    """Make the demo laureates members and add the other actors, once; return the count."""
    sync_laureate_members()
    communes = {commune.insee: commune for commune in Commune.objects.all()}
    for actor in DEMO_ACTORS:
        fields = dict(actor)
        acting = [communes[insee] for insee in fields.pop("communes") if insee in communes]
        seat = fields.pop("commune")
        fields["commune"] = communes.get(seat) if seat else None
        if NetworkMember.objects.filter(name=fields["name"], is_demo=True).exists():
            continue
        member = NetworkMember(**fields, slug=free_slug(fields["name"]), is_demo=True)
        member.full_clean(exclude=["laureates", "communes"])
        member.save()
        member.communes.set(acting)
    return NetworkMember.objects.count()


# --- Meetings ---------------------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
# The current meeting: a few weeks after the seed, small enough to be full.
WEEKS_AHEAD = 4
CAPACITY = 12
WAITLIST = 3

# first name, last name, organisation: the visitors who registered without an account.
VISITORS = [
    ("Fatou", "Sarr", "Centre social Balzac"),
    ("Julien", "Lefèvre", "Maison de quartier des Aviateurs"),
    ("Nadia", "Haddad", "Compagnie Les Ateliers du Soleil"),
    ("Thomas", "Nguyen", "Régie de quartier Orly-Choisy"),
    ("Sophie", "Girard", "Conseil citoyen du Noyer Renard"),
    ("Moussa", "Camara", "Association Sport pour toutes"),
    ("Élodie", "Petit", "Médiathèque Louise-Michel"),
    ("Yacine", "Bouzid", "Amicale des locataires Gagarine"),
    ("Claire", "Rousseau", "Fondation partenaire (mécénat)"),
    ("Issa", "Koné", "Collectif Vélo Solidaire"),
    ("Léa", "Martin", "Association Femmes relais"),
    ("Hugo", "Bernard", "Ressourcerie du Val"),
]
# (account, organisation): the demo accounts who registered, signed in.
ACCOUNTS = [
    ("asso.alpha@demo.test", None),
    ("asso.beta@demo.test", None),
    ("chef.seine-amont@demo.test", "Chef de projet politique de la ville"),
    ("coordination@demo.test", "EPT Grand-Orly Seine Bièvre"),
]
DIETARY = {0: "Végétarien", 3: "Sans porc", 7: "Sans gluten"}
ACCESSIBILITY = {2: "Fauteuil roulant : place près de l'entrée", 9: "Boucle magnétique"}


def _paris(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def _programme(meeting: Meeting, *, workshops: bool) -> list[ProgrammeItem]:
    items = [
        (datetime.time(9, 30), datetime.time(10, 0), "Accueil et café", "", False),
        (
            datetime.time(10, 0),
            datetime.time(11, 15),
            "Plénière : ce que les projets primés ont changé dans les quartiers",
            "Élue du territoire, trois associations lauréates",
            False,
        ),
        (
            datetime.time(11, 30),
            datetime.time(12, 45),
            "Atelier : trouver des financements après le label",
            "Chargée de mission de la coordination",
            workshops,
        ),
        (
            datetime.time(11, 30),
            datetime.time(12, 45),
            "Atelier : mobiliser les habitants dans la durée",
            "Conseil citoyen, centre social",
            workshops,
        ),
        (datetime.time(12, 45), datetime.time(14, 0), "Déjeuner partagé", "", False),
        (
            datetime.time(14, 0),
            datetime.time(16, 0),
            "Forum des projets et restitution des ateliers",
            "Les membres du réseau",
            False,
        ),
    ]
    return [
        ProgrammeItem.objects.create(
            meeting=meeting,
            starts_at=start,
            ends_at=end,
            title=title,
            speakers=speakers,
            is_workshop=is_workshop,
            workshop_capacity=10 if is_workshop else None,
        )
        for start, end, title, speakers, is_workshop in items
    ]


def _meeting(*, day: datetime.date, title: str, intro: str, material: str = "") -> Meeting:
    starts_at = _paris(day, 9, 30)
    return Meeting.objects.create(
        title=title,
        slug=f"rencontre-reseau-{day.year}",
        year=day.year,
        intro=intro,
        starts_at=starts_at,
        ends_at=_paris(day, 16, 30),
        place_name="Hôtel de territoire",
        address="2 avenue Youri-Gagarine, 94400 Vitry-sur-Seine",
        commune=Commune.objects.filter(insee="94081").first(),
        access_notes=(
            "RER C, gare de Vitry-sur-Seine, puis 10 minutes à pied. Salle de plain-pied, "
            "toilettes accessibles, boucle magnétique à l'accueil."
        ),
        capacity=CAPACITY,
        registration_opens_at=starts_at - datetime.timedelta(days=45),
        registration_closes_at=starts_at - datetime.timedelta(days=2),
        ask_dietary=True,
        ask_accessibility=True,
        ask_workshop=True,
        material=material,
        is_demo=True,
    )


def _people() -> list[dict]:
    """The people who register, in the order they registered: accounts, then visitors."""
    people = []
    for email, organisation in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        association = Association.objects.filter(memberships__user=user).first()
        people.append(
            {
                "user": user,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "organisation": organisation or (association.name if association else ""),
            }
        )
    for first, last, organisation in VISITORS:
        email = f"{first}.{last}@exemple.test".lower().replace("é", "e").replace("è", "e")
        people.append(
            {
                "user": None,
                "first_name": first,
                "last_name": last,
                "email": email,
                "organisation": organisation,
            }
        )
    return people


def _register(meeting: Meeting, workshops: list[ProgrammeItem], *, at: datetime.datetime):
    """Register the demo people in order: a seat while there is one, then the waitlist."""
    registrations = []
    for number, person in enumerate(_people()[: CAPACITY + WAITLIST]):
        moment = at + datetime.timedelta(hours=number)
        registration = Registration.objects.create(
            meeting=meeting,
            dietary_needs=DIETARY.get(number, ""),
            accessibility_needs=ACCESSIBILITY.get(number, ""),
            workshop=workshops[number % len(workshops)] if workshops else None,
            confirmed_at=moment,
            waitlisted_at=moment if number >= CAPACITY else None,
            **person,
        )
        move = "seat" if number < CAPACITY else "waitlist"
        registrations.append(transition(REGISTRATION, registration, move, internal=True))
    return registrations


@transaction.atomic
def seed_meetings() -> int:
    """This year's meeting (full, with a waitlist) and last year's (held); once only."""
    if Meeting.objects.filter(is_demo=True).exists():
        return Meeting.objects.count()
    coordinator = User.objects.filter(email="coordination@demo.test").first()
    today = timezone.localdate()
    with muted():
        last_year = datetime.date(today.year - 1, today.month, min(today.day, 28))
        past = _meeting(
            day=last_year,
            title=f"Rencontre annuelle du réseau {last_year.year}",
            intro="La rencontre des lauréats et des partenaires du label, un an de projets.",
            material=(
                "Diaporama de la plénière, compte rendu des ateliers et carte des projets : "
                "demandez-les à label-innovation@grandorlyseinebievre.fr."
            ),
        )
        workshops = [item for item in _programme(past, workshops=True) if item.is_workshop]
        transition(MEETING, past, "publish", actor=coordinator)
        held = _register(past, workshops, at=past.registration_opens_at)
        for number, registration in enumerate(held[:CAPACITY]):
            if number % 4 != 3:  # most came, a few did not
                transition(REGISTRATION, registration, "attend", actor=coordinator)
        day = today + datetime.timedelta(weeks=WEEKS_AHEAD)
        current = _meeting(
            day=day,
            title=f"Rencontre annuelle du réseau {day.year}",
            intro=(
                "Lauréats, partenaires et chefs de projet se retrouvent pour une journée "
                "d'échanges : une plénière, deux ateliers au choix et le forum des projets."
            ),
        )
        workshops = [item for item in _programme(current, workshops=True) if item.is_workshop]
        transition(MEETING, current, "publish", actor=coordinator)
        _register(current, workshops, at=timezone.now() - datetime.timedelta(days=10))
    return Meeting.objects.count()
