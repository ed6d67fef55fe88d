"""Load the territory reference data (communes, contrats de ville, QPVs).

The CSV files in ``accounts/data/territoire/`` are the sourced public data
(sources in ``SOURCES.md`` beside them). Loading is idempotent: it updates rows in
place and never touches the chef de projet contacts that coordinators edit.
"""

import csv
import re
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data" / "territoire"
# The 2015-2023 contracts carry the coaching; the CN… codes of the single
# 2024-2030 contract are not separate territories.
COACHING_CONTRACT_PREFIX = "CV"


def _rows(filename: str) -> list[dict]:
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def contract_short_name(name: str) -> str:
    """Return "Seine Amont" for "Contrat de ville Seine Amont (ex-CA Seine Amont)"."""
    short = re.sub(r"\s*\(.*\)\s*$", "", name)
    short = re.sub(r"^Contrat de ville (intercommunal )?", "", short)
    short = re.sub(r"^(du |de |d')", "", short)
    return short.strip()


def _split_communes(text: str, known: dict) -> tuple[list, list[str]]:
    """Split "A;B (+ C, hors GOSB)" into known communes and the names outside."""
    inside, outside = [], []
    for part in re.split(r";", text):
        part = part.strip()
        extra = re.search(r"\(\+\s*([^,)]+)", part)
        if extra:
            outside.append(extra.group(1).strip())
            part = part[: extra.start()].strip()
        if not part:
            continue
        if part in known:
            inside.append(known[part])
        else:
            outside.append(part)
    return inside, outside


@transaction.atomic
def load_territory(apps=None) -> dict[str, int]:
    """Create or update communes, contrats de ville and QPVs; return the counts."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Commune = apps.get_model("accounts", "Commune")
    CityContract = apps.get_model("accounts", "CityContract")
    Qpv = apps.get_model("accounts", "Qpv")

    postcodes = {row["insee"]: row for row in _rows("communes_codes_postaux.csv")}
    communes = {}
    for row in _rows("communes.csv"):
        codes = postcodes[row["insee"]]
        commune, _ = Commune.objects.update_or_create(
            insee=row["insee"],
            defaults={
                "name": row["name"],
                "departement": row["departement"],
                "postcode": codes["code_postal"],
                "other_postcodes": codes["codes_postaux_alt"],
            },
        )
        communes[commune.name] = commune

    contracts = 0
    for row in _rows("contrats_de_ville.csv"):
        if not row["code_anct"].startswith(COACHING_CONTRACT_PREFIX):
            continue
        short_name = contract_short_name(row["name"])
        inside, outside = _split_communes(row["communes"], communes)
        contract, _ = CityContract.objects.update_or_create(
            code=row["code_anct"],
            defaults={
                "name": row["name"],
                "short_name": short_name,
                "slug": slugify(short_name.replace("'", " ")),
                "departement": row["departement"],
                "period": row["period"],
                "communes_outside": ", ".join(outside),
                "source": row["source"],
            },
        )
        for commune in inside:
            if commune.city_contract_id != contract.pk:
                commune.city_contract = contract
                commune.save(update_fields=["city_contract"])
        contracts += 1

    outside_by_qpv: dict[str, list[str]] = {}
    for row in _rows("qpv_communes_insee.csv"):
        if row["commune_in_gosb"] != "yes":
            outside_by_qpv.setdefault(row["code_qpv"], []).append(row["commune"])
    for row in _rows("qpv.csv"):
        inside, _ = _split_communes(row["communes"], communes)
        qpv, _ = Qpv.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "list_year": int(row["list_year"]),
                "communes_outside": ", ".join(outside_by_qpv.get(row["code"], [])),
            },
        )
        qpv.communes.set(inside)

    return {
        "communes": Commune.objects.count(),
        "city_contracts": contracts,
        "qpvs": Qpv.objects.count(),
    }
