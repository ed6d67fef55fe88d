"""The network's demo data: the laureates as members, and the other actors of the network."""

from django.db import transaction

from accounts.models import Commune
from network.enums import Audience, MemberKind
from network.models import NetworkMember
from network.services.directory import free_slug, sync_laureate_members
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
