from accounts.models import CityContract, Commune, Qpv
from accounts.territory import contract_short_name, load_territory


def test_territory_has_the_real_counts(db):
    assert Commune.objects.count() == 24
    assert CityContract.objects.count() == 8
    assert Qpv.objects.count() == 36


def test_load_territory_twice_changes_nothing(db):
    contract = CityContract.objects.get(code="CV357")
    contract.officer_name = "Nadia Chef"
    contract.save()

    counts = load_territory()

    assert counts == {"communes": 24, "city_contracts": 8, "qpvs": 36}
    contract.refresh_from_db()
    assert contract.officer_name == "Nadia Chef"


def test_communes_with_a_qpv_but_no_contract_are_chevilly_and_villeneuve_le_roi(db):
    names = set(
        Commune.objects.filter(city_contract__isnull=True, qpvs__isnull=False)
        .distinct()
        .values_list("name", flat=True)
    )
    assert names == {"Chevilly-Larue", "Villeneuve-le-Roi"}


def test_seine_amont_covers_ivry_vitry_and_choisy(db):
    contract = CityContract.objects.get(slug="seine-amont")
    assert sorted(contract.communes.values_list("name", flat=True)) == [
        "Choisy-le-Roi",
        "Ivry-sur-Seine",
        "Vitry-sur-Seine",
    ]


def test_grigny_and_limeil_are_noted_outside_the_territory(db):
    assert CityContract.objects.get(code="CV343").communes_outside == "Grigny"
    qpv = Qpv.objects.get(code="QN09431M")
    assert qpv.communes_outside == "Limeil-Brévannes"
    assert sorted(qpv.communes.values_list("name", flat=True)) == [
        "Valenton",
        "Villeneuve-Saint-Georges",
    ]


def test_paray_vieille_poste_keeps_both_postcodes(db):
    assert Commune.objects.get(insee="91479").postcodes == ["91550", "94390"]


def test_contract_short_name_drops_prefix_and_parenthesis():
    assert contract_short_name("Contrat de ville Seine Amont (ex-CA Seine Amont)") == "Seine Amont"
    assert contract_short_name("Contrat de ville du Val de Bièvre (ex-CA Val de Bièvre)") == (
        "Val de Bièvre"
    )
    assert contract_short_name("Contrat de ville d'Orly") == "Orly"
