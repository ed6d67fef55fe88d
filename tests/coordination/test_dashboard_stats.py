"""The dashboard's figures, checked against a known set of projects (dashboard_world.py)."""

from decimal import Decimal

from coordination import stats
from tests.coordination.dashboard_world import DASHBOARD_WORLD

world = DASHBOARD_WORLD.fixture()


def _scope(world, edition="current", contract=None):
    return stats.Scope(edition=world[edition], contract=world[contract] if contract else None)


def test_funnel_counts_each_project_at_every_stage_it_reached(world):
    counts = {stage.key: value for stage, value in stats.funnel(_scope(world))}

    assert counts == {
        "proposed": 10,
        "coached": 7,
        "deposited": 5,
        "eligible": 3,
        "shortlisted": 2,
        "laureates": 1,
    }


def test_funnel_of_one_contract(world):
    counts = [value for _, value in stats.funnel(_scope(world, contract="seine_amont"))]

    assert counts == [6, 4, 3, 1, 1, 1]


def test_a_project_withdrawn_after_review_counts_up_to_eligible(world):
    b2 = world["projects"]["b2"]

    reached = stats.projects_with_stage().get(pk=b2.pk).reached

    assert (b2.state, reached) == ("withdrawn", stats.STATE_RANK["eligible"])


def test_a_draft_never_counts(world):
    pks = set(stats.scope_projects(_scope(world)).values_list("pk", flat=True))

    assert world["projects"]["draft"].pk not in pks
    assert len(pks) == 10


def test_state_counts(world):
    counts = {state: value for state, _, value in stats.state_counts(_scope(world))}

    assert counts == {
        "proposed": 2,
        "coaching": 1,
        "ready": 1,
        "deposited": 1,
        "eligible": 0,
        "ineligible": 1,
        "shortlisted": 0,
        "not_selected": 1,
        "laureate": 1,
        "completed": 0,
        "withdrawn": 2,
    }


def test_theme_counts_count_a_project_in_each_of_its_themes(world):
    counts = {theme: value for theme, _, value in stats.theme_counts(_scope(world)) if value}

    assert counts == {"culture": 8, "sport": 2, "ess": 1}


def test_qpv_counts(world):
    rows = [(row.code, row.projects) for row in stats.qpv_counts(_scope(world))]

    assert rows == [("QN09401M", 6), ("QN09428M", 3), ("QN09442N", 1)]


def test_amounts_against_the_envelope(world):
    money = stats.amounts(_scope(world))

    assert (money.envelope, money.requested, money.granted) == (
        Decimal("10000"),
        Decimal("11500"),
        Decimal("2500"),
    )
    assert (money.remainder, money.overrun) == (Decimal("7500"), Decimal("0"))


def test_amounts_of_one_contract(world):
    money = stats.amounts(_scope(world, contract="orly"))

    assert (money.requested, money.granted, money.whole_territory) == (
        Decimal("6000"),
        Decimal("0"),
        False,
    )


def test_an_overrun_is_measured(world):
    world["current"].budget_envelope = Decimal("2000")

    money = stats.amounts(_scope(world))

    assert (money.remainder, money.overrun) == (Decimal("-500"), Decimal("500"))
    world["current"].budget_envelope = Decimal("10000")


def test_time_from_proposal_to_deposit_comes_from_the_event_log(world):
    delay = stats.proposal_to_deposit(_scope(world))

    assert delay == stats.Delay(
        count=5,
        median=30.0,
        first_quartile=20.0,
        third_quartile=40.0,
        shortest=10.0,
        longest=50.0,
    )


def test_time_from_proposal_to_deposit_of_one_contract(world):
    delay = stats.proposal_to_deposit(_scope(world, contract="seine_amont"))

    assert (delay.count, delay.median, delay.shortest, delay.longest) == (3, 20.0, 10.0, 30.0)


def test_no_deposit_no_delay(world):
    assert stats.proposal_to_deposit(_scope(world, edition="archived")) == stats.Delay(count=0)


def test_workload_per_contract(world):
    rows = {
        row.label: (
            row.officers,
            row.proposed,
            row.coached,
            row.deposited,
            row.coaching_entries,
            row.waiting,
        )
        for row in stats.workload(_scope(world))
        if row.proposed or row.coached or row.deposited
    }

    assert rows == {
        "Seine Amont": (["Awa Sow"], 1, 1, 3, 3, 2),
        "Orly": (["Léo Roux"], 0, 1, 2, 1, 0),
        "File de la coordination": ([], 1, 0, 0, 0, 1),
    }


def test_workload_of_one_contract_has_its_row_only(world):
    rows = stats.workload(_scope(world, contract="orly"))

    assert [(row.label, row.coached, row.deposited) for row in rows] == [("Orly", 1, 2)]


def test_history_compares_the_editions(world):
    rows = [
        (row.year, row.stages["proposed"], row.deposited, row.laureates, row.requested, row.granted)
        for row in stats.history(_scope(world))
    ]

    assert rows == [
        (2029, 0, 12, 2, Decimal("0"), Decimal("7000")),
        (2030, 2, 2, 1, Decimal("5000"), Decimal("2000")),
        (2031, 10, 5, 1, Decimal("11500"), Decimal("2500")),
    ]


def test_history_of_one_contract_leaves_the_territory_archives_out(world):
    rows = [
        (row.year, row.deposited, row.laureates, row.granted)
        for row in stats.history(_scope(world, contract="seine_amont"))
    ]

    assert rows == [
        (2029, 0, 1, Decimal("3000")),
        (2030, 1, 1, Decimal("2000")),
        (2031, 3, 1, Decimal("2500")),
    ]


def test_history_stops_at_the_chosen_edition(world):
    years = [row.year for row in stats.history(_scope(world, edition="previous"))]

    assert years == [2029, 2030]
