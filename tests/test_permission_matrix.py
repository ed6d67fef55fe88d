"""Every URL name of the portal, asked by every kind of person.

The table says what each one must answer. A URL name missing from the table
fails ``test_every_url_name_is_in_the_matrix``: a new page needs its row.
"""

from dataclasses import dataclass, field

import html5lib
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Association, CityContract, Commune, Invitation, Qpv, User
from core.models import Event
from core.workflow import record
from submissions.enums import ProjectState, Visibility
from submissions.models import CoachingEntry, Edition, Message, Project
from submissions.workflows import PROJECT
from tests.factories import (
    PASSWORD,
    AssociationFactory,
    InvitationFactory,
    UserFactory,
    member_of,
)
from tests.shared_world import SharedWorld
from tests.submissions.factories import (
    CoachingEntryFactory,
    EditionFactory,
    MessageFactory,
    ProjectFactory,
)
from tests.test_cookies import assert_no_other_cookie

ROLES = [
    "anonymous",
    "member_a",
    "member_b",
    "officer_t1",
    "officer_t2",
    "juror",
    "coordinator",
]

LOGIN = 302  # anonymous: sent to the sign-in page


def everyone(code):
    return dict.fromkeys(ROLES, code)


def signed_in(code, **overrides):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], code), **overrides}


def only(codes: dict, default=404):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], default), **codes}


@dataclass
class Row:
    expected: dict
    kwargs: object = None  # a function of the world, returning URL kwargs
    method: str = "get"
    data: object = field(default_factory=dict)  # a dict, or a function of the world


def association_a(world):
    return {"pk": world["association_a"].pk}


def project(key, **extra):
    """URL kwargs of one project of the world, e.g. ``project("project_a")``."""
    return lambda world: {"pk": world[key].pk, **extra}


def edition(world):
    return {"pk": world["edition"].pk}


def laureate(key, **extra):
    """URL kwargs of one laureate of the world, e.g. ``laureate("certified_a")``."""
    return lambda world: {"pk": world[key].pk, **extra}


# Association A's laureate: its members and the coordination.
LAUREATE_A = {"member_a": 200, "coordinator": 200}


def laureate_a(key="laureate_a", **extra):
    """URL kwargs of a laureate of the world, e.g. ``laureate_a(kind="tranches")``."""
    return lambda world: {"pk": world[key].pk, **extra}


def report(key, **extra):
    """URL kwargs of a report of laureate A; a value naming a world key gives its pk."""

    def kwargs(world):
        values = {
            name: world[value].pk if value in world else value for name, value in extra.items()
        }
        return {"pk": world["laureate_a"].pk, "report_pk": world[key].pk, **values}

    return kwargs


def meeting(key, **extra):
    """URL kwargs of a meeting of the world; a value naming a world key gives its pk."""

    def kwargs(world):
        values = {
            name: world[value].pk if value in world else value for name, value in extra.items()
        }
        return {"pk": world[key].pk, **values}

    return kwargs


# The people who follow association A's laureate project.
FOLLOWS_A = {"member_a": 200, "coordinator": 200}


# The people who see association A's coached project: its members, the chef de
# projet of its contrat de ville (Seine Amont) and the coordinators.
SEES_PROJECT_A = {"member_a": 200, "officer_t1": 200, "coordinator": 200}
COACHES_OF_A = {"officer_t1": 302, "coordinator": 302}
COACHING_ENTRY = {
    "kind": "meeting",
    "happened_on": "2026-03-02",
    "text": "Rendez-vous au centre social : le budget est à revoir.",
    "next_steps": "Envoyer les devis.",
    "visibility": "internal",
}


MATRIX = {
    "home": Row(everyone(200)),
    "territory:contracts": Row(everyone(200)),
    "pages:accessibility": Row(everyone(200)),
    "pages:legal": Row(everyone(200)),
    "pages:privacy": Row(everyone(200)),
    "pages:sitemap": Row(everyone(200)),
    "healthz": Row(everyone(200)),
    "robots_txt": Row(everyone(200)),
    "dashboard": Row(signed_in(200)),
    # Signed-in people are sent on to their space.
    "accounts:login": Row({**everyone(302), "anonymous": 200}),
    "accounts:logout": Row(everyone(302), method="post"),
    "accounts:signup": Row({**everyone(302), "anonymous": 200}),
    "accounts:signup_done": Row(everyone(200)),
    "accounts:confirm_email": Row(everyone(400), kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}),
    "accounts:resend_confirmation": Row(everyone(200)),
    "accounts:password_reset": Row(everyone(200)),
    "accounts:password_reset_done": Row(everyone(200)),
    "accounts:password_reset_confirm": Row(
        everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}
    ),
    "accounts:password_reset_complete": Row(everyone(200)),
    "accounts:password_change": Row(signed_in(200)),
    "accounts:profile": Row(signed_in(200)),
    # The link was mailed to one address: another account is told so.
    "accounts:invitation_accept": Row(
        {**everyone(403), "anonymous": 200}, kwargs=lambda w: {"token": w["invitation"].token}
    ),
    "accounts:association_create": Row(signed_in(200)),
    "accounts:association_detail": Row(
        only({"member_a": 200, "officer_t1": 200, "coordinator": 200}), kwargs=association_a
    ),
    "accounts:association_update": Row(
        only({"member_a": 200, "coordinator": 200}), kwargs=association_a
    ),
    "accounts:association_invite": Row(
        only({"member_a": 302, "coordinator": 302}),
        kwargs=association_a,
        method="post",
        data={"email": "nouvelle@exemple.test"},
    ),
    "accounts:citycontract_contacts": Row(only({"coordinator": 200})),
    "accounts:citycontract_contact_update": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"slug": "orly"}
    ),
    # Submissions: members of an association write projects…
    "submissions:project_list": Row(only({"member_a": 200, "member_b": 200})),
    "submissions:project_create": Row(only({"member_a": 200, "member_b": 200})),
    # …seen by the association, the chef de projet of its territory and the coordinators.
    "submissions:project_detail": Row(only(SEES_PROJECT_A), kwargs=project("project_a")),
    # Only members edit the dossier, and only while it is not deposited.
    "submissions:project_section": Row(
        only({"member_a": 200}), kwargs=project("project_a", section="besoin")
    ),
    # « Marquer prêt » on the coached project: the chef de projet and the
    # coordinators move it; the member is refused by the transition table and
    # sent back to the project with the reason (see test_transition_outcome_*).
    "submissions:project_transition": Row(
        only({**COACHES_OF_A, "member_a": 302}),
        kwargs=project("project_a", name="mark_ready"),
        method="post",
    ),
    "submissions:message_create": Row(
        only({**COACHES_OF_A, "member_a": 302}),
        kwargs=project("project_a"),
        method="post",
        data={"body": "Bonjour, pouvons-nous nous voir jeudi ?"},
    ),
    "submissions:coaching_entry_create": Row(
        only(COACHES_OF_A), kwargs=project("project_a"), method="post", data=COACHING_ENTRY
    ),
    "submissions:checklist_update": Row(
        only(COACHES_OF_A),
        kwargs=project("project_a"),
        method="post",
        data={"check_need_clear": "on", "check_budget_balanced": "on"},
    ),
    # Coordinators route the projects of communes outside any contrat de ville.
    "submissions:project_assign": Row(
        only({"coordinator": 302}),
        kwargs=project("unassigned_a"),
        method="post",
        data=lambda w: {"city_contract": CityContract.objects.get(slug="seine-amont").pk},
    ),
    "submissions:attachments": Row(only(SEES_PROJECT_A), kwargs=project("project_a")),
    "submissions:attachment_download": Row(
        only(SEES_PROJECT_A),
        kwargs=lambda w: {"pk": w["project_a"].pk, "attachment_pk": w["attachment_a"].pk},
    ),
    "submissions:attachment_delete": Row(
        only({"member_a": 302}),
        kwargs=lambda w: {"pk": w["project_a"].pk, "attachment_pk": w["attachment_a"].pk},
        method="post",
    ),
    "submissions:deposit_pdf": Row(only(SEES_PROJECT_A), kwargs=project("deposited_a")),
    "submissions:inbox": Row(only({"officer_t1": 200, "officer_t2": 200, "coordinator": 200})),
    "submissions:edition_list": Row(only({"coordinator": 200})),
    "submissions:edition_create": Row(only({"coordinator": 200})),
    "submissions:edition_update": Row(only({"coordinator": 200}), kwargs=edition),
    # Closing the open edition is final for depositors: its confirmation page first.
    "submissions:edition_transition": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["edition"].pk, "name": "close"}
    ),
    # The jury: coordinators prepare, jurors of the session score, the association replies.
    # Deleting a draft is confirmed on its own page first (see the #get variant).
    "submissions:project_delete": Row(
        only({"member_a": 302}),
        kwargs=project("draft_a"),
        method="post",
        data={"confirmed": "1"},
    ),
    "jury:criteria": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"edition_pk": w["edition"].pk}
    ),
    "jury:criteria_initialise": Row(
        only({"coordinator": 302}), kwargs=lambda w: {"edition_pk": w["edition"].pk}, method="post"
    ),
    "jury:criterion_update": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["criterion"].pk}
    ),
    "jury:criterion_action": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"pk": w["criterion"].pk, "action": "descendre"},
        method="post",
    ),
    "jury:session_list": Row(only({"coordinator": 200, "juror": 200})),
    "jury:session_create": Row(only({"coordinator": 200})),
    "jury:session_detail": Row(
        only({"coordinator": 200, "juror": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    "jury:session_update": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    "jury:juror_add": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"pk": w["jury_session"].pk},
        method="post",
        data={
            "email": "nouveau.jure@exemple.test",
            "first_name": "Nour",
            "last_name": "Jure",
            "quality": "expert_etat",
        },
    ),
    "jury:juror_remove": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"pk": w["jury_session"].pk, "member_pk": w["second_seat"].pk},
        method="post",
    ),
    "jury:audition_add": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"pk": w["jury_session"].pk},
        method="post",
        data={"project": "", "duration_minutes": "20"},
    ),
    "jury:audition_action": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {
            "pk": w["jury_session"].pk,
            "audition_pk": w["audition"].pk,
            "action": "horaire",
        },
        method="post",
        data={"duration_minutes": "25", "break_after_minutes": "5"},
    ),
    "jury:session_open": Row(
        only({"coordinator": 302}), kwargs=lambda w: {"pk": w["jury_session"].pk}, method="post"
    ),
    "jury:session_convene": Row(
        only({"coordinator": 302}), kwargs=lambda w: {"pk": w["jury_session"].pk}, method="post"
    ),
    "jury:declarations": Row(only({"juror": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}),
    "jury:dossier": Row(only({"juror": 200}), kwargs=lambda w: _jury_project(w)),
    "jury:dossier_attachment": Row(
        only({"juror": 200}),
        kwargs=lambda w: {**_jury_project(w), "attachment_pk": w["shortlisted_attachment"].pk},
    ),
    "jury:evaluation": Row(only({"juror": 200}), kwargs=lambda w: _jury_project(w)),
    "jury:results": Row(only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}),
    "jury:deliberation": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    "jury:proposal_save": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: _jury_project(w),
        method="post",
        data=lambda w: {
            f"projet-{w['shortlisted_a'].pk}-decision": "laureate",
            f"projet-{w['shortlisted_a'].pk}-amount": "3000",
            f"projet-{w['shortlisted_a'].pk}-justification": "Projet très porté par les habitants.",
        },
    ),
    "jury:presence_save": Row(
        only({"coordinator": 302}), kwargs=lambda w: {"pk": w["jury_session"].pk}, method="post"
    ),
    # Without « confirmed=1 », a POST only shows the confirmation page again.
    "jury:session_close": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}, method="post"
    ),
    "jury:scores_export": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk, "fmt": "csv"}
    ),
    "jury:minutes": Row(only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}),
    # No minutes asked for yet: back to their page, which offers to prepare them.
    "jury:minutes_download": Row(
        only({"coordinator": 302}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    "jury:audition_reply": Row(only({"member_a": 200}), kwargs=lambda w: {"pk": w["audition"].pk}),
    "jury:bundle": Row(
        only({"coordinator": 200, "juror": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    # A bundle with every dossier is being built: the juror, without conflict, shares it, and
    # both are sent back to its page until it is ready.
    "jury:bundle_download": Row(
        only({"coordinator": 302, "juror": 302}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    "jury:results_publish": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"edition_pk": w["edition"].pk},
        method="post",
    ),
    # Before the results are published, nobody reads the jury's feedback.
    "jury:feedback": Row(only({}), kwargs=lambda w: {"project_pk": w["shortlisted_a"].pk}),
    # Laureates: the coordination prepares and publishes the showcases; a card is edited by
    # the coordination with the laureate's association; a public card's photo is public.
    "laureates:showcase_list": Row(only({"coordinator": 200})),
    "laureates:showcase": Row(only({"coordinator": 200}), kwargs=lambda w: _showcase_year(w)),
    "laureates:showcase_cards_create": Row(
        only({"coordinator": 302}), kwargs=lambda w: _showcase_year(w), method="post"
    ),
    "laureates:showcase_transition": Row(
        only({"coordinator": 200}), kwargs=lambda w: {**_showcase_year(w), "name": "unpublish"}
    ),
    "laureates:card_edit": Row(
        only({"member_a": 200, "coordinator": 200}), kwargs=lambda w: {"pk": w["card_a"].pk}
    ),
    "laureates:card_transition": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["card_a"].pk, "name": "unpublish"}
    ),
    "laureates:photo": Row(everyone(200), kwargs=lambda w: {"pk": w["card_a"].pk}),
    "laureates:photo_preview": Row(
        only({"member_a": 200, "coordinator": 200}), kwargs=lambda w: {"pk": w["card_a"].pk}
    ),
    # Laureates: the public pages, for everyone, of what is published.
    "laureates:list": Row(everyone(200)),
    "laureates:year": Row(everyone(200), kwargs=lambda w: {"year": w["laureate_public"].year}),
    "laureates:detail": Row(everyone(200), kwargs=lambda w: _laureate(w, "laureate_public")),
    # Open data: the public laureates for everyone, signed in or not.
    "laureates:export_csv": Row(everyone(200)),
    "laureates:export_json": Row(everyone(200)),
    "laureates:open_data": Row(everyone(200)),
    "laureates:feed": Row(everyone(200)),
    "sitemap_xml": Row(everyone(200)),
    # The laureates' space: members of an association list their laureates (coordinators,
    # all); a laureate's hub, certificate and badge belong to its association and the
    # coordination. Anyone verifies a certificate's code.
    "laureates:mine": Row(only({"member_a": 200, "member_b": 200, "coordinator": 200})),
    "laureates:space": Row(only(LAUREATE_A), kwargs=laureate("certified_a")),
    "laureates:certificate": Row(only(LAUREATE_A), kwargs=laureate("certified_a")),
    "laureates:badge_svg": Row(only(LAUREATE_A), kwargs=laureate("certified_a")),
    "laureates:badge_png": Row(only(LAUREATE_A), kwargs=laureate("certified_a", size="petit")),
    "laureates:verify_form": Row(everyone(200)),
    "laureates:verify": Row(
        everyone(200), kwargs=lambda w: {"code": w["certified_a"].certificate_code}
    ),
    # The annual meeting's page and registration: public; a registration's pages open with
    # the signed link mailed to its person, whoever asks (no account needed).
    "network:meeting": Row(everyone(200), kwargs=lambda w: {"slug": w["reg_meeting"].slug}),
    # Registration closed: told why, nothing is written.
    "network:register": Row(
        everyone(400), kwargs=lambda w: {"slug": w["reg_meeting_closed"].slug}, method="post"
    ),
    "network:registration": Row(everyone(200), kwargs=lambda w: _reg_token(w, "reg_seated")),
    "network:registration_confirm": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "reg_pending", "confirm")
    ),
    "network:registration_cancel": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "reg_seated", "cancel")
    ),
    "network:registration_ics": Row(everyone(200), kwargs=lambda w: _reg_token(w, "reg_seated")),
    "network:registration_qr": Row(everyone(200), kwargs=lambda w: _reg_token(w, "reg_seated")),
    # The follow-up of association A's laureate project: its members and the coordination
    # read it; members update milestones and write reports; the coordination alone edits
    # the agreement, reviews the reports and marks the project « Réalisé ».
    "laureates:followup_overview": Row(only({"coordinator": 200})),
    "laureates:followup": Row(only(FOLLOWS_A), kwargs=laureate_a()),
    "laureates:followup_milestone": Row(
        only({"member_a": 302, "coordinator": 302}),
        kwargs=lambda w: {"pk": w["laureate_a"].pk, "milestone_pk": w["milestone_a"].pk},
        method="post",
        data=lambda w: {
            f"etape-{w['milestone_a'].pk}-status": "in_progress",
            f"etape-{w['milestone_a'].pk}-note": "La salle est réservée.",
        },
    ),
    # The final report is not accepted yet: the coordinator is told why (see #ready).
    "laureates:followup_complete": Row(only({"coordinator": 302}), kwargs=laureate_a()),
    "laureates:followup_report": Row(only(FOLLOWS_A), kwargs=report("report_expected")),
    "laureates:followup_report_file": Row(
        only(FOLLOWS_A), kwargs=report("report_expected", file_pk="report_file")
    ),
    "laureates:followup_report_file_delete": Row(
        only({"member_a": 302}),
        kwargs=report("report_expected", file_pk="report_file"),
        method="post",
    ),
    # Handing in asks to confirm first: the member sees the page, the coordinator is told why.
    "laureates:followup_report_transition": Row(
        only({"member_a": 200, "coordinator": 302}),
        kwargs=report("report_expected", name="submit"),
    ),
    "laureates:followup_item_add": Row(
        only({"coordinator": 200}), kwargs=laureate_a(kind="tranches")
    ),
    "laureates:followup_item_edit": Row(
        only({"coordinator": 200}),
        kwargs=lambda w: {
            "pk": w["laureate_a"].pk,
            "kind": "tranches",
            "item_pk": w["tranche_a"].pk,
        },
    ),
    # A confirmation page first.
    "laureates:followup_item_delete": Row(
        only({"coordinator": 200}),
        kwargs=lambda w: {
            "pk": w["laureate_a"].pk,
            "kind": "etapes",
            "item_pk": w["milestone_a"].pk,
        },
    ),
    # --- network: meetings (the coordination prepares them; the archive is public) ---------
    "network:archive": Row(everyone(200)),
    "network:meetings": Row(only({"coordinator": 200})),
    "network:meeting_add": Row(only({"coordinator": 200})),
    "network:meeting_edit": Row(only({"coordinator": 200}), kwargs=meeting("meeting_draft")),
    # A confirmation page first.
    "network:meeting_transition": Row(
        only({"coordinator": 200}), kwargs=meeting("meeting_draft", transition="publish")
    ),
    "network:registrations": Row(only({"coordinator": 200}), kwargs=meeting("meeting_open")),
    "network:registrations_export": Row(
        only({"coordinator": 200}), kwargs=meeting("meeting_open", fmt="csv")
    ),
    "network:registration_cancel_by_coordination": Row(
        only({"coordinator": 200}),
        kwargs=meeting("meeting_open", registration_pk="registration_seated"),
    ),
    # The network's check-in at the door: the coordination; the certificate: the mailed link.
    "network:checkin": Row(only({"coordinator": 200}), kwargs=lambda w: _attendance_meeting(w)),
    "network:checkin_code": Row(
        only({"coordinator": 200}), kwargs=lambda w: _checkin_code(w, "attendance_seated")
    ),
    "network:attendance_sheet": Row(
        only({"coordinator": 200}), kwargs=lambda w: _attendance_meeting(w)
    ),
    "network:attendance_certificate": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "attendance_attended")
    ),
    # --- coordination: audit trail ---------------------------------------------------------
    # The trail names everyone and everything: the coordination only.
    "coordination:audit": Row(only({"coordinator": 200})),
    "coordination:audit_event": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["audit_role_change"].pk}
    ),
    "coordination:audit_export": Row(only({"coordinator": 200}), kwargs=lambda w: {"fmt": "csv"}),
}

# More cases of a URL name already in MATRIX: "<url name>#<case>".
VARIANTS = {
    # Noting a presence: the coordination only; a code nobody holds is no page.
    "network:checkin_code#attend": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: _checkin_code(w, "attendance_seated"),
        method="post",
        data={"action": "attend"},
    ),
    "network:checkin_code#unknown": Row(
        only({}), kwargs=lambda w: {**_attendance_meeting(w), "code": "2222-3333"}
    ),
    # Only a person who attended has a certificate; a forged link is no page.
    "network:attendance_certificate#not_attended": Row(
        everyone(404), kwargs=lambda w: _reg_token(w, "attendance_seated")
    ),
    "network:attendance_certificate#forged": Row(
        everyone(404), kwargs=lambda w: {"token": "MQ:x:y"}
    ),
    # A card not public (its showcase still in preparation): its photo exists for nobody.
    "laureates:photo#not_public": Row(everyone(404), kwargs=lambda w: {"pk": w["card_hidden"].pk}),
    # A card move without confirmation page is POST only; a member takes none.
    "laureates:card_transition#back_to_draft": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"pk": w["card_hidden"].pk, "name": "back_to_draft"},
        method="post",
    ),
    # What is not published does not exist for anyone, the coordination included.
    "laureates:year#showcase_in_preparation": Row(
        everyone(404), kwargs=lambda w: {"year": w["laureate_unpublished"].year}
    ),
    "laureates:detail#card_to_review": Row(
        everyone(404), kwargs=lambda w: _laureate(w, "laureate_draft")
    ),
    "laureates:detail#showcase_in_preparation": Row(
        everyone(404), kwargs=lambda w: _laureate(w, "laureate_unpublished")
    ),
    "laureates:space#unknown": Row(signed_in(404), kwargs=lambda w: {"pk": 999999}),
    "laureates:badge_png#unknown_size": Row(only({}), kwargs=laureate("certified_a", size="geant")),
    # A meeting in preparation: the coordination's only, with its « brouillon » banner.
    "network:meeting#draft": Row(
        {**everyone(404), "coordinator": 200}, kwargs=lambda w: {"slug": w["reg_draft"].slug}
    ),
    # Registration open: a signed-in person registers in one click (the account's name and
    # address); a visitor's empty form is shown again with its errors.
    "network:register#open": Row(
        {**everyone(302), "anonymous": 400},
        kwargs=lambda w: {"slug": w["reg_meeting"].slug},
        method="post",
    ),
    # A full meeting offers its waitlist; a past one keeps its programme and its material;
    # a cancelled one says so.
    "network:meeting#full": Row(everyone(200), kwargs=lambda w: {"slug": w["reg_full"].slug}),
    "network:meeting#past": Row(everyone(200), kwargs=lambda w: {"slug": w["reg_past"].slug}),
    "network:meeting#cancelled": Row(
        everyone(200), kwargs=lambda w: {"slug": w["reg_cancelled_meeting"].slug}
    ),
    # A registration's page in each of its states.
    "network:registration#waitlisted": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "reg_waitlisted")
    ),
    "network:registration#pending": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "reg_pending")
    ),
    "network:registration#cancelled": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "reg_cancelled")
    ),
    "network:registration#attended": Row(
        everyone(200), kwargs=lambda w: _reg_token(w, "reg_attended")
    ),
    # A guessed or altered link: nothing, for anyone.
    "network:registration#forged": Row(
        everyone(404), kwargs=lambda w: {"token": f"{w['reg_seated'].pk}.forged"}
    ),
    # The link of the page does not confirm: each action has its own signature.
    "network:registration_confirm#page_link": Row(
        everyone(404), kwargs=lambda w: _reg_token(w, "reg_pending")
    ),
    # A waitlisted person has no seat: no invitation, no QR code.
    "network:registration_ics#waitlisted": Row(
        everyone(404), kwargs=lambda w: _reg_token(w, "reg_waitlisted")
    ),
    # A code no certificate carries: a helpful page, with the 404 status.
    "laureates:verify#unknown": Row(everyone(404), kwargs=lambda w: {"code": "2222-3333-4444"}),
    # A code of the wrong shape: the form is shown again with its error.
    "laureates:verify_form#malformed": Row(everyone(400), data={"code": "12345"}),
    # The confirmation page of a final action; publishing waits for every session to close.
    "jury:session_close#confirm": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"pk": w["jury_session"].pk}
    ),
    "jury:results_publish#confirm": Row(
        only({"coordinator": 302}), kwargs=lambda w: {"edition_pk": w["edition"].pk}
    ),
    # A project's proposal has its own page: the deliberation lists a link per project.
    "jury:proposal_save#page": Row(only({"coordinator": 200}), kwargs=lambda w: _jury_project(w)),
    # The juror presides a closed session: he signs its minutes; the named scores stay
    # with the coordination.
    "jury:minutes#presided": Row(
        only({"coordinator": 200, "juror": 200}),
        kwargs=lambda w: {"pk": w["presided_session"].pk},
    ),
    "jury:scores_export#presided": Row(
        only({"coordinator": 200}),
        kwargs=lambda w: {"pk": w["presided_session"].pk, "fmt": "xlsx"},
    ),
    # Drafts are private to the association: the chef de projet of the
    # territory does not see them, even when the draft already names his
    # contrat de ville. Coordinators see every project (selectors.projects_visible_to).
    # Drafts stay private to the association, coordinators included.
    "submissions:project_detail#draft": Row(only({"member_a": 200}), kwargs=project("draft_a")),
    "submissions:project_detail#deposited": Row(
        only(SEES_PROJECT_A), kwargs=project("deposited_a")
    ),
    # Outside any contrat de ville: no chef de projet sees it.
    "submissions:project_detail#unassigned": Row(
        only({"member_a": 200, "coordinator": 200}), kwargs=project("unassigned_a")
    ),
    "submissions:project_detail#unknown": Row(signed_in(404), kwargs=lambda w: {"pk": 999999}),
    "submissions:project_section#draft": Row(
        only({"member_a": 200}), kwargs=project("draft_a", section="besoin")
    ),
    "submissions:project_section#presentation": Row(
        only({"member_a": 200}), kwargs=project("project_a", section="presentation")
    ),
    "submissions:project_section#budget": Row(
        only({"member_a": 200}), kwargs=project("project_a", section="budget")
    ),
    "submissions:project_section#save": Row(
        only({"member_a": 302}),
        kwargs=project("project_a", section="besoin"),
        method="post",
        data=lambda w: {"version": w["project_a"].version, "need": "Un besoin mieux décrit."},
    ),
    # A deposited dossier is frozen.
    "submissions:project_section#deposited": Row(
        only({}), kwargs=project("deposited_a", section="besoin")
    ),
    "submissions:project_section#unknown_section": Row(
        only({}), kwargs=project("project_a", section="inconnue")
    ),
    # « Retenir pour l'audition »: coordinators only; the association and the
    # chef de projet see the project and are refused with a message.
    "submissions:project_transition#shortlist": Row(
        only({"member_a": 302, "officer_t1": 302, "coordinator": 302}),
        kwargs=project("eligible_a", name="shortlist"),
        method="post",
    ),
    # Proposing an incomplete draft: the member is told what is missing.
    "submissions:project_transition#propose_draft": Row(
        only({"member_a": 302}),
        kwargs=project("draft_a", name="propose"),
        method="post",
    ),
    # Only a draft is deleted: a coached project is refused, with a message.
    "submissions:project_delete#coaching": Row(
        only({"member_a": 302, "officer_t1": 302, "coordinator": 302}),
        kwargs=project("project_a"),
        method="post",
        data={"confirmed": "1"},
    ),
    # The confirmation page of the deletion: the draft's association only.
    "submissions:project_delete#get": Row(only({"member_a": 200}), kwargs=project("draft_a")),
    # A coached project has no deletion page: sent back to the project with the reason.
    "submissions:project_delete#get_coaching": Row(
        only({"member_a": 302, "officer_t1": 302, "coordinator": 302}),
        kwargs=project("project_a"),
    ),
    # Final moves show their confirmation page to whoever may make them; the
    # others who see the project are sent back to it with the reason.
    "submissions:project_transition#withdraw_get": Row(
        only({"member_a": 200, "officer_t1": 302, "coordinator": 302}),
        kwargs=project("project_a", name="withdraw"),
    ),
    "submissions:project_transition#deposit_get": Row(
        only({"member_a": 302, "officer_t1": 302, "coordinator": 302}),
        kwargs=project("project_a", name="deposit"),
    ),
    "submissions:project_transition#declare_ineligible_get": Row(
        only({"member_a": 302, "officer_t1": 302, "coordinator": 200}),
        kwargs=project("deposited_a", name="declare_ineligible"),
    ),
    # A POST without « confirmed » shows the confirmation page again and changes nothing.
    "submissions:project_transition#withdraw_unconfirmed": Row(
        only({"member_a": 200, "officer_t1": 302, "coordinator": 302}),
        kwargs=project("project_a", name="withdraw"),
        method="post",
    ),
    "submissions:project_delete#unconfirmed": Row(
        only({"member_a": 200}), kwargs=project("draft_a"), method="post"
    ),
    "submissions:attachments#post": Row(
        only({"member_a": 302}),
        kwargs=project("project_a"),
        method="post",
        data=lambda w: {
            "kind": "photo",
            "file": SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png"),
        },
    ),
    "submissions:project_transition#unknown": Row(
        only({}), kwargs=project("project_a", name="inconnue"), method="post"
    ),
    "submissions:project_transition#get": Row(
        signed_in(405), kwargs=project("project_a", name="mark_ready")
    ),
    "submissions:attachment_download#deposited": Row(
        only(SEES_PROJECT_A),
        kwargs=lambda w: {
            "pk": w["deposited_a"].pk,
            "attachment_pk": w["attachment_of_deposited"].pk,
        },
    ),
    # An empty message: the project page comes back with the form and its error.
    "submissions:message_create#empty": Row(
        only({"officer_t1": 400, "coordinator": 400, "member_a": 400}),
        kwargs=project("project_a"),
        method="post",
        data={"body": "   "},
    ),
    "submissions:message_create#get": Row(signed_in(405), kwargs=project("project_a")),
    "submissions:coaching_entry_create#invalid": Row(
        only({"officer_t1": 400, "coordinator": 400}),
        kwargs=project("project_a"),
        method="post",
        data={"kind": "meeting"},
    ),
    "submissions:coaching_entry_create#get": Row(signed_in(405), kwargs=project("project_a")),
    "submissions:checklist_update#get": Row(signed_in(405), kwargs=project("project_a")),
    # A project that already has its contrat de ville is not in the queue.
    "submissions:project_assign#assigned": Row(
        only({}),
        kwargs=project("project_a"),
        method="post",
        data=lambda w: {"city_contract": CityContract.objects.get(slug="orly").pk},
    ),
    "submissions:project_assign#get": Row(signed_in(405), kwargs=project("unassigned_a")),
    # Another association's pk in the form is refused: the form is shown again.
    "submissions:project_create#post": Row(
        only({"member_a": 302, "member_b": 400}),
        method="post",
        data=lambda w: {"title": "Jardin partagé", "association": w["association_a"].pk},
    ),
    "submissions:inbox#filtered": Row(
        only({"officer_t1": 200, "officer_t2": 200, "coordinator": 200}),
        data={
            "q": "ateliers",
            "state": "coaching",
            "waiting": "on",
            "unassigned": "on",
            "sort": "title",
            "page": "1",
        },
    ),
    # A year before the factory's sequence (2030…): no edition of the world has it,
    # whatever the tests the worker ran before building the world.
    "submissions:edition_create#post": Row(
        only({"coordinator": 302}),
        method="post",
        data={
            "year": "2029",
            "title": "Label Actions Innovantes 2029",
            "opens_on": "2029-01-15",
            "deposit_deadline": "2029-04-30T18:00",
            "budget_envelope": "60000",
        },
    ),
    "submissions:edition_update#unknown": Row(only({}), kwargs=lambda w: {"pk": 999999}),
    # Opening the already open edition: the coordinator is told why, nothing changes.
    "submissions:edition_transition#open_again": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {"pk": w["edition"].pk, "name": "open"},
        method="post",
    ),
    "submissions:edition_transition#close_post": Row(
        only({"coordinator": 200}),
        kwargs=lambda w: {"pk": w["edition"].pk, "name": "close"},
        method="post",
    ),
    "submissions:edition_transition#unknown": Row(
        only({}), kwargs=lambda w: {"pk": w["edition"].pk, "name": "inconnue"}, method="post"
    ),
    # The list's filters on the exports; a bad value is explained (400), not ignored.
    "laureates:export_csv#filtered": Row(
        everyone(200), data={"theme": "lien_social", "q": "jardin"}
    ),
    "laureates:export_json#bad_filter": Row(everyone(400), data={"annee": "deux-mille"}),
    "laureates:export_csv#post": Row(everyone(405), method="post"),
    "laureates:feed#post": Row(everyone(405), method="post"),
    "laureates:followup_overview#filtered": Row(
        only({"coordinator": 200}), data=lambda w: {"edition": w["edition"].pk, "late": "on"}
    ),
    # Association B's follow-up: its own members, never A's.
    "laureates:followup#association_b": Row(
        only({"member_b": 200, "coordinator": 200}), kwargs=laureate_a("laureate_b")
    ),
    "laureates:followup_milestone#get": Row(
        signed_in(405),
        kwargs=lambda w: {"pk": w["laureate_a"].pk, "milestone_pk": w["milestone_a"].pk},
    ),
    # The final report accepted: the coordinator confirms, then the project is « Réalisé ».
    "laureates:followup_complete#ready": Row(
        only({"coordinator": 200}), kwargs=laureate_a("laureate_done")
    ),
    "laureates:followup_complete#confirmed": Row(
        only({"coordinator": 302}),
        kwargs=laureate_a("laureate_done"),
        method="post",
        data={"confirmed": "1"},
    ),
    "laureates:followup_report#save": Row(
        only({"member_a": 302}),
        kwargs=report("report_expected"),
        method="post",
        data={"text": "Douze ateliers ont eu lieu.", "action": "save"},
    ),
    # A report handed in is read, no longer written.
    "laureates:followup_report#submitted": Row(only(FOLLOWS_A), kwargs=report("report_submitted")),
    "laureates:followup_report#submitted_post": Row(
        only({}), kwargs=report("report_submitted"), method="post", data={"text": "Autre."}
    ),
    # Accepting: the coordination only; the member is told why, nothing changes.
    "laureates:followup_report_transition#accept": Row(
        only({"member_a": 302, "coordinator": 302}),
        kwargs=report("report_submitted", name="accept"),
        method="post",
    ),
    # A move without confirmation page is POST only, before anything is read (as for projects).
    "laureates:followup_report_transition#accept_get": Row(
        signed_in(405),
        kwargs=report("report_submitted", name="accept"),
    ),
    "laureates:followup_report_transition#send_back": Row(
        only({"member_a": 302, "coordinator": 200}),
        kwargs=report("report_submitted", name="send_back"),
    ),
    "laureates:followup_report_transition#unknown": Row(
        only({}), kwargs=report("report_submitted", name="inconnue"), method="post"
    ),
    "laureates:followup_item_add#post": Row(
        only({"coordinator": 302}),
        kwargs=laureate_a(kind="tranches"),
        method="post",
        data={"amount": "1 500,00", "due_on": "2027-03-01", "condition": "Au bilan."},
    ),
    "laureates:followup_item_add#unknown_kind": Row(only({}), kwargs=laureate_a(kind="inconnu")),
    "laureates:followup_item_edit#post": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {
            "pk": w["laureate_a"].pk,
            "kind": "tranches",
            "item_pk": w["tranche_a"].pk,
        },
        method="post",
        data={"amount": "3000", "due_on": "2027-01-15", "paid_on": "2027-01-20"},
    ),
    "laureates:followup_item_delete#confirmed": Row(
        only({"coordinator": 302}),
        kwargs=lambda w: {
            "pk": w["laureate_a"].pk,
            "kind": "etapes",
            "item_pk": w["milestone_a"].pk,
        },
        method="post",
        data={"confirmed": "1"},
    ),
    # --- network: meetings ----------------------------------------------------------------
    "network:registrations_export#xlsx": Row(
        only({"coordinator": 200}), kwargs=meeting("meeting_open", fmt="xlsx")
    ),
    "network:registrations_export#unknown_format": Row(
        only({}), kwargs=meeting("meeting_open", fmt="pdf")
    ),
    "network:meeting_edit#unknown": Row(only({}), kwargs=lambda w: {"pk": 999999}),
    # A cancellation needs its reason: the confirmation page again, with the error.
    "network:meeting_transition#cancel_without_reason": Row(
        only({"coordinator": 400}),
        kwargs=meeting("meeting_open", transition="cancel"),
        method="post",
        data={"confirmed": "1", "comment": ""},
    ),
    # The meeting's registrations are another meeting's business: 404 even for the coordination.
    "network:registration_cancel_by_coordination#other_meeting": Row(
        only({}), kwargs=meeting("meeting_draft", registration_pk="registration_seated")
    ),
}

# --- The network: the directory (issue 10, « directory ») ----------------------------------

# Signed-in members of the network: association A's people (a laureate member), the chefs de
# projet and the coordination. Association B is no member; the juror neither.
NETWORK_INSIDERS = {"member_a": 200, "officer_t1": 200, "officer_t2": 200, "coordinator": 200}
NETWORK_PROFILE = {
    "listed": "on",
    "description": "Un jardin partagé au pied des immeubles.",
    "description_audience": "public",
    "place_audience": "public",
    "themes": ["environnement"],
    "themes_audience": "public",
    "website_audience": "public",
    "contact_name": "Awa Diallo",
    "contact_email": "awa@exemple.test",
    "contact_audience": "members",
    "projects_audience": "public",
}


def _member_pk(key):
    return lambda w: {"pk": w[key].pk}


def _member_slug(key):
    return lambda w: {"slug": w[key].slug}


MATRIX.update(
    {
        "network:index": Row(everyone(200)),
        "network:member": Row(everyone(200), kwargs=_member_slug("network_partner")),
        "network:space": Row(signed_in(200)),
        "network:members_admin": Row(only({"coordinator": 200})),
        "network:member_add": Row(only({"coordinator": 200})),
        "network:member_edit": Row(
            only({"member_a": 200, "coordinator": 200}), kwargs=_member_pk("network_member_a")
        ),
    }
)
VARIANTS.update(
    {
        # Filters and search; a value outside the choices is explained (400).
        "network:index#filtered": Row(
            everyone(200), data={"q": "jardin", "theme": "environnement", "type": "laureate"}
        ),
        "network:index#bad_filter": Row(everyone(400), data={"annee": "deux-mille"}),
        # A member not listed publicly: the network's members only.
        "network:member#unlisted": Row(
            {**everyone(404), **NETWORK_INSIDERS}, kwargs=_member_slug("network_unlisted")
        ),
        # A laureate association whose card is not public yet: the coordination only.
        "network:member#card_not_public": Row(
            {**everyone(404), "coordinator": 200}, kwargs=_member_slug("network_unpublished")
        ),
        "network:member#unknown": Row(everyone(404), kwargs=lambda w: {"slug": "personne"}),
        "network:members_admin#filtered": Row(
            only({"coordinator": 200}), data={"type": "partner", "actif": "1"}
        ),
        "network:members_admin#sync": Row(only({"coordinator": 302}), method="post"),
        "network:member_add#post": Row(
            only({"coordinator": 302}),
            method="post",
            data={**NETWORK_PROFILE, "name": "Centre social Balzac", "kind": "structure"},
        ),
        # A partner's profile: the coordination's.
        "network:member_edit#partner": Row(
            only({"coordinator": 200}), kwargs=_member_pk("network_partner")
        ),
        "network:member_edit#post": Row(
            only({"member_a": 302, "coordinator": 302}),
            kwargs=_member_pk("network_member_a"),
            method="post",
            # The name and « active » are the coordination's fields; the member's form has none.
            data=lambda w: {
                **NETWORK_PROFILE,
                "name": "Association A",
                "is_active": "on",
                "version": w["network_member_a"].version,
            },
        ),
        "network:member_edit#unknown": Row(only({}), kwargs=lambda w: {"pk": 999999}),
        # --- coordination: audit trail -----------------------------------------------------
        "coordination:audit#filtered": Row(
            only({"coordinator": 200}),
            data=lambda w: {
                "personne": w["users"]["coordinator"].pk,
                "objet": "accounts.user",
                "action": "rights",
                "du": "2020-01-01",
                "au": "2099-12-31",
            },
        ),
        # Dates the wrong way round: the filters say so (400), nothing is lost.
        "coordination:audit#dates_reversed": Row(
            only({"coordinator": 400}), data={"du": "2026-12-31", "au": "2026-01-01"}
        ),
        "coordination:audit_event#unknown": Row(only({}), kwargs=lambda w: {"pk": 999999999}),
        "coordination:audit_export#xlsx": Row(
            only({"coordinator": 200}), kwargs=lambda w: {"fmt": "xlsx"}
        ),
        "coordination:audit_export#unknown_format": Row(only({}), kwargs=lambda w: {"fmt": "pdf"}),
    }
)


# --- Personal data: « Mes données » and the erasure of one's account (issue 11, « privacy ») --

ERASE_FORM = {"confirmed": "1", "password": PASSWORD, "understood": "on"}

MATRIX.update(
    {
        # Everyone's own data, and nobody else's: the pages take no id.
        "privacy:data": Row(signed_in(200)),
        "privacy:erase": Row(signed_in(200)),
    }
)
# --- Coordination: the dashboard (issue 11, « dashboard ») ---------------------------------


def _dashboard_contract(key):
    return lambda w: {"pk": w[key].pk}


MATRIX.update(
    {
        # The whole territory: the coordination; a chef de projet is sent on to his contrat.
        "coordination:dashboard": Row(
            only({"coordinator": 200, "officer_t1": 302, "officer_t2": 302})
        ),
        # Seine Amont: the coordination and its chef de projet; the other chef de projet: 404.
        "coordination:dashboard_contract": Row(
            only({"coordinator": 200, "officer_t1": 200}),
            kwargs=_dashboard_contract("dashboard_contract_t1"),
        ),
    }
)
VARIANTS.update(
    {
        # A wrong password erases nothing: the page again, saying why.
        "privacy:erase#wrong_password": Row(
            signed_in(400), method="post", data={**ERASE_FORM, "password": "pas le bon"}
        ),
        # Not ticked: the same.
        "privacy:erase#not_ticked": Row(
            signed_in(400), method="post", data={**ERASE_FORM, "understood": ""}
        ),
        # The right password erases the account (undone after the test), except the world's
        # only coordinator's: the portal keeps one coordination account.
        "privacy:erase#confirmed": Row(
            signed_in(302, coordinator=400), method="post", data=ERASE_FORM
        ),
        "coordination:dashboard#edition": Row(
            only({"coordinator": 200, "officer_t1": 302, "officer_t2": 302}),
            data=lambda w: {"edition": w["edition"].year},
        ),
        # A contrat chosen in the form: its page.
        "coordination:dashboard#contract": Row(
            only({"coordinator": 302, "officer_t1": 302, "officer_t2": 302}),
            data=lambda w: {"contrat": w["dashboard_contract_t2"].pk},
        ),
        "coordination:dashboard#bad_edition": Row(
            only({"coordinator": 400, "officer_t1": 302, "officer_t2": 302}),
            data={"edition": "deux-mille"},
        ),
        "coordination:dashboard_contract#other_territory": Row(
            only({"coordinator": 200, "officer_t2": 200}),
            kwargs=_dashboard_contract("dashboard_contract_t2"),
        ),
        "coordination:dashboard_contract#bad_edition": Row(
            only({"coordinator": 400, "officer_t1": 400}),
            kwargs=_dashboard_contract("dashboard_contract_t1"),
            data={"edition": "1900"},
        ),
        "coordination:dashboard_contract#unknown": Row(only({}), kwargs=lambda w: {"pk": 999999}),
    }
)


# --- notifications: each person's own; the outbox, the coordination's ---------------------
def _notification(w):
    return {"pk": w["notification_a"].pk}


def _mailing(w):
    return {"pk": w["mailing_draft"].pk}


def _failed_mail(w):
    return {"pk": w["failed_mail"].pk}


# Every non-mandatory kind, as the preferences form asks it (a juror's kinds are mandatory).
NOTIFICATION_CHOICES = {
    key: "digest" for key in ("project_state", "project_assigned", "message", "coaching_shared")
} | {"report": "immediate", "reminder": "never"}

MATRIX.update(
    {
        "notifications:list": Row(signed_in(200)),
        "notifications:open": Row(only({"member_a": 302}), kwargs=_notification, method="post"),
        "notifications:read_all": Row(signed_in(302), method="post"),
        "notifications:preferences": Row(signed_in(200)),
        "notifications:outbox": Row(only({"coordinator": 200})),
        "notifications:mailing": Row(only({"coordinator": 200}), kwargs=_mailing),
        "notifications:mailing_send": Row(only({"coordinator": 200}), kwargs=_mailing),
        "notifications:mailing_cancel": Row(only({"coordinator": 200}), kwargs=_mailing),
        "notifications:mailing_message": Row(
            only({"coordinator": 200}),
            kwargs=lambda w: {"pk": w["mailing_draft"].pk, "message_pk": w["mailing_message"].pk},
        ),
        "notifications:mail_queue": Row(only({"coordinator": 200})),
        "notifications:mail_retry": Row(
            only({"coordinator": 302}), kwargs=_failed_mail, method="post"
        ),
    }
)
VARIANTS.update(
    {
        # Opening is a POST; and a notification of member A is member B's 404.
        "notifications:open#get": Row({**everyone(405), "anonymous": LOGIN}, kwargs=_notification),
        "notifications:list#page": Row(signed_in(200), data={"page": "99"}),
        "notifications:preferences#post": Row(
            signed_in(302), method="post", data=NOTIFICATION_CHOICES
        ),
        # A value outside the choices: shown again with its error (a juror is asked nothing).
        "notifications:preferences#bad": Row(
            signed_in(400, juror=302), method="post", data={"message": "souvent"}
        ),
        "notifications:outbox#compose": Row(
            only({"coordinator": 302}), method="post", data={"composition": "relance-depot"}
        ),
        "notifications:mailing#sent": Row(
            only({"coordinator": 200}), kwargs=lambda w: {"pk": w["mailing_sent"].pk}
        ),
        "notifications:mailing#unknown": Row(only({}), kwargs=lambda w: {"pk": 999999}),
        "notifications:mailing_send#confirmed": Row(
            only({"coordinator": 302}), kwargs=_mailing, method="post", data={"confirmed": "1"}
        ),
        # Already sent: the coordinator is told so, nothing leaves again.
        "notifications:mailing_send#sent": Row(
            only({"coordinator": 302}),
            kwargs=lambda w: {"pk": w["mailing_sent"].pk},
            method="post",
            data={"confirmed": "1"},
        ),
        "notifications:mailing_message#other_mailing": Row(
            only({}),
            kwargs=lambda w: {"pk": w["mailing_sent"].pk, "message_pk": w["mailing_message"].pk},
        ),
        # Retrying is a POST; a mail already sent is no longer in the list: 404.
        "notifications:mail_retry#get": Row(
            {**everyone(405), "anonymous": LOGIN}, kwargs=_failed_mail
        ),
        "notifications:mail_retry#sent": Row(
            only({}), kwargs=lambda w: {"pk": w["sent_mail"].pk}, method="post"
        ),
    }
)


# The technical administration: coordinators only; a visitor is sent to the
# portal's sign-in page, a signed-in person without rights gets a refusal page.
ADMIN_DEFAULT = signed_in(403, coordinator=200)
ADMIN_OVERRIDES = {
    "admin:login": signed_in(403, coordinator=302),
    "admin:logout": signed_in(403, coordinator=405),
    "admin:view_on_site": signed_in(403, coordinator=302),
    # Without its query parameters the autocomplete refuses to answer.
    "admin:autocomplete": signed_in(403),
}


def admin_kwargs(name, world):
    if name == "admin:app_list":
        return {"app_label": "accounts"}
    if name == "admin:view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(Association).pk,
            "object_id": world["association_a"].pk,
        }
    if name == "admin:auth_user_password_change":
        return {"id": world["users"]["member_a"].pk}
    if name.endswith(("_change", "_delete", "_history")) and name != "admin:password_change":
        model_name = name.split(":")[1].rsplit("_", 1)[0].split("_", 1)[1]
        objects = {
            "association": lambda: world["association_a"],
            "user": lambda: world["users"]["member_a"],
            "citycontract": lambda: CityContract.objects.get(slug="orly"),
            "commune": lambda: Commune.objects.first(),
            "qpv": lambda: Qpv.objects.first(),
            "invitation": lambda: world["invitation"],
            "accessattempt": lambda: world["access_attempt"],
            "event": lambda: world["audit_role_change"],
        }
        return {"object_id": objects[model_name]().pk}
    return {}


def url_names(patterns=None, namespace=None):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


# --- Coordination: exports; privacy: the personal-data archive (issue 11, « exports ») -------

EXPORTERS = {"officer_t1": 200, "officer_t2": 200, "coordinator": 200}
MATRIX.update(
    {
        "coordination:exports": Row(only(EXPORTERS)),
        # Another person's export job is no page, even for the coordination.
        "coordination:export_job": Row(
            only({"coordinator": 200}), kwargs=lambda w: {"pk": w["export_job"].pk}
        ),
        "coordination:export_download": Row(
            only({"coordinator": 200}), kwargs=lambda w: {"pk": w["export_job"].pk}
        ),
        "privacy:data": Row(signed_in(200)),
        "privacy:data_export": Row(signed_in(302), method="post"),
        "privacy:data_export_download": Row(
            only({"member_a": 200}), kwargs=lambda w: {"pk": w["data_export_a"].pk}
        ),
    }
)
VARIANTS.update(
    {
        # The jury's results: the coordination's only; an unknown dataset is no page.
        "coordination:exports#results": Row(only({"coordinator": 200}), data={"jeu": "resultats"}),
        "coordination:exports#unknown_dataset": Row(only({}), data={"jeu": "personnes"}),
        "coordination:export_job#officer": Row(
            only({"officer_t1": 200}), kwargs=lambda w: {"pk": w["export_job_officer"].pk}
        ),
        "privacy:data_export#get": Row(signed_in(405)),
    }
)


def _coordination_exports_world(users):
    """A ready export of the coordinator's, and one of the chef de projet of Seine Amont."""
    from coordination import exports
    from core import files

    def ready(owner, dataset):
        request = exports.Request(
            dataset=dataset, edition=None, columns=("titre",), fmt="csv", private=False
        )
        job, _ = exports.export_later(user=owner, request=request, total=1)
        files.file_build(job.pk)
        return job

    return {
        "export_job": ready(users["coordinator"], exports.PROJECTS),
        "export_job_officer": ready(users["officer_t1"], exports.PROJECTS),
    }


def _privacy_export_world(users):
    """Member A's personal-data archive, ready."""
    from core import files
    from privacy import export

    archive, _ = export.data_export_request(user=users["member_a"])
    files.file_build(archive.pk)
    return {"data_export_a": archive}


def variant_url_name(case):
    return case.split("#", 1)[0]


def expected_for(name):
    if name in MATRIX:
        return MATRIX[name].expected
    if name.startswith("admin:"):
        return ADMIN_OVERRIDES.get(name, ADMIN_DEFAULT)
    raise KeyError(name)


def _laureate(w, key):
    return {"year": w[key].year, "slug": w[key].slug}


def _public_laureates_world(association_a, ivry):
    """A public card, a card to review beside it, a card of a showcase in preparation."""
    from laureates.enums import CardState
    from tests.laureates.factories import LaureateFactory

    public = LaureateFactory(
        public=True, association=association_a, commune=ivry, title="Jardin partagé"
    )
    return {
        "laureate_public": public,
        "laureate_draft": LaureateFactory(
            edition=public.edition, state=CardState.DRAFT, title="Fiche à relire"
        ),
        "laureate_unpublished": LaureateFactory(title="Vitrine en préparation"),
    }


def _jury_project(w):
    return {"pk": w["jury_session"].pk, "project_pk": w["shortlisted_a"].pk}


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _attachment(project_obj, author):
    from django.core.files.base import ContentFile

    from submissions.models import Attachment

    attachment = Attachment(
        project=project_obj,
        kind="statuts",
        original_name="statuts.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=author,
    )
    attachment.file.save("statuts.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


def _showcase_year(w):
    return {"year": w["card_a"].year}


def _laureates_world(association_a):
    """A published showcase with association A's public card (with its photo), and a card
    of another edition whose showcase is still in preparation."""
    from django.core.files.base import ContentFile

    from laureates.enums import CardState
    from tests.laureates.factories import LaureateFactory

    card_a = LaureateFactory(public=True, association=association_a, photo_alt="Le jardin.")
    card_a.photo.save("jardin.png", ContentFile(PNG_BYTES))
    card_hidden = LaureateFactory(
        association=association_a, state=CardState.READY, photo_alt="La fresque."
    )
    card_hidden.photo.save("fresque.png", ContentFile(PNG_BYTES))
    return {"card_a": card_a, "card_hidden": card_hidden}


def _jury_world(users, association_a, ivry, edition):
    """An open session with one shortlisted project and the juror seated, no conflict."""
    from jury import services as jury_services
    from jury.models import JurySession

    coordinator = users["coordinator"]
    shortlisted = ProjectFactory(
        association=association_a, deposited=True, complete=True, commune=ivry, edition=edition
    )
    Project.objects.filter(pk=shortlisted.pk).update(state=ProjectState.SHORTLISTED)
    shortlisted.refresh_from_db()
    criteria = jury_services.criteria_initialise(edition=edition, actor=coordinator)
    session = JurySession(
        edition=edition, title="Séance de test", starts_at=edition.deposit_deadline
    )
    jury_services.session_save(session=session, actor=coordinator)
    seat = jury_services.juror_add(
        session=session,
        actor=coordinator,
        email=users["juror"].email,
        first_name="J",
        last_name="Uré",
        quality="elu",
    )
    second = jury_services.juror_add(
        session=session,
        actor=coordinator,
        email="second.jure@exemple.test",
        first_name="Second",
        last_name="Juré",
        quality="technicien",
    )
    audition = jury_services.audition_add(session=session, project=shortlisted, actor=coordinator)
    jury_services.session_open(session=session, actor=coordinator)
    jury_services.declaration_save(member=seat, project=shortlisted, has_conflict=False, reason="")
    # Every proposal is made: the closing can be confirmed.
    jury_services.proposal_save(
        session=session,
        project=shortlisted,
        actor=coordinator,
        decision="not_selected",
        amount=0,
        justification="Projet à représenter.",
    )
    # A closed session of another edition, presided by the juror.
    presided = JurySession(
        edition=EditionFactory(),
        title="Séance présidée",
        starts_at=edition.deposit_deadline,
        president=users["juror"],
    )
    jury_services.session_save(session=presided, actor=coordinator)
    JurySession.objects.filter(pk=presided.pk).update(state="closed", closed_at=timezone.now())
    from core import files
    from core.models import BackgroundFile
    from jury import bundle as jury_bundle

    # The coordination's bundle (every dossier) is being built.
    parameters = {"session": session.pk, "excluded": ""}
    BackgroundFile.objects.create(
        owner=coordinator,
        kind=jury_bundle.KIND,
        title="Dossier du jury",
        parameters=parameters,
        fingerprint=files.fingerprint(jury_bundle.KIND, parameters),
        source_hash=jury_bundle.source_hash(session, ""),
        total=2,
        expires_at=timezone.now() + jury_bundle.KEEP,
    )
    return {
        "shortlisted_a": shortlisted,
        "shortlisted_attachment": _attachment(shortlisted, users["member_a"]),
        "criterion": criteria[0],
        "jury_session": session,
        "seat": seat,
        "second_seat": second,
        "audition": audition,
        "presided_session": presided,
    }


def _laureate_world(association_a, ivry):
    """A laureate of association A with its certificate and badge.

    A laureate of the archives (no project on the portal): the label is won
    without adding a project to the lists the other rows count.
    """
    from tests.laureates.factories import LaureateFactory

    # A past year: the factory's sequence of years stays free for the other rows (2040…).
    edition = EditionFactory(year=2019, state="archived", results_published_at=timezone.now())
    return {
        "certified_a": LaureateFactory(
            project=None, association=association_a, edition=edition, commune=ivry
        )
    }


def _followup_world(users, association_a, association_b, ivry, edition):
    """Association A's laureate project in follow-up, and B's; one more ready to complete."""
    import datetime

    from django.core.files.base import ContentFile

    from laureates.models import ReportAttachment
    from tests.laureates.followup_factories import (
        MilestoneFactory,
        ReportFactory,
        TrancheFactory,
        followup_laureate,
    )

    laureate_a = followup_laureate(association=association_a, edition=edition, commune=ivry)
    report_expected = ReportFactory(laureate=laureate_a, text="Un début de bilan.")
    report_file = ReportAttachment(
        report=report_expected,
        original_name="emargement.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=users["member_a"],
    )
    report_file.file.save("emargement.pdf", ContentFile(PDF_BYTES), save=False)
    report_file.save()
    laureate_done = followup_laureate(association=association_a, edition=edition, commune=ivry)
    ReportFactory(laureate=laureate_done, final=True, accepted=True)
    laureate_b = followup_laureate(association=association_b, edition=edition)
    return {
        "laureate_a": laureate_a,
        "laureate_b": laureate_b,
        # Their projects, « Lauréat »: coached in Ivry-sur-Seine (Seine Amont).
        "project_laureate_a": laureate_a.project,
        "project_laureate_b": laureate_b.project,
        "project_laureate_done": laureate_done.project,
        "laureate_done": laureate_done,
        "tranche_a": TrancheFactory(
            laureate=laureate_a, due_on=datetime.date.today() - datetime.timedelta(days=3)
        ),
        "milestone_a": MilestoneFactory(laureate=laureate_a),
        "report_expected": report_expected,
        "report_file": report_file,
        "report_submitted": ReportFactory(laureate=laureate_a, final=True, submitted=True),
    }


def _coordination_audit_world(users):
    """An entry of the audit trail: the coordinator made someone a juror."""
    from core.audit import record_role_change, saved_roles_of

    juror = users["juror"]
    before = {**saved_roles_of(juror), "is_juror": False}
    return {
        "audit_role_change": record_role_change(
            actor=users["coordinator"], user=juror, before=before
        ),
    }


def _network_meetings_world():
    """A meeting in preparation; a published one with a seat given and a waitlisted person."""
    from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory

    draft = MeetingFactory(draft=True, title="Rencontre en préparation")
    ProgrammeItemFactory(meeting=draft)
    published = MeetingFactory(title="Rencontre ouverte", capacity=1)
    ProgrammeItemFactory(meeting=published, is_workshop=True, title="Atelier au choix")
    seated = RegistrationFactory(meeting=published, dietary_needs="Végétarien")
    RegistrationFactory(meeting=published, waitlisted=True)
    return {"meeting_draft": draft, "meeting_open": published, "registration_seated": seated}


def _network_directory_world(association_a):
    """Association A's laureate member, another laureate's (its card not public), a public
    partner and a partner who shows to the network's members only. Association B is none."""
    from laureates.models import Laureate
    from network.models import NetworkMember
    from network.services.directory import sync_laureate_members
    from tests.laureates.factories import LaureateFactory
    from tests.network.factories import NetworkMemberFactory

    unpublished = LaureateFactory(association_name="Lauréat pas encore publié")
    sync_laureate_members(
        laureates=Laureate.objects.filter(association__in=[association_a, unpublished.association])
    )
    return {
        "network_member_a": NetworkMember.objects.get(association=association_a),
        "network_unpublished": NetworkMember.objects.get(association=unpublished.association),
        "network_partner": NetworkMemberFactory(name="Partenaire public"),
        "network_unlisted": NetworkMemberFactory(name="Partenaire discret", listed=False),
    }


def _attendance_meeting(world):
    return {"pk": world["attendance_meeting"].pk}


def _checkin_code(world, key):
    return {"pk": world["attendance_meeting"].pk, "code": world[key].checkin_code}


def _network_attendance_world():
    from tests.network.factories import MeetingFactory, RegistrationFactory

    meeting = MeetingFactory()
    return {
        "attendance_meeting": meeting,
        "attendance_seated": RegistrationFactory(meeting=meeting),
        "attendance_attended": RegistrationFactory(meeting=meeting, attended=True),
    }


def _reg_token(w, key, action="view"):
    from network.tokens import registration_token

    return {"token": registration_token(w[key], action)}


def _network_registration_world():
    """A meeting open for registration (a seat given, an address to confirm, a waitlisted
    person), one whose registration is closed, one in preparation."""
    from tests.network.factories import (
        MeetingFactory,
        ProgrammeItemFactory,
        RegistrationFactory,
    )

    meeting = MeetingFactory(title="Rencontre de la matrice", ask_workshop=True)
    ProgrammeItemFactory(meeting=meeting, is_workshop=True, title="Atelier de la matrice")
    full = MeetingFactory(
        title="Rencontre complète", capacity=1, ask_dietary=True, ask_accessibility=True
    )
    past = MeetingFactory(past=True, title="Rencontre passée", material="https://exemple.test/")
    ProgrammeItemFactory(meeting=past, title="Table ronde passée")
    return {
        "reg_full": full,
        "reg_full_seat": RegistrationFactory(meeting=full),
        "reg_past": past,
        "reg_attended": RegistrationFactory(meeting=past, attended=True),
        "reg_cancelled_meeting": MeetingFactory(
            title="Rencontre annulée", state="cancelled", cancel_reason="Salle indisponible."
        ),
        "reg_cancelled": RegistrationFactory(meeting=full, cancelled=True),
        "reg_meeting": meeting,
        "reg_meeting_closed": MeetingFactory(closed=True, title="Rencontre close"),
        "reg_draft": MeetingFactory(draft=True, title="Rencontre en préparation, inscriptions"),
        "reg_seated": RegistrationFactory(meeting=meeting),
        "reg_pending": RegistrationFactory(meeting=meeting, pending=True),
        "reg_waitlisted": RegistrationFactory(meeting=meeting, waitlisted=True),
    }


def _coordination_dashboard_world():
    """The contrats de ville of the two chefs de projet; the world's projects fill their pages."""
    return {
        "dashboard_contract_t1": CityContract.objects.get(slug="seine-amont"),
        "dashboard_contract_t2": CityContract.objects.get(slug="orly"),
    }


def _notifications_world(users):
    """A notification of member A, a draft mailing to member A, and one already sent."""
    from notifications import services as notification_services

    project = ProjectFactory(title="Projet notifié")
    (notification,) = notification_services.notify(
        kind="message",
        users=[users["member_a"]],
        title="Nouveau message : Projet notifié",
        link=project.get_absolute_url(),
        mail_template="submissions/email/assigned",
        context={"project": project, "project_url": "http://testserver/"},
    )

    def draft():
        return notification_services.mailing_compose(
            kind="reminder",
            title="Relance de la matrice",
            template="submissions/email/assigned",
            recipients=[
                notification_services.Recipient(
                    user=users["member_a"],
                    context={"project": project, "project_url": "http://testserver/"},
                    link=project.get_absolute_url(),
                )
            ],
            actor=users["coordinator"],
        )

    mailing = draft()
    sent = draft()
    notification_services.mailing_send(mailing=sent, actor=users["coordinator"])
    from core.models import MailStatus, OutgoingMail

    def mail(status):
        return OutgoingMail.objects.create(
            to=["panne@exemple.test"], subject="Accusé de dépôt", text="Bonjour", status=status
        )

    return {
        "notification_a": notification,
        "mailing_draft": mailing,
        "mailing_message": mailing.messages.get(),
        "mailing_sent": sent,
        "failed_mail": mail(MailStatus.FAILED),
        "sent_mail": mail(MailStatus.SENT),
    }


def _build_world():
    from axes.models import AccessAttempt

    association_a = AssociationFactory(commune=Commune.objects.get(name="Ivry-sur-Seine"))
    association_b = AssociationFactory(commune=Commune.objects.get(name="Athis-Mons"))
    seine_amont = CityContract.objects.get(slug="seine-amont")
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    users = {
        "anonymous": None,
        "member_a": member_of(association_a),
        "member_b": member_of(association_b),
        "officer_t1": UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont")),
        "officer_t2": UserFactory(officer_contract=CityContract.objects.get(slug="orly")),
        "juror": UserFactory(juror=True),
        "coordinator": UserFactory(coordinator=True),
    }
    edition = EditionFactory(open=True)
    project_a = ProjectFactory(
        association=association_a,
        coaching=True,
        complete=True,
        commune=ivry,
        city_contract=seine_amont,
        partners="Le centre social Monmousseau.",
    )
    record(
        PROJECT,
        project_a,
        "take_into_coaching",
        actor=users["officer_t1"],
        from_state=ProjectState.PROPOSED,
        to_state=ProjectState.COACHING,
    )
    CoachingEntryFactory(project=project_a, author=users["officer_t1"])
    CoachingEntryFactory(
        project=project_a,
        author=users["officer_t1"],
        visibility=Visibility.SHARED,
        text="Le dossier avance bien.",
        next_steps="Compléter le budget.",
    )
    attachment_a = _attachment(project_a, users["member_a"])
    deposited_a = ProjectFactory(
        association=association_a, deposited=True, complete=True, commune=ivry
    )
    eligible_a = ProjectFactory(
        association=association_a, eligible=True, complete=True, commune=ivry
    )
    MessageFactory(project=project_a, author=users["member_a"])
    jury = _jury_world(users, association_a, ivry, edition)
    laureates = _laureates_world(association_a)
    certified = _laureate_world(association_a, ivry)
    followup = _followup_world(users, association_a, association_b, ivry, edition)
    MessageFactory(project=project_a, author=users["officer_t1"], body="Jeudi 10 h, au centre.")
    return {
        "association_a": association_a,
        "association_b": association_b,
        "users": users,
        "edition": edition,
        "project_a": project_a,
        # A draft that already names the contrat de ville: only the draft
        # state keeps the chef de projet out.
        "draft_a": ProjectFactory(
            association=association_a, commune=ivry, city_contract=seine_amont
        ),
        "deposited_a": deposited_a,
        "eligible_a": eligible_a,
        "attachment_a": attachment_a,
        **jury,
        **laureates,
        **certified,
        **_public_laureates_world(association_a, ivry),
        **followup,
        **_network_meetings_world(),
        **_network_directory_world(association_a),
        **_network_attendance_world(),
        **_network_registration_world(),
        **_coordination_exports_world(users),
        **_privacy_export_world(users),
        **_coordination_dashboard_world(),
        **_coordination_audit_world(users),
        **_notifications_world(users),
        "attachment_of_deposited": _attachment(deposited_a, users["member_a"]),
        # Chevilly-Larue has a QPV but no contrat de ville: the coordinators' queue.
        "unassigned_a": ProjectFactory(
            association=association_a,
            proposed=True,
            complete=True,
            commune=Commune.objects.get(name="Chevilly-Larue"),
            city_contract=None,
        ),
        "invitation": InvitationFactory(association=association_a, email="invitee@exemple.test"),
        "access_attempt": AccessAttempt.objects.create(
            username="x@exemple.test", ip_address="127.0.0.1", failures_since_start=1
        ),
    }


# Built once for all the tests of a worker that use it, in this module and in
# test_middleware, test_dates and test_html_validity (which import ``world``);
# each test gets a copy, in a savepoint rolled back after it (tests/shared_world.py).
def _signed_in_world():
    """The world, and a session opened once for each role that signs in (see ``sign_in``)."""
    from django.test import Client

    built = _build_world()
    sessions = {}
    for role, user in built["users"].items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {**built, "sessions": sessions}


def sign_in(client, world, role):
    """Sign the client in as ``role`` (or out, for "anonymous") with the world's session.

    What ``logout`` then ``force_login`` do (no cookie left from an earlier answer), without
    opening a new session (six queries) for each of the matrix's requests: a test's changes
    to the session, a logout included, are rolled back with its savepoint.
    """
    client.cookies.clear()
    if role in world["sessions"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]


MATRIX_WORLD = SharedWorld("matrice des permissions", _signed_in_world, copied=True)
world = MATRIX_WORLD.fixture()


def test_every_url_name_is_in_the_matrix():
    missing = []
    for name in url_names():
        try:
            expected_for(name)
        except KeyError:
            missing.append(name)
    assert missing == []


def test_matrix_has_no_stale_row():
    assert set(MATRIX) - set(url_names()) == set()
    assert {variant_url_name(case) for case in VARIANTS} - set(MATRIX) == set()


def _check_valid_html(response):
    # 400: a form shown again with its errors is a page people read too.
    if response.status_code in (200, 400) and response["Content-Type"].startswith("text/html"):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(response.content)


@pytest.mark.ignore_template_errors  # Django's own admin templates probe optional variables.
@pytest.mark.parametrize("role", ROLES)
def test_admin_answers_match_the_matrix(client, world, role):
    sign_in(client, world, role)
    answers = {}
    for name in url_names():
        if not name.startswith("admin:") or name in MATRIX:
            continue
        response = client.get(reverse(name, kwargs=admin_kwargs(name, world)))
        answers[name] = response.status_code
        assert_no_other_cookie(response)
    expected = {name: expected_for(name)[role] for name in answers}
    assert answers == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX) + sorted(VARIANTS))
def test_portal_answers_match_the_matrix(client, world, role, name):
    row = MATRIX.get(name) or VARIANTS[name]
    sign_in(client, world, role)
    url = reverse(variant_url_name(name), kwargs=row.kwargs(world) if row.kwargs else {})
    data = row.data(world) if callable(row.data) else row.data

    response = getattr(client, row.method)(url, data)

    assert response.status_code == row.expected[role]
    # No cookie but the session's and the CSRF token's, on any page (tests/test_cookies.py).
    assert_no_other_cookie(response)
    if role == "anonymous" and row.expected[role] == LOGIN and name != "accounts:logout":
        assert response.url.startswith("/compte/connexion/?next=")
    _check_valid_html(response)


def test_a_user_model_without_roles_sees_no_private_object(client, world):
    """A signed-in person without any role gets 404 on every object page."""
    client.force_login(UserFactory())
    for name in ["accounts:association_detail", "accounts:association_update"]:
        url = reverse(name, kwargs=association_a(world))
        assert client.get(url).status_code == 404
    assert Invitation.objects.count() == 1
    assert User.objects.filter(is_coordinator=True).count() == 1


def test_a_user_without_roles_gets_404_on_every_project_page(client, world):
    client.force_login(UserFactory())
    project_a = world["project_a"]
    for url in [
        reverse("submissions:project_list"),
        reverse("submissions:project_create"),
        reverse("submissions:project_detail", args=[project_a.pk]),
        reverse("submissions:project_section", args=[project_a.pk, "besoin"]),
        reverse("submissions:inbox"),
        reverse("submissions:edition_list"),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("submissions:project_transition", args=[project_a.pk, "mark_ready"]),
        reverse("submissions:message_create", args=[project_a.pk]),
        reverse("submissions:checklist_update", args=[project_a.pk]),
    ]:
        assert client.post(url, {"body": "Bonjour"}).status_code == 404, url


# What a refused POST must leave untouched.
def _fingerprint():
    from laureates.models import FundingTranche, Milestone, Report, ReportAttachment
    from network.models import NetworkMember, Registration

    return {
        "followup": [
            sorted(FundingTranche.objects.values_list("pk", "amount", "due_on", "paid_on")),
            sorted(Milestone.objects.values_list("pk", "status", "note")),
            sorted(Report.objects.values_list("pk", "state", "text")),
            ReportAttachment.objects.count(),
        ],
        "messages": Message.objects.count(),
        "network_registrations": sorted(
            Registration.objects.values_list("pk", "state", "email", "checkin_code")
        ),
        "coaching_entries": CoachingEntry.objects.count(),
        "events": Event.objects.count(),
        "editions": sorted(Edition.objects.values_list("year", "title", "state")),
        "invitations": Invitation.objects.count(),
        "network_members": sorted(
            NetworkMember.objects.values_list("pk", "name", "description", "is_active")
        ),
        "projects": sorted(
            Project.objects.values_list(
                "pk",
                "association_id",
                "state",
                "city_contract_id",
                "version",
                "need",
                "check_need_clear",
                "check_budget_balanced",
            )
        ),
    }


# POSTs answered 302 (or 200) although the person may not do what they asked:
# the view sends them back with an error message, or shows the form again.
REFUSED = {
    ("submissions:project_delete#coaching", "member_a"),
    ("submissions:project_delete#coaching", "officer_t1"),
    ("submissions:project_delete#coaching", "coordinator"),
    # Already open / a proposal missing / no project chosen: told why, nothing changes.
    ("jury:session_open", "coordinator"),
    ("jury:session_close", "coordinator"),
    ("jury:audition_add", "coordinator"),
    ("jury:results_publish", "coordinator"),
    ("submissions:project_transition", "member_a"),
    ("submissions:project_transition#shortlist", "member_a"),
    ("submissions:project_transition#shortlist", "officer_t1"),
    ("submissions:project_transition#propose_draft", "member_a"),
    # Not confirmed: the confirmation page (200) or, for who may not act, the reason (302).
    ("submissions:project_transition#withdraw_unconfirmed", "member_a"),
    ("submissions:project_transition#withdraw_unconfirmed", "officer_t1"),
    ("submissions:project_transition#withdraw_unconfirmed", "coordinator"),
    ("submissions:project_delete#unconfirmed", "member_a"),
    ("submissions:edition_transition#open_again", "coordinator"),
    ("submissions:edition_transition#close_post", "coordinator"),
    # The member may not accept a report; the final report is not accepted yet.
    ("laureates:followup_report_transition#accept", "member_a"),
    # Already sent: told so, nothing leaves again.
    ("notifications:mailing_send#sent", "coordinator"),
}
ALL_ROWS = {**MATRIX, **VARIANTS}
REFUSED_POSTS = sorted(
    (name, role)
    for name, row in ALL_ROWS.items()
    if row.method == "post" and name != "accounts:logout"
    for role in ROLES
    if row.expected[role] in (400, 403, 404, 405)
    or (role == "anonymous" and row.expected[role] == LOGIN)
    or (name, role) in REFUSED
)


def test_refused_cases_are_rows_of_the_matrix():
    for name, role in REFUSED:
        assert ALL_ROWS[name].method == "post"
        assert ALL_ROWS[name].expected[role] in (200, 302)


@pytest.mark.parametrize(("name", "role"), REFUSED_POSTS)
def test_a_refused_post_changes_nothing(client, world, name, role):
    row = ALL_ROWS[name]
    sign_in(client, world, role)
    url = reverse(variant_url_name(name), kwargs=row.kwargs(world) if row.kwargs else {})
    data = row.data(world) if callable(row.data) else row.data
    before = _fingerprint()

    response = client.post(url, data)

    assert response.status_code == row.expected[role]
    assert _fingerprint() == before
    if response.status_code == 302 and role != "anonymous":
        levels = [message.level for message in get_messages(response.wsgi_request)]
        assert levels and set(levels) == {message_levels.ERROR}


@pytest.mark.parametrize(
    ("role", "state", "level"),
    [
        ("member_a", ProjectState.COACHING, message_levels.ERROR),
        ("officer_t1", ProjectState.READY, message_levels.SUCCESS),
        ("coordinator", ProjectState.READY, message_levels.SUCCESS),
    ],
)
def test_transition_outcome_follows_the_transition_table(client, world, role, state, level):
    project_a = world["project_a"]
    client.force_login(world["users"][role])

    response = client.post(
        reverse("submissions:project_transition", args=[project_a.pk, "mark_ready"])
    )

    assert response.status_code == 302
    assert response.url == project_a.get_absolute_url()
    assert [message.level for message in get_messages(response.wsgi_request)] == [level]
    project_a.refresh_from_db()
    assert project_a.state == state
    recorded = Event.objects.for_object(project_a).filter(action="mark_ready")
    assert list(recorded.values_list("actor", flat=True)) == (
        [world["users"][role].pk] if state == ProjectState.READY else []
    )


@pytest.mark.parametrize(
    ("role", "allowed"), [("member_a", False), ("officer_t1", False), ("coordinator", True)]
)
def test_only_coordinators_shortlist(client, world, role, allowed):
    eligible = world["eligible_a"]
    client.force_login(world["users"][role])

    client.post(reverse("submissions:project_transition", args=[eligible.pk, "shortlist"]))

    eligible.refresh_from_db()
    assert eligible.state == (ProjectState.SHORTLISTED if allowed else ProjectState.ELIGIBLE)


def test_a_deposited_dossier_is_declared_eligible_before_it_is_shortlisted(client, world):
    deposited = world["deposited_a"]
    client.force_login(world["users"]["coordinator"])

    client.post(reverse("submissions:project_transition", args=[deposited.pk, "shortlist"]))
    deposited.refresh_from_db()
    assert deposited.state == ProjectState.DEPOSITED
    for name in ["declare_eligible", "shortlist"]:
        client.post(reverse("submissions:project_transition", args=[deposited.pk, name]))

    deposited.refresh_from_db()
    assert deposited.state == ProjectState.SHORTLISTED
    assert list(Event.objects.for_object(deposited).values_list("from_state", "to_state")) == [
        (ProjectState.DEPOSITED, ProjectState.ELIGIBLE),
        (ProjectState.ELIGIBLE, ProjectState.SHORTLISTED),
    ]


def test_the_coordinator_assigns_a_project_of_the_queue(client, world):
    unassigned = world["unassigned_a"]
    seine_amont = CityContract.objects.get(slug="seine-amont")
    client.force_login(world["users"]["coordinator"])

    response = client.post(
        reverse("submissions:project_assign", args=[unassigned.pk]),
        {"city_contract": seine_amont.pk},
    )

    assert response.status_code == 302
    unassigned.refresh_from_db()
    assert unassigned.city_contract == seine_amont
    # From now on the chef de projet of Seine Amont sees it, the one of Orly does not.
    client.force_login(world["users"]["officer_t1"])
    assert client.get(unassigned.get_absolute_url()).status_code == 200
    client.force_login(world["users"]["officer_t2"])
    assert client.get(unassigned.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "sees_internal"),
    [("member_a", False), ("officer_t1", True), ("coordinator", True)],
)
def test_internal_coaching_notes_stay_with_the_coaches(client, world, role, sees_internal):
    client.force_login(world["users"][role])

    response = client.get(world["project_a"].get_absolute_url())

    assert response.status_code == 200
    texts = [entry.text for entry in response.context["page"].coaching_entries]
    content = response.content.decode()
    assert "Le dossier avance bien." in texts
    assert ("Premier rendez-vous : le budget est à revoir." in texts) is sees_internal
    assert ("le budget est à revoir" in content) is sees_internal


# The laureate projects of the follow-up's world.
LAUREATES = ("project_laureate_a", "project_laureate_b", "project_laureate_done")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer_t1", {"project_a", "deposited_a", "eligible_a", "shortlisted_a", *LAUREATES}),
        ("officer_t2", set()),
        (
            "coordinator",
            {"project_a", "deposited_a", "eligible_a", "shortlisted_a", "unassigned_a", *LAUREATES},
        ),
    ],
)
def test_the_inbox_lists_the_coach_projects_and_no_draft(client, world, role, expected):
    client.force_login(world["users"][role])

    response = client.get(reverse("submissions:inbox"))

    assert response.status_code == 200
    keys = {"project_a", "deposited_a", "eligible_a", "shortlisted_a", "unassigned_a", "draft_a"}
    keys |= set(LAUREATES)
    by_pk = {world[key].pk: key for key in keys}
    assert {by_pk[item.pk] for item in response.context["inbox"].page_obj.object_list} == expected
