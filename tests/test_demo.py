import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from label_portal.demo import seed_demo
from submissions.models import Project
from tests.demo_world import DEMO

# The demo, seeded once for all the tests of a worker that read it (tests/demo_world.py).
demo = DEMO.fixture("demo")


def test_seed_demo_twice_creates_every_account_and_state_once(demo, mailoutbox):
    first = demo["counts"]
    second = seed_demo()

    assert first == second
    emails = set(User.objects.filter(email__endswith="@demo.test").values_list("email", flat=True))
    assert {
        "coordination@demo.test",
        "chef.seine-amont@demo.test",
        "asso.alpha@demo.test",
    } <= emails
    assert {f"jury{n}@demo.test" for n in range(1, 6)} <= emails
    assert len([e for e in emails if e.startswith("chef.")]) == 8
    states = set(Project.objects.values_list("state", flat=True))
    assert states == {
        "draft",
        "proposed",
        "coaching",
        "ready",
        "deposited",
        "eligible",
        "ineligible",
        "shortlisted",
        "withdrawn",
    }
    assert Project.objects.filter(state="proposed", city_contract__isnull=True).count() == 1
    assert mailoutbox == []


def test_seed_demo_prepares_a_jury_session_with_a_conflict_and_partial_scores(demo):
    from jury.models import ConflictDeclaration, Evaluation, JurySession

    session = JurySession.objects.get()
    assert session.state == "open"
    assert sorted(session.members.values_list("user__email", flat=True)) == [
        f"jury{n}@demo.test" for n in range(1, 6)
    ]
    assert session.president.email == "jury1@demo.test"
    assert session.auditions.count() == 3
    conflicts = ConflictDeclaration.objects.filter(has_conflict=True)
    assert list(conflicts.values_list("member__user__email", flat=True)) == ["jury3@demo.test"]
    assert Evaluation.objects.filter(state="submitted").count() == 7
    assert Evaluation.objects.filter(state="draft").count() == 1


def test_demo_accounts_sign_in_with_the_published_password(client, demo):
    response = client.post(
        "/compte/connexion/",
        {"username": "chef.seine-amont@demo.test", "password": "demo-label-2026"},
    )

    assert response.url == "/espace/"


def test_seed_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("seed_demo")


def test_seed_demo_publishes_the_past_editions_2018_to_2025_with_their_laureates(demo):
    from laureates.demo import seed_laureates
    from laureates.models import Laureate, Showcase

    counts = demo["counts"]
    assert seed_laureates() == counts["laureates"] == Laureate.objects.count() == 48

    showcases = Showcase.objects.filter(edition__year__range=(2018, 2025)).order_by("edition__year")
    assert [(s.edition.year, s.state, s.edition.state) for s in showcases] == [
        (year, "published", "archived") for year in range(2018, 2026)
    ]
    assert all(showcase.intro for showcase in showcases)
    counts = {
        year: Laureate.objects.filter(year=year, is_demo=True, is_public=True).count()
        for year in range(2018, 2026)
    }
    assert all(4 <= count <= 8 for count in counts.values()), counts
    demo = Laureate.objects.filter(is_demo=True)
    assert demo.values("commune").distinct().count() >= 15
    amounts = list(demo.values_list("amount_granted", flat=True))
    assert min(amounts) >= 2000 and max(amounts) <= 15000
    assert not demo.filter(qpvs=None).exists()
    real = Laureate.objects.get(is_demo=False, association_name="EMA")
    assert (real.year, real.is_public) == (2018, True)
    alpha = Laureate.objects.get(association__members__email="asso.alpha@demo.test")
    assert alpha.title == "Potager pédagogique d'Ivry Port"
