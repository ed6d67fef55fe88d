"""Demo people and associations (never created in production)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.enums import AssociationKind
from accounts.models import Association, CityContract, Commune, Membership, Qpv, User

DEMO_PASSWORD = "demo-label-2026"  # noqa: S105 - published in the README, demo only

DEMO_ASSOCIATIONS: list[dict[str, Any]] = [
    {
        "email": "asso.alpha@demo.test",
        "first_name": "Awa",
        "last_name": "Diallo",
        "association": "Association Alpha — Jardins partagés d'Ivry Port",
        "kind": AssociationKind.ASSOCIATION,
        "commune": "94041",
        "qpvs": ["QN09408M"],
        "rna": "W941000001",
        "postcode": "94200",
    },
    {
        "email": "asso.beta@demo.test",
        "first_name": "Karim",
        "last_name": "Benali",
        "association": "Collectif Beta — Habitants du Noyer Renard",
        "kind": AssociationKind.COLLECTIVE,
        "commune": "91027",
        "qpvs": ["QN09127M"],
        "rna": "",
        "postcode": "91200",
    },
]


def _person(email: str, first_name: str, last_name: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email_confirmed_at": timezone.now(),
            **fields,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    else:
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
    return user


@transaction.atomic
def seed_people() -> dict[str, int]:
    """Create the demo accounts of DESIGN.md; running it twice changes nothing."""
    _person("coordination@demo.test", "Claire", "Moreau", is_coordinator=True, is_staff=True)
    for contract in CityContract.objects.order_by("code"):
        email = f"chef.{contract.slug}@demo.test"
        _person(email, "Chef de projet", contract.short_name, officer_contract=contract)
        if not contract.officer_email:
            contract.officer_name = f"Chef de projet {contract.short_name} (démo)"
            contract.officer_email = email
            contract.officer_phone = "01 78 18 22 22"
            contract.save(update_fields=["officer_name", "officer_email", "officer_phone"])
    for number in range(1, 6):
        _person(f"jury{number}@demo.test", "Juré", f"n° {number}", is_juror=True)
    for spec in DEMO_ASSOCIATIONS:
        user = _person(spec["email"], spec["first_name"], spec["last_name"])
        association, _created = Association.objects.get_or_create(
            name=spec["association"],
            defaults={
                "kind": spec["kind"],
                "commune": Commune.objects.get(insee=spec["commune"]),
                "rna": spec["rna"],
                "postcode": spec["postcode"],
                "contact_email": spec["email"],
            },
        )
        association.qpvs.set(Qpv.objects.filter(code__in=spec["qpvs"]))
        Membership.objects.get_or_create(user=user, association=association)
    return {"people": User.objects.filter(email__endswith="@demo.test").count()}
