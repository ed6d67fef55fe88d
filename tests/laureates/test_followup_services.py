"""The follow-up's writes: reports and milestones through their workflows, « Réalisé »."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from laureates.enums import MilestoneStatus, ReportState
from laureates.models import FundingTranche, Milestone, ReportAttachment
from laureates.services import followup as services
from laureates.workflows import FollowupRefused
from submissions.enums import ProjectState
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.followup_factories import (
    MilestoneFactory,
    ReportFactory,
    followup_laureate,
    in_days,
)

PREFIX = "[Label Actions Innovantes] "
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def laureate(db):
    return followup_laureate(
        association=AssociationFactory(name="Les Jardins du Port"), title="Jardin partagé"
    )


@pytest.fixture
def member(laureate):
    return member_of(laureate.association, email="membre@jardins.test")


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True, email="coordination@gosb.test")


def _events(obj):
    return list(
        Event.objects.for_object(obj).values_list(
            "action", "actor__email", "from_state", "to_state", "reason"
        )
    )


# --- reports ---------------------------------------------------------------------------------


def test_member_submits_a_report_one_event_and_the_coordination_is_mailed(
    laureate, member, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    report = ReportFactory(laureate=laureate)
    services.report_save(report=report, actor=member, text="Douze ateliers, quarante familles.")

    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition(report=report, actor=member, name="submit")

    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_at is not None
    assert _events(report) == [("submit", member.email, "expected", "submitted", "")]
    assert [m.to for m in mailoutbox] == [["coordination@gosb.test"]]
    assert mailoutbox[0].subject == f"{PREFIX}Jardin partagé : bilan intermédiaire remis"
    assert "L'association Les Jardins du Port a remis le bilan intermédiaire" in mailoutbox[0].body


def test_an_empty_report_cannot_be_submitted(laureate, member):
    report = ReportFactory(laureate=laureate)

    with pytest.raises(FollowupRefused) as refused:
        services.report_transition(report=report, actor=member, name="submit")

    assert refused.value.message_dict == {
        "text": ["Écrivez le bilan avant de le remettre : quelques phrases suffisent."]
    }
    report.refresh_from_db()
    assert report.state == ReportState.EXPECTED
    assert _events(report) == []


def test_coordinator_sends_back_with_a_reason_then_the_member_submits_again(
    laureate, member, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    report = ReportFactory(laureate=laureate, submitted=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition(
            report=report, actor=coordinator, name="send_back", reason="Ajoutez les photos."
        )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.return_reason == "Ajoutez les photos."
    assert mailoutbox[0].to == ["membre@jardins.test"]
    assert "Ce qui est à reprendre :\nAjoutez les photos." in mailoutbox[0].body

    services.report_transition(report=report, actor=member, name="submit")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert [e[0] for e in _events(report)] == ["send_back", "submit"]


def test_sending_back_needs_a_reason(laureate, coordinator):
    report = ReportFactory(laureate=laureate, submitted=True)

    with pytest.raises(FollowupRefused) as refused:
        services.report_transition(report=report, actor=coordinator, name="send_back")

    assert refused.value.message_dict == {"comment": ["Indiquez le motif."]}


@pytest.mark.parametrize(
    ("who", "name", "message"),
    [
        ("member", "accept", "Seule la coordination accepte les bilans."),
        ("coordinator", "submit", "Seule l'association remet ses bilans."),
        ("stranger", "accept", "Seule la coordination accepte les bilans."),
    ],
)
def test_report_moves_are_refused_to_the_wrong_person(
    laureate, member, coordinator, who, name, message
):
    report = ReportFactory(laureate=laureate, submitted=(name == "accept"), text="Un bilan écrit.")
    actor = {"member": member, "coordinator": coordinator}.get(who) or member_of(
        AssociationFactory()
    )

    with pytest.raises(FollowupRefused) as refused:
        services.report_transition(report=report, actor=actor, name=name)

    assert refused.value.messages == [message]
    assert _events(report) == []


def test_a_submitted_report_is_no_longer_edited(laureate, member):
    report = ReportFactory(laureate=laureate, submitted=True)

    with pytest.raises(FollowupRefused):
        services.report_save(report=report, actor=member, text="Autre chose.")
    with pytest.raises(FollowupRefused):
        services.report_attachment_add(
            report=report,
            actor=member,
            upload=SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png"),
        )
    report.refresh_from_db()
    assert report.text == "Douze ateliers, quarante familles."
    assert ReportAttachment.objects.count() == 0


def test_a_report_file_is_checked_and_stored_once_per_form(laureate, member):
    report = ReportFactory(laureate=laureate)
    key = "8d3f5c1e-7a52-4d2e-9a57-1b2c3d4e5f60"

    for _ in range(2):  # a double click
        services.report_attachment_add(
            report=report,
            actor=member,
            upload=SimpleUploadedFile("emargement.png", PNG_BYTES, content_type="image/png"),
            submission_key=key,
        )
    with pytest.raises(ValidationError) as refused:
        services.report_attachment_add(
            report=report,
            actor=member,
            upload=SimpleUploadedFile("faux.pdf", b"pas un pdf", content_type="application/pdf"),
        )

    assert list(report.attachments.values_list("original_name", "content_type")) == [
        ("emargement.png", "image/png")
    ]
    assert "ne correspond pas à un fichier PDF" in refused.value.messages[0]


# --- milestones ------------------------------------------------------------------------------


def test_member_updates_a_milestone_status_through_its_workflow(laureate, member):
    milestone = MilestoneFactory(laureate=laureate)

    services.milestone_update(
        milestone=milestone, actor=member, status=MilestoneStatus.DONE, note="Quarante familles."
    )

    milestone.refresh_from_db()
    assert (milestone.status, milestone.note) == (MilestoneStatus.DONE, "Quarante familles.")
    assert _events(milestone) == [("finish", member.email, "planned", "done", "")]


def test_a_note_alone_changes_no_status_and_writes_no_event(laureate, member):
    milestone = MilestoneFactory(laureate=laureate)

    services.milestone_update(
        milestone=milestone, actor=member, status=MilestoneStatus.PLANNED, note="Salle réservée."
    )

    milestone.refresh_from_db()
    assert milestone.note == "Salle réservée."
    assert _events(milestone) == []


def test_another_association_cannot_update_a_milestone(laureate):
    milestone = MilestoneFactory(laureate=laureate)

    with pytest.raises(FollowupRefused):
        services.milestone_update(
            milestone=milestone,
            actor=member_of(AssociationFactory()),
            status=MilestoneStatus.DONE,
            note="",
        )

    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PLANNED


# --- the agreement ---------------------------------------------------------------------------


def test_members_may_not_write_the_agreement(laureate, member):
    with pytest.raises(FollowupRefused) as refused:
        services.agreement_item_save(
            laureate=laureate,
            actor=member,
            item=FundingTranche(amount=1000, due_on=in_days(10)),
        )

    assert refused.value.messages == ["Seule la coordination modifie la convention."]
    assert FundingTranche.objects.count() == 0


def test_the_same_form_sent_twice_adds_one_milestone(laureate, coordinator):
    key = "0b7f1c2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5"
    for _ in range(2):
        services.agreement_item_save(
            laureate=laureate,
            actor=coordinator,
            item=Milestone(title="Fête de quartier", planned_on=in_days(60)),
            submission_key=key,
        )

    assert list(laureate.milestones.values_list("title", "position")) == [("Fête de quartier", 1)]


def test_a_report_started_by_the_association_is_not_deleted(laureate, coordinator):
    report = ReportFactory(laureate=laureate, submitted=True)

    with pytest.raises(FollowupRefused):
        services.agreement_item_delete(item=report, actor=coordinator)

    assert laureate.reports.count() == 1


# --- « Réalisé » -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reports",
    [
        [],
        [{"accepted": True}],  # the intermediate report only
        [{"accepted": True}, {"final": True, "submitted": True}],
    ],
)
def test_mark_completed_is_refused_before_the_final_report_is_accepted(
    laureate, coordinator, reports
):
    for traits in reports:
        ReportFactory(laureate=laureate, **traits)

    with pytest.raises(FollowupRefused) as refused:
        services.mark_completed(laureate=laureate, actor=coordinator)

    assert refused.value.messages == [
        "Le projet ne peut être marqué réalisé qu'une fois son bilan final remis et accepté."
    ]
    laureate.project.refresh_from_db()
    assert laureate.project.state == ProjectState.LAUREATE
    assert _events(laureate.project) == []


def test_mark_completed_after_the_final_report_is_accepted(
    laureate, member, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    ReportFactory(laureate=laureate, final=True, accepted=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_completed(laureate=laureate, actor=coordinator)

    project = laureate.project
    project.refresh_from_db()
    assert project.state == ProjectState.COMPLETED
    assert _events(project) == [("complete", coordinator.email, "laureate", "completed", "")]
    assert [m.to for m in mailoutbox] == [["membre@jardins.test"]]
    assert mailoutbox[0].subject == f"{PREFIX}{project.title} : réalisé"
    assert "le projet est réalisé" in mailoutbox[0].body
    # Once is enough.
    with pytest.raises(FollowupRefused) as refused:
        services.mark_completed(laureate=laureate, actor=coordinator)
    assert refused.value.messages == ["Ce projet est déjà marqué réalisé."]


def test_only_the_coordination_marks_a_project_completed(laureate, member):
    ReportFactory(laureate=laureate, final=True, accepted=True)

    with pytest.raises(FollowupRefused) as refused:
        services.mark_completed(laureate=laureate, actor=member)

    assert refused.value.messages == ["Seule la coordination marque un projet réalisé."]
    laureate.project.refresh_from_db()
    assert laureate.project.state == ProjectState.LAUREATE
