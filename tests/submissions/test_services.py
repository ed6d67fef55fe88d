import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import CityContract, Commune
from core.models import Event
from core.stale import StaleWrite
from submissions import services
from submissions.deposit import content_hash
from submissions.enums import ProjectState
from submissions.models import (
    BudgetLine,
    CoachingEntry,
    DepositSnapshot,
    Message,
    Project,
    ThreadRead,
)
from submissions.workflows import PROJECT
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import EditionFactory, ProjectFactory

PREFIX = "[Label Actions Innovantes] "

TRANSITIONS = {t.name: t for t in PROJECT.transitions}
INTERNAL_TRANSITIONS = {t.name for t in PROJECT.transitions if t.internal}


@dataclass
class People:
    member: object
    treasurer: object
    officer: object
    coordinator: object
    other_member: object
    other_officer: object
    juror: object


@pytest.fixture
def people(db):
    """Who stands around a project of an association of Ivry-sur-Seine (Seine Amont)."""
    association = AssociationFactory(name="Les Ateliers du Port")
    return People(
        member=member_of(association, email="membre@ateliers.test"),
        treasurer=member_of(association, email="tresoriere@ateliers.test"),
        officer=UserFactory(officer=True, email="chef@seine-amont.test"),
        coordinator=UserFactory(coordinator=True, email="coordination@gosb.test"),
        other_member=member_of(AssociationFactory(), email="voisin@autre-asso.test"),
        other_officer=UserFactory(
            officer_contract=CityContract.objects.get(code="CV355"),
            email="chef@val-de-bievre.test",
        ),
        juror=UserFactory(juror=True, email="jure@exemple.test"),
    )


def _project(people, state, **kwargs):
    association = people.member.memberships.get().association
    return ProjectFactory(
        association=association, complete=True, title="Cuisines du monde", **{state: True}, **kwargs
    )


def _transition(project, actor, name, comment=""):
    return services.project_transition(project=project, actor=actor, name=name, comment=comment)


def _events(project):
    return list(
        Event.objects.for_object(project).values_list(
            "action", "actor__email", "from_state", "to_state", "reason"
        )
    )


def _project_url(project):
    return "http://testserver" + reverse("submissions:project_detail", args=[project.pk])


# --- every transition of the table, in its success case ---------------------------------

MEMBERS = ["membre@ateliers.test", "tresoriere@ateliers.test"]

# name, source trait, actor, comment, new state, state label in the mail, recipients
SUCCESS_CASES = [
    ("propose", "draft", "member", "", "proposed", "proposé", ["chef@seine-amont.test"]),
    ("take_into_coaching", "proposed", "officer", "", "coaching", "en accompagnement", MEMBERS),
    ("take_into_coaching", "proposed", "coordinator", "", "coaching", "en accompagnement", MEMBERS),
    ("mark_ready", "coaching", "officer", "", "ready", "prêt au dépôt", MEMBERS),
    ("mark_ready", "coaching", "coordinator", "", "ready", "prêt au dépôt", MEMBERS),
    (
        "send_back",
        "ready",
        "member",
        "Nous voulons revoir le budget.",
        "coaching",
        "en accompagnement",
        ["chef@seine-amont.test", "tresoriere@ateliers.test"],
    ),
    (
        "send_back",
        "ready",
        "officer",
        "Il manque le devis du traiteur.",
        "coaching",
        "en accompagnement",
        MEMBERS,
    ),
    (
        "send_back",
        "ready",
        "coordinator",
        "Le calendrier dépasse l'année.",
        "coaching",
        "en accompagnement",
        ["chef@seine-amont.test", *MEMBERS],
    ),
    (
        "deposit",
        "ready",
        "member",
        "",
        "deposited",
        "déposé",
        ["chef@seine-amont.test"],
    ),
    ("withdraw", "coaching", "member", "", "withdrawn", "retiré", ["chef@seine-amont.test"]),
    ("withdraw", "eligible", "member", "", "withdrawn", "retiré", ["chef@seine-amont.test"]),
    (
        "declare_ineligible",
        "deposited",
        "coordinator",
        "Aucun quartier prioritaire n'est concerné.",
        "ineligible",
        "irrecevable",
        MEMBERS,
    ),
    (
        "declare_ineligible",
        "eligible",
        "coordinator",
        "Le budget dépasse le plafond du label.",
        "ineligible",
        "irrecevable",
        MEMBERS,
    ),
    ("shortlist", "eligible", "coordinator", "", "shortlisted", "retenu pour audition", MEMBERS),
    ("declare_eligible", "deposited", "coordinator", "", "eligible", "recevable", MEMBERS),
]


def test_success_cases_cover_every_transition_of_the_table():
    # The jury's outcome has its own tests below: it only moves by publication.
    assert {case[0] for case in SUCCESS_CASES} == set(TRANSITIONS) - INTERNAL_TRANSITIONS


def test_success_cases_cover_every_source_state_of_the_table():
    # Withdrawal is tried from each of its sources in test_withdraw_from_every_source_state.
    expected = {
        (name, str(source))
        for name, transition in TRANSITIONS.items()
        if name not in INTERNAL_TRANSITIONS | {"withdraw"}
        for source in transition.sources
    }
    assert {(case[0], case[1]) for case in SUCCESS_CASES if case[0] != "withdraw"} == expected


@pytest.mark.parametrize(
    ("name", "source", "who", "comment", "target", "label", "recipients"), SUCCESS_CASES
)
def test_transition_succeeds_records_one_event_and_mails_those_concerned(
    people,
    django_capture_on_commit_callbacks,
    mailoutbox,
    name,
    source,
    who,
    comment,
    target,
    label,
    recipients,
):
    EditionFactory(open=True, year=2026)
    project = _project(people, source)
    actor = getattr(people, who)

    with django_capture_on_commit_callbacks(execute=True):
        returned = _transition(project, actor, name, comment)

    project.refresh_from_db()
    assert returned.state == target
    assert project.state == target
    assert project.version == 2
    assert _events(project) == [(name, actor.email, source, target, comment)]
    # A deposit also sends the receipt to the members (checked in its own test).
    transition_mails = [m for m in mailoutbox if "Accusé de dépôt" not in m.subject]
    # One mail per person: each follows their own choices (notifications.services.notify).
    assert sorted(m.to for m in transition_mails) == sorted([address] for address in recipients)
    mail = transition_mails[0]
    assert mail.subject == f"{PREFIX}Cuisines du monde : {label}"
    assert (
        f"Le projet « Cuisines du monde » (Les Ateliers du Port) est maintenant : {label}."
        in mail.body
    )
    assert f"Action : {TRANSITIONS[name].label}, par {actor.get_full_name()}." in mail.body
    assert _project_url(project) in mail.body
    if comment:
        assert f"Motif ou commentaire :\n{comment}" in mail.body
    else:
        assert "Motif ou commentaire" not in mail.body


# --- refusals: wrong state, wrong actor, missing comment ------------------------------

WRONG_STATE_CASES = [
    ("propose", "proposed", "member", "Proposé"),
    ("take_into_coaching", "draft", "coordinator", "Brouillon"),
    ("take_into_coaching", "coaching", "officer", "En accompagnement"),
    ("mark_ready", "proposed", "officer", "Proposé"),
    ("send_back", "coaching", "officer", "En accompagnement"),
    ("deposit", "coaching", "member", "En accompagnement"),
    ("deposit", "deposited", "member", "Déposé"),
    ("withdraw", "ineligible", "member", "Irrecevable"),
    ("withdraw", "withdrawn", "member", "Retiré"),
    ("declare_ineligible", "ready", "coordinator", "Prêt au dépôt"),
    ("declare_ineligible", "shortlisted", "coordinator", "Retenu pour audition"),
    ("shortlist", "ineligible", "coordinator", "Irrecevable"),
    # Eligibility is examined first: a deposited dossier is not shortlisted directly.
    ("shortlist", "deposited", "coordinator", "Déposé"),
    ("declare_eligible", "eligible", "coordinator", "Recevable"),
    ("declare_eligible", "ineligible", "coordinator", "Irrecevable"),
]


@pytest.mark.parametrize(("name", "source", "who", "state_label"), WRONG_STATE_CASES)
def test_transition_from_a_wrong_state_is_refused_and_changes_nothing(
    people, django_capture_on_commit_callbacks, mailoutbox, name, source, who, state_label
):
    EditionFactory(open=True, year=2026)
    project = _project(people, source)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, getattr(people, who), name, comment="Un motif.")

    project.refresh_from_db()
    assert refused.value.messages == [f"Impossible : le projet est « {state_label} »."]
    assert project.state == source
    assert project.version == 1
    assert _events(project) == []
    assert mailoutbox == []


WRONG_ACTOR_CASES = [
    ("propose", "draft", "other_member"),
    ("propose", "draft", "officer"),
    ("propose", "draft", "coordinator"),
    ("propose", "draft", "juror"),
    ("take_into_coaching", "proposed", "member"),
    ("take_into_coaching", "proposed", "other_officer"),
    ("take_into_coaching", "proposed", "juror"),
    ("mark_ready", "coaching", "member"),
    ("mark_ready", "coaching", "other_officer"),
    ("mark_ready", "coaching", "juror"),
    ("send_back", "ready", "other_member"),
    ("send_back", "ready", "other_officer"),
    ("send_back", "ready", "juror"),
    ("deposit", "ready", "officer"),
    ("deposit", "ready", "coordinator"),
    ("deposit", "ready", "other_member"),
    ("withdraw", "coaching", "officer"),
    ("withdraw", "coaching", "coordinator"),
    ("withdraw", "coaching", "other_member"),
    ("declare_ineligible", "deposited", "officer"),
    ("declare_ineligible", "deposited", "member"),
    ("declare_ineligible", "deposited", "juror"),
    ("shortlist", "eligible", "officer"),
    ("shortlist", "eligible", "member"),
    ("shortlist", "eligible", "juror"),
    ("declare_eligible", "deposited", "officer"),
    ("declare_eligible", "deposited", "member"),
]


def test_wrong_actor_cases_cover_every_transition_of_the_table():
    assert {case[0] for case in WRONG_ACTOR_CASES} == set(TRANSITIONS) - INTERNAL_TRANSITIONS


@pytest.mark.parametrize(("name", "source", "who"), WRONG_ACTOR_CASES)
def test_transition_by_a_wrong_actor_is_refused_and_changes_nothing(
    people, django_capture_on_commit_callbacks, mailoutbox, name, source, who
):
    EditionFactory(open=True, year=2026)
    project = _project(people, source)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, getattr(people, who), name, comment="Un motif.")

    project.refresh_from_db()
    assert refused.value.messages == ["Vous ne pouvez pas faire cette action."]
    assert project.state == source
    assert _events(project) == []
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("name", "source", "who", "comment"),
    [
        ("send_back", "ready", "officer", ""),
        ("send_back", "ready", "member", "   \n"),
        ("declare_ineligible", "deposited", "coordinator", ""),
    ],
)
def test_transition_needing_a_comment_without_one_is_refused(
    people, django_capture_on_commit_callbacks, mailoutbox, name, source, who, comment
):
    project = _project(people, source)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, getattr(people, who), name, comment=comment)

    project.refresh_from_db()
    assert refused.value.message_dict == {"comment": ["Indiquez le motif."]}
    assert project.state == source
    assert _events(project) == []
    assert mailoutbox == []


def test_transition_needing_a_comment_records_it_stripped(people):
    project = _project(people, "ready")

    _transition(project, people.officer, "send_back", comment="  Il manque le devis.  \n")

    assert _events(project) == [
        ("send_back", "chef@seine-amont.test", "ready", "coaching", "Il manque le devis.")
    ]


# --- propose -----------------------------------------------------------------------------


def test_propose_routes_the_project_to_the_contract_of_its_commune(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    UserFactory(officer=True, email="adjointe@seine-amont.test")
    project = _project(people, "draft")

    with django_capture_on_commit_callbacks(execute=True):
        _transition(project, people.member, "propose")

    project.refresh_from_db()
    assert project.city_contract == CityContract.objects.get(code="CV357")
    assert project.city_contract.short_name == "Seine Amont"
    assert project.proposed_at is not None
    assert [mail.to for mail in mailoutbox] == [
        ["adjointe@seine-amont.test"],
        ["chef@seine-amont.test"],
    ]


def test_propose_in_a_commune_without_contract_goes_to_the_coordinators(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    UserFactory(coordinator=True, email="direction@gosb.test")
    chevilly = Commune.objects.get(name="Chevilly-Larue")
    project = _project(people, "draft", commune=chevilly)

    with django_capture_on_commit_callbacks(execute=True):
        _transition(project, people.member, "propose")

    project.refresh_from_db()
    assert project.state == ProjectState.PROPOSED
    assert project.city_contract is None
    assert [qpv.name for qpv in project.qpvs.all()] == ["Les Sorbiers - Lallier"]
    assert [mail.to for mail in mailoutbox] == [["coordination@gosb.test"], ["direction@gosb.test"]]
    assert mailoutbox[0].subject == f"{PREFIX}Cuisines du monde : proposé"
    assert (
        "La commune du projet ne relève d'aucun contrat de ville : la coordination doit "
        "l'attribuer à un chef de projet." in mailoutbox[0].body
    )


def test_propose_with_only_a_title_a_commune_and_a_summary_succeeds(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    association = people.member.memberships.get().association
    project = ProjectFactory(
        association=association,
        title="Cuisines du monde",
        summary="Des ateliers de cuisine au pied des immeubles.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        _transition(project, people.member, "propose")

    project.refresh_from_db()
    assert project.state == ProjectState.PROPOSED
    assert project.city_contract.short_name == "Seine Amont"
    assert project.need == ""
    assert project.budget_lines.count() == 0
    assert _events(project) == [("propose", "membre@ateliers.test", "draft", "proposed", "")]
    assert [mail.to for mail in mailoutbox] == [["chef@seine-amont.test"]]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"summary": ""}, "Pour proposer le projet, indiquez d'abord : un court résumé."),
        ({"commune": None}, "Pour proposer le projet, indiquez d'abord : la commune."),
        (
            {"title": "  ", "commune": None, "summary": " \n"},
            "Pour proposer le projet, indiquez d'abord : le titre, la commune, un court résumé.",
        ),
    ],
)
def test_propose_without_title_commune_or_summary_is_refused_naming_them(
    people, django_capture_on_commit_callbacks, mailoutbox, fields, message
):
    association = people.member.memberships.get().association
    project = ProjectFactory(
        association=association, **{"title": "Cuisines", "summary": "Des ateliers.", **fields}
    )

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, people.member, "propose")

    project.refresh_from_db()
    assert refused.value.messages == [message]
    assert project.state == ProjectState.DRAFT
    assert project.city_contract is None
    assert project.proposed_at is None
    assert _events(project) == []
    assert mailoutbox == []


# --- mark_ready: the whole dossier, balanced --------------------------------------------


def test_mark_ready_with_missing_sections_is_refused_naming_them(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "coaching", need="", calendar="", partners="")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, people.officer, "mark_ready")

    project.refresh_from_db()
    assert refused.value.messages == [
        "Le dossier n'est pas encore complet : Le besoin, Le calendrier. L'association doit "
        "d'abord compléter ces parties (budget équilibré compris)."
    ]
    assert project.state == ProjectState.COACHING
    assert _events(project) == []
    assert mailoutbox == []


def test_mark_ready_with_an_unbalanced_budget_is_refused_naming_the_budget(people):
    project = _project(people, "coaching")
    project.budget_lines.filter(account="70").delete()

    with pytest.raises(services.TransitionRefused) as refused:
        _transition(project, people.coordinator, "mark_ready")

    project.refresh_from_db()
    assert refused.value.messages == [
        "Le dossier n'est pas encore complet : Le budget. L'association doit "
        "d'abord compléter ces parties (budget équilibré compris)."
    ]
    assert project.state == ProjectState.COACHING


# --- deposit -----------------------------------------------------------------------------


def test_deposit_sets_the_edition_and_freezes_a_snapshot(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    edition = EditionFactory(open=True, year=2026)
    project = _project(people, "ready", partners="La maison de quartier.")

    with django_capture_on_commit_callbacks(execute=True):
        _transition(project, people.member, "deposit")

    project.refresh_from_db()
    snapshot = DepositSnapshot.objects.get()
    assert project.edition == edition
    assert project.deposited_at == snapshot.deposited_at
    assert snapshot.project == project
    assert snapshot.edition == edition
    assert snapshot.deposited_by == people.member
    assert snapshot.content_hash == content_hash(snapshot.data)
    assert snapshot.data["title"] == "Cuisines du monde"
    assert snapshot.data["association"]["name"] == "Les Ateliers du Port"
    assert snapshot.data["commune"] == "Ivry-sur-Seine"
    assert snapshot.data["themes"] == ["Culture"]
    assert snapshot.data["partners"] == "La maison de quartier."
    assert snapshot.data["amount_requested"] == "2500.00"
    assert [
        (line["account"], line["funder"], line["amount"]) for line in snapshot.data["budget"]
    ] == [
        ("60", "", "1000.00"),
        ("64", "", "2000.00"),
        ("70", "", "500.00"),
        ("74", "EPT Grand-Orly Seine Bièvre", "2500.00"),
    ]
    receipts = [m for m in mailoutbox if "Accusé de dépôt" in m.subject]
    assert sorted(m.to for m in receipts) == [[address] for address in sorted(MEMBERS)]
    receipt = receipts[0]
    (to_coaches,) = [m for m in mailoutbox if m not in receipts]
    assert "Le dossier est déposé dans l'édition 2026. Il ne peut plus être modifié." in (
        to_coaches.body
    )
    assert receipt.subject == f"{PREFIX}Accusé de dépôt : Cuisines du monde"
    assert snapshot.content_hash in receipt.body
    ((filename, content, mimetype),) = receipt.attachments
    assert (filename, mimetype) == (f"dossier-{project.pk}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")


def test_deposit_a_second_time_is_refused_and_keeps_one_event_and_one_snapshot(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    EditionFactory(open=True, year=2026)
    project = _project(people, "ready")
    with django_capture_on_commit_callbacks(execute=True):
        _transition(project, people.member, "deposit")
    first_hash = DepositSnapshot.objects.get().content_hash

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, people.treasurer, "deposit")

    assert refused.value.messages == ["Impossible : le projet est « Déposé »."]
    assert [event[0] for event in _events(project)] == ["deposit"]
    assert DepositSnapshot.objects.filter(project=project).count() == 1
    assert DepositSnapshot.objects.get().content_hash == first_hash
    # One receipt per member, one mail to the chef de projet.
    assert sorted(mail.subject.split(" : ")[0] for mail in mailoutbox) == [
        f"{PREFIX}Accusé de dépôt",
        f"{PREFIX}Accusé de dépôt",
        f"{PREFIX}Cuisines du monde",
    ]


@pytest.mark.parametrize("edition_state", [None, "preparing", "closed", "archived"])
def test_deposit_without_an_open_edition_is_refused(
    people, django_capture_on_commit_callbacks, mailoutbox, edition_state
):
    if edition_state:
        EditionFactory(state=edition_state, year=2026)
    project = _project(people, "ready")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, people.member, "deposit")

    project.refresh_from_db()
    assert refused.value.messages == ["Aucune édition n'est ouverte au dépôt en ce moment."]
    assert project.state == ProjectState.READY
    assert project.edition is None
    assert DepositSnapshot.objects.exists() is False
    assert _events(project) == []
    assert mailoutbox == []


def test_deposit_after_the_deadline_is_refused(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    EditionFactory(past_deadline=True, year=2026)
    project = _project(people, "ready")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.TransitionRefused) as refused,
    ):
        _transition(project, people.member, "deposit")

    project.refresh_from_db()
    assert refused.value.messages == ["La date limite de dépôt de l'édition 2026 est passée."]
    assert project.state == ProjectState.READY
    assert project.edition is None
    assert project.deposited_at is None
    assert DepositSnapshot.objects.exists() is False
    assert _events(project) == []
    assert mailoutbox == []


def test_the_content_hash_is_the_sha256_of_the_canonical_json():
    # Sorted keys, UTF-8 kept as is: the figure printed on the receipt can be checked by anyone.
    assert content_hash({"titre": "Fête", "b": [1, 2]}) == (
        "7f14e3a13fc31ba58b59e159ef01bc6c88a01a46451f19996050cd15e59fd537"
    )
    assert content_hash({"b": [1, 2], "titre": "Fête"}) == content_hash(
        {"titre": "Fête", "b": [1, 2]}
    )


def test_deposit_before_the_opening_day_names_the_day_in_french(people):
    EditionFactory(open=True, year=2026, opens_on=timezone.localdate() + datetime.timedelta(days=3))
    project = _project(people, "ready")

    with pytest.raises(services.TransitionRefused) as refused:
        _transition(project, people.member, "deposit")

    day = date_format(timezone.localdate() + datetime.timedelta(days=3), "j F Y")
    assert refused.value.messages == [f"Les dépôts de l'édition 2026 ouvrent le {day}."]
    assert re.fullmatch(r"\d{1,2} [a-zéû]+ \d{4}", day)
    project.refresh_from_db()
    assert project.state == ProjectState.READY


# --- withdraw, declare_ineligible, shortlist ---------------------------------------------


@pytest.mark.parametrize("source", sorted(TRANSITIONS["withdraw"].sources))
def test_withdraw_from_every_source_state(people, source):
    project = _project(people, source)

    _transition(project, people.member, "withdraw")

    project.refresh_from_db()
    assert project.state == ProjectState.WITHDRAWN
    assert _events(project) == [("withdraw", "membre@ateliers.test", source, "withdrawn", "")]


def test_declare_ineligible_keeps_the_reason_on_the_project(people):
    project = _project(people, "deposited")

    _transition(project, people.coordinator, "declare_ineligible", comment="Hors territoire.")

    project.refresh_from_db()
    assert project.state == ProjectState.INELIGIBLE
    assert project.review_comment == "Hors territoire."


def test_declare_eligible_moves_the_project_to_eligible_and_says_what_comes_next(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "deposited")

    with django_capture_on_commit_callbacks(execute=True):
        _transition(project, people.coordinator, "declare_eligible")

    project.refresh_from_db()
    assert project.state == ProjectState.ELIGIBLE
    assert project.get_state_display() == "Recevable"
    assert _events(project) == [
        ("declare_eligible", "coordination@gosb.test", "deposited", "eligible", "")
    ]
    assert sorted(m.to for m in mailoutbox) == [[address] for address in sorted(MEMBERS)]
    mail = mailoutbox[0]
    assert (
        "Le dossier est recevable : il remplit les conditions du label. La coordination "
        "choisira ensuite les projets invités à l'audition devant le jury."
    ) in mail.body
    assert "Il ne peut plus être modifié" not in mail.body


# --- project_create ----------------------------------------------------------------------


def test_project_create_by_a_member_starts_a_draft_in_the_association_quartiers(people):
    association = people.member.memberships.get().association
    gagarine = association.commune.qpvs.get(name="Gagarine")
    association.qpvs.add(gagarine)

    project = services.project_create(
        association=association, actor=people.member, title="Jardin partagé"
    )

    assert project.state == ProjectState.DRAFT
    assert project.commune.name == "Ivry-sur-Seine"
    assert project.city_contract is None
    assert list(project.qpvs.all()) == [gagarine]
    assert list(project.changes.values_list("section", "author__email")) == [
        ("creation", "membre@ateliers.test")
    ]


def test_project_create_keeps_only_the_association_quartiers_of_its_commune(people):
    association = people.member.memberships.get().association
    gagarine = association.commune.qpvs.get(name="Gagarine")
    colonel_fabien = Commune.objects.get(name="Vitry-sur-Seine").qpvs.get(code="QN09410M")
    association.qpvs.add(gagarine, colonel_fabien)

    project = services.project_create(
        association=association, actor=people.member, title="Jardin partagé"
    )

    assert project.commune == association.commune
    assert list(project.qpvs.all()) == [gagarine]


def test_project_create_for_another_association_is_refused(people):
    association = people.member.memberships.get().association

    with pytest.raises(ValidationError) as refused:
        services.project_create(
            association=association, actor=people.other_member, title="Jardin partagé"
        )

    assert refused.value.messages == ["Vous n'êtes pas membre de cette association."]
    assert Project.objects.exists() is False


# --- project_section_save ----------------------------------------------------------------


def _save_section(project, actor, section, data, version):
    return services.project_section_save(
        project=project, actor=actor, section=section, data=data, version=version
    )


def test_project_section_save_changes_the_section_and_the_version(people):
    project = _project(people, "coaching")

    _save_section(project, people.treasurer, "besoin", {"need": "Un lieu pour se retrouver."}, 1)

    project.refresh_from_db()
    assert project.need == "Un lieu pour se retrouver."
    assert project.version == 2
    assert project.updated_by == people.treasurer
    assert list(project.changes.values_list("section", "author__email")) == [
        ("besoin", "tresoriere@ateliers.test")
    ]


def test_project_section_save_presentation_sets_the_quartiers(people):
    project = _project(people, "draft")
    ivry_qpvs = list(project.commune.qpvs.order_by("name")[:2])

    _save_section(
        project,
        people.member,
        "presentation",
        {
            "title": "Cuisines du monde à Ivry",
            "summary": "Des ateliers de cuisine.",
            "commune": project.commune,
            "qpvs": ivry_qpvs,
            "themes": ["culture", "lien_social"],
        },
        1,
    )

    project.refresh_from_db()
    assert project.title == "Cuisines du monde à Ivry"
    assert project.themes == ["culture", "lien_social"]
    assert list(project.qpvs.order_by("name")) == ivry_qpvs


def test_project_section_save_refuses_a_quartier_outside_the_chosen_commune(people):
    project = _project(people, "draft")
    ivry_qpv = project.qpvs.get()
    vitry = Commune.objects.get(name="Vitry-sur-Seine")
    colonel_fabien = vitry.qpvs.get(code="QN09410M")

    with pytest.raises(ValidationError) as refused:
        _save_section(
            project,
            people.member,
            "presentation",
            {
                "title": "Cuisines du monde",
                "summary": "Des ateliers.",
                "commune": vitry,
                "qpvs": [colonel_fabien, ivry_qpv],
                "themes": ["culture"],
            },
            1,
        )

    project.refresh_from_db()
    assert refused.value.message_dict == {
        "qpvs": [
            f"Le quartier « {ivry_qpv.name} » n'est pas dans la commune choisie, "
            "Vitry-sur-Seine. Cochez seulement des quartiers de cette commune."
        ]
    }
    assert project.commune.name == "Ivry-sur-Seine"
    assert list(project.qpvs.all()) == [ivry_qpv]
    assert project.version == 1


def test_project_section_save_refuses_quartiers_without_a_commune(people):
    project = _project(people, "draft")

    with pytest.raises(ValidationError) as refused:
        _save_section(
            project,
            people.member,
            "presentation",
            {
                "title": "Cuisines du monde",
                "summary": "Des ateliers.",
                "commune": None,
                "qpvs": list(project.qpvs.all()),
                "themes": ["culture"],
            },
            1,
        )

    assert refused.value.message_dict == {
        "qpvs": ["Choisissez d'abord la commune du projet, puis ses quartiers."]
    }


def test_project_section_save_accepts_a_quartier_shared_with_another_commune(people):
    project = _project(people, "draft")
    kremlin = Commune.objects.get(name="Le Kremlin-Bicêtre")
    shared = kremlin.qpvs.get(code="QN09413M")  # also in Gentilly

    _save_section(
        project,
        people.member,
        "presentation",
        {
            "title": "Cuisines du monde",
            "summary": "Des ateliers.",
            "commune": kremlin,
            "qpvs": [shared],
            "themes": ["culture"],
        },
        1,
    )

    project.refresh_from_db()
    assert list(project.qpvs.all()) == [shared]


def test_project_section_save_with_an_old_version_is_stale_and_changes_nothing(people):
    project = _project(people, "draft")
    _save_section(project, people.member, "besoin", {"need": "Version de Fatou."}, 1)

    with pytest.raises(StaleWrite) as refused:
        _save_section(project, people.treasurer, "besoin", {"need": "Version de Karim."}, 1)

    project.refresh_from_db()
    assert refused.value.code == "stale"
    assert refused.value.messages == [
        "Le dossier a été modifié par quelqu'un d'autre pendant que vous écriviez. "
        "Vos saisies sont conservées : comparez-les avec la version enregistrée, "
        "puis choisissez."
    ]
    assert project.need == "Version de Fatou."
    assert project.version == 2
    assert project.updated_by == people.member
    assert list(project.changes.values_list("author__email", flat=True)) == ["membre@ateliers.test"]


def test_project_section_save_after_deposit_is_refused(people):
    EditionFactory(open=True, year=2026)
    project = _project(people, "ready")
    _transition(project, people.member, "deposit")
    project.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        _save_section(project, people.member, "besoin", {"need": "Un autre besoin."}, 2)

    project.refresh_from_db()
    assert refused.value.messages == [
        "Ce projet est « Déposé » : son dossier ne peut plus être modifié."
    ]
    assert project.need == "Peu de lieux de rencontre entre voisins."
    assert project.version == 2


def test_project_section_save_once_the_creator_account_is_deleted_still_works(people):
    project = _project(people, "draft", created_by=people.treasurer, updated_by=people.treasurer)
    people.treasurer.delete()

    _save_section(project, people.member, "besoin", {"need": "Un lieu pour se retrouver."}, 1)

    project.refresh_from_db()
    assert project.need == "Un lieu pour se retrouver."
    assert project.created_by is None
    assert project.updated_by == people.member


@pytest.mark.parametrize("who", ["officer", "coordinator", "other_member", "juror"])
def test_project_section_save_by_someone_not_of_the_association_is_refused(people, who):
    project = _project(people, "coaching")

    with pytest.raises(ValidationError) as refused:
        _save_section(project, getattr(people, who), "besoin", {"need": "Autre chose."}, 1)

    project.refresh_from_db()
    assert refused.value.messages == ["Vous ne pouvez pas modifier ce projet."]
    assert project.need == "Peu de lieux de rencontre entre voisins."


def test_project_section_save_ignores_fields_outside_the_section(people):
    project = _project(people, "draft")
    association = project.association
    other_association = AssociationFactory()

    _save_section(
        project,
        people.member,
        "besoin",
        {
            "need": "Un lieu pour se retrouver.",
            "state": ProjectState.LAUREATE,
            "association": other_association,
            "association_id": other_association.pk,
            "city_contract": CityContract.objects.get(code="CV355"),
            "review_comment": "Irrecevable.",
            "version": 99,
        },
        1,
    )

    project.refresh_from_db()
    assert project.need == "Un lieu pour se retrouver."
    assert project.state == ProjectState.DRAFT
    assert project.association == association
    assert project.city_contract is None
    assert project.review_comment == ""
    assert project.version == 2


# --- project_budget_save -----------------------------------------------------------------


def _lines(project):
    return list(
        BudgetLine.objects.filter(project=project)
        .order_by("position")
        .values_list("side", "account", "funder", "label", "amount")
    )


def test_project_budget_save_replaces_the_lines(people):
    project = _project(people, "coaching")

    services.project_budget_save(
        project=project,
        actor=people.member,
        lines=[
            {"side": "charge", "account": "61", "label": "Location de salle", "amount": "800"},
            {
                "side": "income",
                "account": "74",
                "funder": "commune",
                "label": "Ville d'Ivry",
                "amount": "800",
            },
        ],
        amount_requested=Decimal("600"),
        version=1,
    )

    project.refresh_from_db()
    assert _lines(project) == [
        ("charge", "61", "", "Location de salle", Decimal("800.00")),
        ("income", "74", "commune", "Ville d'Ivry", Decimal("800.00")),
    ]
    assert project.amount_requested == Decimal("600.00")
    assert project.version == 2
    assert list(project.changes.values_list("section", flat=True)) == ["budget"]


def test_project_budget_save_with_amount_above_total_charges_is_refused(people):
    project = _project(people, "coaching")
    before = _lines(project)

    with pytest.raises(ValidationError) as refused:
        services.project_budget_save(
            project=project,
            actor=people.member,
            lines=[
                {"side": "charge", "account": "60", "label": "Achats", "amount": Decimal("1000")},
                {"side": "income", "account": "70", "label": "Ventes", "amount": Decimal("1000")},
            ],
            amount_requested=Decimal("1500"),
            version=1,
        )

    project.refresh_from_db()
    assert refused.value.message_dict == {
        "amount_requested": [
            "Le montant demandé (1\u00a0500,00 €) dépasse le total des charges (1\u00a0000,00 €)."
        ]
    }
    assert _lines(project) == before
    assert project.amount_requested == Decimal("2500.00")
    assert project.version == 1


def test_project_budget_save_with_a_funder_outside_account_74_is_refused(people):
    project = _project(people, "coaching")
    before = _lines(project)

    with pytest.raises(ValidationError):
        services.project_budget_save(
            project=project,
            actor=people.member,
            lines=[
                {"side": "charge", "account": "60", "label": "Achats", "amount": "1000"},
                {
                    "side": "income",
                    "account": "70",
                    "funder": "etat",
                    "label": "Ventes",
                    "amount": "1000",
                },
            ],
            amount_requested=Decimal("1000"),
            version=1,
        )

    assert _lines(project) == before


def test_project_budget_save_with_an_old_version_is_stale(people):
    project = _project(people, "coaching")
    before = _lines(project)

    with pytest.raises(StaleWrite):
        services.project_budget_save(
            project=project, actor=people.member, lines=[], amount_requested=None, version=0
        )

    assert _lines(project) == before


# --- message_post ------------------------------------------------------------------------


def _post(project, actor, body="Pouvons-nous nous voir jeudi ?"):
    return services.message_post(project=project, actor=actor, body=body)


def test_message_post_by_a_member_mails_the_coaches(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "coaching")

    with django_capture_on_commit_callbacks(execute=True):
        message = _post(project, people.member, "  Pouvons-nous nous voir jeudi ?  ")

    assert message.body == "Pouvons-nous nous voir jeudi ?"
    assert list(Message.objects.values_list("author__email", "body")) == [
        ("membre@ateliers.test", "Pouvons-nous nous voir jeudi ?")
    ]
    assert ThreadRead.objects.filter(project=project, user=people.member).exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["chef@seine-amont.test"]
    assert mailoutbox[0].subject == f"{PREFIX}Cuisines du monde : nouveau message"
    assert (
        f"{people.member.get_full_name()} a écrit au sujet de « Cuisines du monde » :"
        in mailoutbox[0].body
    )
    assert "Pouvons-nous nous voir jeudi ?" in mailoutbox[0].body
    assert _project_url(project) + "#messages" in mailoutbox[0].body


def test_message_post_by_the_officer_mails_the_members(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "coaching")

    with django_capture_on_commit_callbacks(execute=True):
        _post(project, people.officer, "Jeudi 10 h à la maison de quartier.")

    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        ([address], f"{PREFIX}Cuisines du monde : nouveau message") for address in MEMBERS
    ]


def test_message_post_by_a_member_of_a_queue_project_mails_the_coordinators(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "proposed", commune=Commune.objects.get(name="Chevilly-Larue"))

    with django_capture_on_commit_callbacks(execute=True):
        _post(project, people.member)

    assert [mail.to for mail in mailoutbox] == [["coordination@gosb.test"]]


@pytest.mark.parametrize("who", ["other_member", "other_officer", "juror"])
def test_message_post_by_an_outsider_is_refused(
    people, django_capture_on_commit_callbacks, mailoutbox, who
):
    project = _project(people, "coaching")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        _post(project, getattr(people, who))

    assert refused.value.messages == ["Vous ne participez pas à ce projet."]
    assert Message.objects.exists() is False
    assert mailoutbox == []


# --- coaching_entry_add ------------------------------------------------------------------


def _add_entry(project, actor, visibility):
    return services.coaching_entry_add(
        project=project,
        actor=actor,
        kind="meeting",
        happened_on="2026-03-12",
        text="Le budget est à revoir avec le traiteur.",
        next_steps="Envoyer deux devis.",
        visibility=visibility,
    )


def test_coaching_entry_add_shared_mails_the_members(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "coaching")

    with django_capture_on_commit_callbacks(execute=True):
        entry = _add_entry(project, people.officer, "shared")

    assert entry.author == people.officer
    assert list(CoachingEntry.objects.values_list("project", "visibility")) == [
        (project.pk, "shared")
    ]
    assert [mail.to for mail in mailoutbox] == [[address] for address in MEMBERS]
    assert mailoutbox[0].subject == f"{PREFIX}Cuisines du monde : une note de votre chef de projet"
    assert (
        "Votre chef de projet a partagé une note sur « Cuisines du monde » "
        "(rendez-vous du 12 mars 2026) :" in mailoutbox[0].body
    )
    assert "Le budget est à revoir avec le traiteur." in mailoutbox[0].body
    assert "Prochaines étapes :\nEnvoyer deux devis." in mailoutbox[0].body


def test_coaching_entry_add_internal_mails_nobody(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    project = _project(people, "coaching")

    with django_capture_on_commit_callbacks(execute=True):
        _add_entry(project, people.coordinator, "internal")

    assert CoachingEntry.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize("who", ["member", "other_officer", "juror"])
def test_coaching_entry_add_by_someone_else_than_a_coach_is_refused(
    people, django_capture_on_commit_callbacks, mailoutbox, who
):
    project = _project(people, "coaching")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        _add_entry(project, getattr(people, who), "shared")

    assert refused.value.messages == ["Seul le chef de projet écrit dans le suivi."]
    assert CoachingEntry.objects.exists() is False
    assert mailoutbox == []


# --- project_assign ----------------------------------------------------------------------


def test_project_assign_by_a_coordinator_routes_a_queue_project_and_mails_its_officers(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    val_de_bievre = CityContract.objects.get(code="CV355")
    project = _project(people, "proposed", commune=Commune.objects.get(name="Chevilly-Larue"))

    with django_capture_on_commit_callbacks(execute=True):
        services.project_assign(
            project=project,
            actor=people.coordinator,
            city_contract=val_de_bievre,
        )

    project.refresh_from_db()
    assert project.city_contract == val_de_bievre
    assert project.state == ProjectState.PROPOSED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["chef@val-de-bievre.test"]
    assert mailoutbox[0].subject == f"{PREFIX}Nouveau projet à accompagner : Cuisines du monde"
    assert (
        "Le projet « Cuisines du monde » de Les Ateliers du Port (Chevilly-Larue) "
        "relève maintenant de votre contrat de ville : vous l'accompagnez." in mailoutbox[0].body
    )
    # The contract's officer may now take it into coaching.
    _transition(project, people.other_officer, "take_into_coaching")
    project.refresh_from_db()
    assert project.state == ProjectState.COACHING


@pytest.mark.parametrize("who", ["officer", "member", "juror"])
def test_project_assign_by_a_non_coordinator_is_refused(
    people, django_capture_on_commit_callbacks, mailoutbox, who
):
    project = _project(people, "proposed", commune=Commune.objects.get(name="Chevilly-Larue"))

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.project_assign(
            project=project,
            actor=getattr(people, who),
            city_contract=CityContract.objects.get(code="CV357"),
        )

    project.refresh_from_db()
    assert refused.value.messages == ["Seule la coordination attribue les projets."]
    assert project.city_contract is None
    assert mailoutbox == []


# --- a ready dossier edited, an emptied dossier, the queue ---------------------------------


def test_editing_a_ready_dossier_sends_it_back_to_coaching_with_an_event(people):
    project = _project(people, "ready")

    _save_section(project, people.member, "besoin", {"need": "Un besoin précisé."}, 1)

    project.refresh_from_db()
    assert project.state == "coaching"
    assert _events(project) == [
        (
            "edited_when_ready",
            people.member.email,
            "ready",
            "coaching",
            "Dossier modifié par l'association après avoir été marqué prêt.",
        )
    ]


def test_deposit_of_an_emptied_dossier_is_refused_naming_what_is_missing(people):
    EditionFactory(open=True, year=2026)
    project = _project(people, "ready", need="", calendar="")

    with pytest.raises(services.TransitionRefused) as refused:
        _transition(project, people.member, "deposit")

    assert refused.value.messages == ["Le dossier est incomplet : Le besoin, Le calendrier."]
    project.refresh_from_db()
    assert project.state == "ready"


def test_budget_cannot_be_saved_as_a_plain_section(people):
    project = _project(people, "draft")

    with pytest.raises(ValueError):
        _save_section(project, people.member, "budget", {"amount_requested": 99999}, 1)


def test_budget_line_side_follows_its_account(people):
    project = _project(people, "draft")

    services.project_budget_save(
        project=project,
        actor=people.member,
        lines=[
            {"side": "charge", "account": "74", "funder": "ept", "label": "EPT", "amount": 10},
            {"side": "income", "account": "60", "funder": "", "label": "Achats", "amount": 10},
        ],
        amount_requested=10,
        version=project.version,
    )

    assert sorted(project.budget_lines.values_list("account", "side")) == [
        ("60", "charge"),
        ("74", "income"),
    ]


def test_project_assign_records_an_event_and_refuses_a_routed_project(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    from accounts.models import CityContract

    project = _project(people, "proposed", city_contract=None)
    orly = CityContract.objects.get(slug="orly")

    with django_capture_on_commit_callbacks(execute=True):
        services.project_assign(project=project, actor=people.coordinator, city_contract=orly)

    project.refresh_from_db()
    assert project.city_contract == orly
    assert _events(project)[-1] == (
        "assign",
        people.coordinator.email,
        "proposed",
        "proposed",
        "Attribué au contrat de ville Orly.",
    )
    assert mailoutbox == []  # no chef de projet account for Orly in this test
    with pytest.raises(ValidationError):
        services.project_assign(project=project, actor=people.coordinator, city_contract=orly)


@pytest.mark.parametrize(
    ("name", "target"), [("award", "laureate"), ("not_select", "not_selected")]
)
def test_jury_outcome_moves_only_through_the_publication(
    people, django_capture_on_commit_callbacks, mailoutbox, name, target
):
    project = _project(people, "shortlisted")

    with pytest.raises(services.TransitionRefused) as refused:
        _transition(project, people.coordinator, name, "Avis du jury.")
    assert refused.value.messages == [
        "Ce résultat est appliqué par la publication des résultats du jury."
    ]

    with django_capture_on_commit_callbacks(execute=True):
        services.project_transition(
            project=project,
            actor=people.coordinator,
            name=name,
            comment="Avis du jury.",
            publication=True,
        )

    project.refresh_from_db()
    assert project.state == target
    assert _events(project) == [
        (name, people.coordinator.email, "shortlisted", target, "Avis du jury.")
    ]
    # The association hears of it from the results mailing, sent from the outbox.
    assert [mail.to for mail in mailoutbox] == [["chef@seine-amont.test"]]


def test_project_delete_removes_a_draft_and_refuses_anything_else(people):
    from submissions.models import Project

    draft = _project(people, "draft")
    coached = _project(people, "coaching")

    services.project_delete(project=draft, actor=people.member)

    assert Project.objects.filter(pk=draft.pk).exists() is False
    with pytest.raises(ValidationError) as refused:
        services.project_delete(project=coached, actor=people.member)
    assert refused.value.messages == [
        "Seul un brouillon se supprime ; un projet proposé se retire."
    ]
    with pytest.raises(ValidationError):
        services.project_delete(project=_project(people, "draft"), actor=people.officer)


def test_moving_a_proposed_project_to_another_commune_tells_the_new_chef_de_projet(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    from accounts.models import CityContract, Commune

    orly_chef = UserFactory(officer_contract=CityContract.objects.get(slug="orly"))
    project = _project(people, "coaching")
    orly = Commune.objects.get(name="Orly")
    data = {
        "title": project.title,
        "summary": project.summary,
        "commune": orly,
        "qpvs": list(orly.qpvs.all()),
        "themes": project.themes,
    }

    with django_capture_on_commit_callbacks(execute=True):
        _save_section(project, people.member, "presentation", data, project.version)

    project.refresh_from_db()
    assert project.city_contract.slug == "orly"
    (mail,) = mailoutbox
    assert mail.to == [orly_chef.email]
    assert "relève maintenant de votre contrat de ville" in mail.body
    assert _events(project) == [
        (
            "reroute",
            people.member.email,
            "coaching",
            "coaching",
            "Commune changée : le projet suit son contrat de ville.",
        )
    ]


def test_the_project_rules_and_buttons_read_the_workflow(people):
    ready = _project(people, "ready")

    offered = [t.name for t in PROJECT.available(ready, people.member)]

    assert offered == ["send_back", "deposit", "withdraw"]
    assert people.member.has_perm("submissions.change_project", ready)
    for name in offered:
        services.transition_check(project=ready, actor=people.member, name=name)
    with pytest.raises(services.TransitionRefused) as internal:
        services.transition_check(project=ready, actor=people.member, name="edited_when_ready")
    assert internal.value.code == "internal"


def test_a_closed_edition_takes_no_deposit_and_its_moves_are_events(people):
    edition = EditionFactory(open=True, year=2026)
    project = _project(people, "ready")

    services.edition_transition(edition=edition, actor=people.coordinator, name="close")

    with pytest.raises(services.TransitionRefused) as refused:
        _transition(project, people.member, "deposit")
    assert refused.value.messages == ["Aucune édition n'est ouverte au dépôt en ce moment."]
    with pytest.raises(services.TransitionRefused):
        services.edition_transition(edition=edition, actor=people.member, name="archive")
    services.edition_transition(edition=edition, actor=people.coordinator, name="archive")
    assert list(
        Event.objects.for_object(edition).values_list("action", "from_state", "to_state")
    ) == [("close", "open", "closed"), ("archive", "closed", "archived")]
