"""What the audit trail records, and that nobody can change it (issue 11, « Audit trail »)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import NoReverseMatch, reverse

from accounts import services as account_services
from accounts.models import Association, CityContract, Membership, User
from core.audit import ACCOUNT, MEMBERSHIP, ROLES, SIGN_IN
from core.exports import export_response
from core.models import Event
from jury import services as jury_services
from jury.enums import Decision
from jury.models import Proposal
from tests.factories import PASSWORD, AssociationFactory, InvitationFactory, UserFactory, member_of
from tests.jury.factories import everyone_present, jury_session

pytestmark = pytest.mark.django_db


def account_events(user, action):
    return list(
        Event.objects.for_object(user).filter(workflow=ACCOUNT.name, action=action).order_by("pk")
    )


# --- Sign-ins ------------------------------------------------------------------------------


def test_a_coordinator_sign_in_is_recorded(client):
    coordinator = UserFactory(coordinator=True, email="claire@exemple.test")

    response = client.post(
        reverse("accounts:login"), {"username": "claire@exemple.test", "password": PASSWORD}
    )

    assert response.status_code == 302
    [event] = account_events(coordinator, SIGN_IN)
    assert (event.actor, event.from_state, event.to_state) == (coordinator, "", "")


def test_an_association_member_sign_in_is_not_recorded(client):
    # Their sign-ins would be personal data kept without purpose (accounts/signals.py).
    member = member_of(AssociationFactory())

    response = client.post(
        reverse("accounts:login"), {"username": member.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert Event.objects.filter(workflow=ACCOUNT.name).count() == 0


def test_a_failed_sign_in_of_a_coordinator_writes_no_entry(client):
    # django-axes keeps the failed attempts (AccessAttempt); the trail does not repeat them.
    UserFactory(coordinator=True, email="claire@exemple.test")

    client.post(reverse("accounts:login"), {"username": "claire@exemple.test", "password": "x"})

    assert Event.objects.count() == 0


# --- Roles and memberships -----------------------------------------------------------------


def test_a_role_change_in_the_admin_is_recorded_with_before_and_after(client):
    superuser = UserFactory(is_superuser=True, is_staff=True, coordinator=True)
    person = UserFactory(first_name="Awa", last_name="Diallo", email="awa@exemple.test")
    client.force_login(superuser)
    orly = CityContract.objects.get(slug="orly")

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": "awa@exemple.test",
            "first_name": "Awa",
            "last_name": "Diallo",
            "phone": "",
            "is_coordinator": "on",
            "officer_contract": orly.pk,
            "is_active": "on",
            "email_confirmed_at_0": "01/01/2026",
            "email_confirmed_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    [event] = account_events(person, ROLES)
    assert event.actor == superuser
    assert event.changes == {
        "is_coordinator": [False, True],
        "officer_contract": [None, "Orly"],
    }
    assert event.reason == "Administration des données."


def test_an_admin_save_that_changes_no_role_records_nothing(client):
    superuser = UserFactory(is_superuser=True, is_staff=True, coordinator=True)
    person = UserFactory(first_name="Awa", last_name="Diallo", email="awa@exemple.test")
    client.force_login(superuser)

    client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": "awa@exemple.test",
            "first_name": "Awa",
            "last_name": "Dialo",
            "phone": "",
            "is_active": "on",
            "email_confirmed_at_0": "01/01/2026",
            "email_confirmed_at_1": "10:00:00",
        },
    )

    assert User.objects.get(pk=person.pk).last_name == "Dialo"
    assert account_events(person, ROLES) == []


def test_memberships_added_and_removed_in_the_admin_are_recorded(client):
    coordinator = UserFactory(coordinator=True)
    association = AssociationFactory(name="Les Jardins d'Ivry")
    leaving = member_of(association)
    joining = UserFactory()
    membership = Membership.objects.get(user=leaving)
    client.force_login(coordinator)

    response = client.post(
        reverse("admin:accounts_association_change", args=[association.pk]),
        {
            "name": association.name,
            "kind": association.kind,
            "commune": association.commune_id,
            "rna": "",
            "siret": "",
            "address": "",
            "postcode": "",
            "contact_email": "",
            "contact_phone": "",
            "website": "",
            "description": "",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": membership.pk,
            "memberships-0-association": association.pk,
            "memberships-0-user": leaving.pk,
            "memberships-0-DELETE": "on",
            "memberships-1-association": association.pk,
            "memberships-1-user": joining.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    [left] = account_events(leaving, MEMBERSHIP)
    [joined] = account_events(joining, MEMBERSHIP)
    assert (left.actor, left.changes) == (
        coordinator,
        {"association": ["Les Jardins d'Ivry", None]},
    )
    assert (joined.actor, joined.changes) == (
        coordinator,
        {"association": [None, "Les Jardins d'Ivry"]},
    )


def test_joining_by_invitation_and_creating_an_association_are_recorded():
    founder = UserFactory()
    association = account_services.association_create(
        actor=founder,
        association=Association(name="Collectif Balzac", commune=AssociationFactory().commune),
    )
    invitation = InvitationFactory(association=association, email="invite@exemple.test")
    invited = UserFactory(email="invite@exemple.test")

    account_services.invitation_accept(invitation=invitation, user=invited)
    # A second click on the link joins nothing more.
    account_services.invitation_accept(invitation=invitation, user=invited)

    assert [e.changes for e in account_events(founder, MEMBERSHIP)] == [
        {"association": [None, "Collectif Balzac"]}
    ]
    [joined] = account_events(invited, MEMBERSHIP)
    assert (joined.actor, joined.changes, joined.reason) == (
        invited,
        {"association": [None, "Collectif Balzac"]},
        "Invitation acceptée.",
    )


def test_seating_and_removing_a_juror_records_the_role_and_the_jury_membership(mailoutbox):
    jury = jury_session(projects=1, jurors=0, opened=False)

    member = jury_services.juror_add(
        session=jury.session,
        actor=jury.coordinator,
        email="nouveau.jure@exemple.test",
        first_name="Nadia",
        last_name="Benali",
        quality="expert_etat",
    )
    jury_services.juror_remove(member=member, actor=jury.coordinator)

    person = member.user
    [roles] = account_events(person, ROLES)
    assert (roles.actor, roles.changes) == (jury.coordinator, {"is_juror": [False, True]})
    session = str(jury.session)
    assert [(e.actor, e.changes) for e in account_events(person, MEMBERSHIP)] == [
        (jury.coordinator, {"séance du jury": [None, session]}),
        (jury.coordinator, {"séance du jury": [session, None]}),
    ]


def test_the_president_seated_with_the_session_is_recorded():
    jury = jury_session(projects=1, jurors=0, opened=False)

    [seated] = account_events(jury.president.user, MEMBERSHIP)
    assert (seated.actor, seated.changes) == (
        jury.coordinator,
        {"séance du jury": [None, str(jury.session)]},
    )


def test_confirming_an_address_records_the_account_activation():
    person = UserFactory(unconfirmed=True)

    account_services.email_confirm(user=person)

    [event] = account_events(person, ROLES)
    assert (event.actor, event.changes, event.reason) == (
        person,
        {"is_active": [False, True]},
        "Adresse e-mail confirmée.",
    )


# --- Evaluations, decisions, publication, exports ------------------------------------------


def test_an_evaluation_amendment_is_recorded_with_the_changed_criteria():
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    jury_services.declaration_save(member=juror, project=project, has_conflict=False, reason="")
    grid = {c.pk: {"value": "4", "comment": ""} for c in jury.criteria}
    evaluation = jury_services.evaluation_save(
        member=juror, project=project, scores=grid, general_comment="", version=None, submit=True
    )
    last = jury.criteria[-1]

    jury_services.evaluation_amend(
        member=juror,
        project=project,
        scores={**grid, last.pk: {"value": "2", "comment": "Peu pérenne"}},
        general_comment="",
        reason="Erreur de saisie.",
        version=evaluation.version,
    )

    [event] = Event.objects.for_object(evaluation).filter(action="amend")
    assert (event.actor, event.reason) == (juror.user, "Erreur de saisie.")
    assert event.changes == {
        f"score:{last.pk}": [
            {"value": "4.0", "comment": ""},
            {"value": "2.0", "comment": "Peu pérenne"},
        ]
    }


def test_a_jury_decision_and_its_change_are_recorded_then_the_publication():
    jury = jury_session(projects=1, jurors=0)
    project = jury.projects[0]

    def propose(decision, amount):
        return jury_services.proposal_save(
            session=jury.session,
            project=project,
            actor=jury.president.user,
            decision=decision,
            amount=Decimal(amount),
            justification="Projet solide.",
        )

    proposal = propose(Decision.LAUREATE, "1500")
    propose(Decision.LAUREATE, "1500")  # the same again: nothing changed, nothing written
    propose(Decision.NOT_SELECTED, "0")

    events = list(Event.objects.for_object(proposal).order_by("pk"))
    assert [(e.workflow, e.action, e.actor, e.changes) for e in events] == [
        (
            "jury-proposal",
            "decide",
            jury.president.user,
            {
                "decision": [None, "laureate"],
                "amount": [None, "1500.00"],
                "justification": [None, "Projet solide."],
            },
        ),
        (
            "jury-proposal",
            "decide",
            jury.president.user,
            {"decision": ["laureate", "not_selected"], "amount": ["1500.00", "0.00"]},
        ),
    ]
    assert Proposal.objects.count() == 1

    jury_services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    jury_services.results_publish(edition=jury.edition, actor=jury.coordinator)

    [published] = Event.objects.for_object(jury.edition).filter(action="publish_results")
    assert (published.actor, published.changes) == (jury.coordinator, {"projets": [None, 1]})
    project.refresh_from_db()
    [decided] = Event.objects.for_object(project).filter(action="not_select")
    assert (decided.actor, decided.from_state, decided.to_state) == (
        jury.coordinator,
        "shortlisted",
        "not_selected",
    )


def test_an_export_is_recorded_with_its_rows_and_columns(rf):
    coordinator = UserFactory(coordinator=True)
    association = AssociationFactory()

    export_response(
        actor=coordinator,
        subject=association,
        what="Membres",
        fmt="csv",
        filename="membres",
        header=["Nom", "E-mail"],
        rows=[["A", "a@exemple.test"], ["B", "b@exemple.test"]],
    )

    [event] = Event.objects.for_object(association)
    assert (event.workflow, event.action, event.actor, event.reason, event.changes) == (
        "export",
        "csv",
        coordinator,
        "Membres",
        {"lignes": [None, 2], "colonnes": [None, ["Nom", "E-mail"]]},
    )


# --- Nobody edits the trail ----------------------------------------------------------------


@pytest.fixture
def entry():
    """An entry of the trail: a person confirmed their address (they are its actor)."""
    confirmed = account_services.email_confirm(user=UserFactory(unconfirmed=True))
    return Event.objects.get(action=ROLES, object_id=confirmed.pk)


def test_the_database_refuses_to_update_an_entry(entry):
    event = entry

    refused = "Le journal des événements ne se modifie pas"
    with pytest.raises(IntegrityError, match=refused), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(reason="réécrit")

    assert Event.objects.get(pk=event.pk).reason == "Adresse e-mail confirmée."


def test_the_database_refuses_to_delete_an_entry(entry):
    event = entry

    with pytest.raises(IntegrityError, match="DELETE refusé"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()

    assert Event.objects.filter(pk=event.pk).exists()


def test_a_person_the_trail_names_cannot_be_deleted(entry):
    event = entry

    with pytest.raises(ProtectedError), transaction.atomic():
        event.actor.delete()

    assert User.objects.filter(pk=event.actor_id).exists()


def test_a_person_the_trail_does_not_name_can_still_be_deleted(entry):
    person = UserFactory()

    person.delete()

    assert not User.objects.filter(pk=person.pk).exists()


def test_the_admin_shows_an_entry_read_only(client, entry):
    event = entry
    client.force_login(UserFactory(coordinator=True, is_superuser=True, is_staff=True))

    listing = client.get(reverse("admin:core_event_changelist"))
    detail = client.get(reverse("admin:core_event_change", args=[event.pk]))
    changed = client.post(reverse("admin:core_event_change", args=[event.pk]), {"reason": "x"})
    deleted = client.post(f"/admin/core/event/{event.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        reverse("admin:core_event_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk]},
    )

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "Enregistrer" not in detail.content.decode()
    assert 'name="action"' not in listing.content.decode()
    assert changed.status_code == 403
    # No page deletes an entry: the address is read as an unknown entry.
    assert (deleted.status_code, deleted.url) == (
        302,
        f"/admin/core/event/{event.pk}/delete/change/",
    )
    assert bulk.status_code in (200, 302)
    for name in ("admin:core_event_add", "admin:core_event_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[event.pk] if name.endswith("delete") else [])
    assert Event.objects.get(pk=event.pk).reason == "Adresse e-mail confirmée."


def test_the_admin_refuses_to_delete_a_person_the_trail_names_and_says_why(client, entry):
    client.force_login(UserFactory(coordinator=True, is_superuser=True, is_staff=True))
    url = reverse("admin:accounts_user_delete", args=[entry.actor_id])

    shown = client.get(url)
    posted = client.post(url, {"post": "yes"})

    assert "Impossible de supprimer personne" in shown.content.decode()
    assert posted.status_code == 200
    assert User.objects.filter(pk=entry.actor_id).exists()
