"""A person's personal data, in one ZIP (RGPD : droit d'accès et droit à la portabilité).

``donnees.json`` holds what the portal keeps about the person, with French
keys and ISO 8601 dates; ``fichiers/`` the files they uploaded; ``LISEZ-MOI.txt``
says what each part is. Only what is theirs: their profile, the associations
and projects they belong to, what they wrote (messages, coaching notes,
declarations, evaluations, reports), their registrations and the entries of
the event log where they acted. Another person's messages or evaluations stay
out, even on a project the person belongs to.

Built in the background (``core.files``, kind « personal-data »), downloaded
by its owner only, kept 7 days.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from accounts.models import Membership, User
from core import files, ratelimit
from core.audit import record_export
from core.models import BackgroundFile, Event
from jury.models import ConflictDeclaration, Evaluation, EvaluationAmendment, JuryMember
from laureates.models import Report, ReportAttachment
from network.models import NetworkMember, Registration
from submissions.models import Attachment, CoachingEntry, Message, Project

KIND = "personal-data"
KEEP = timedelta(days=7)
# A second click on the button within this time gives the same archive.
REUSE_WITHIN = timedelta(minutes=2)
ZIP_CONTENT_TYPE = "application/zip"
# The parts of donnees.json, in order: each one step of the progress.
SECTIONS = (
    "profil",
    "associations",
    "projets",
    "messages",
    "notes_accompagnement",
    "jury",
    "reseau",
    "suivi_laureats",
    "journal",
)

README = """Vos données personnelles — Label Actions Innovantes (EPT Grand-Orly Seine Bièvre)
=================================================================================

Cette archive contient les données que le portail du Label Actions Innovantes
garde à votre sujet, à la date du {date}. Vous l'avez demandée depuis la page
« Mes données » de votre espace (droit d'accès et droit à la portabilité, RGPD
articles 15 et 20).

Ce que contient l'archive
-------------------------
- donnees.json : vos données, lisibles par un tableur ou un programme.
  Les dates suivent la norme ISO 8601 (2026-03-02T14:30:00+01:00).
  Les parties :
  profil               votre compte : nom, adresse e-mail, téléphone, rôles
  associations         les associations dont vous êtes membre
  projets              les projets de ces associations
  messages             les messages que vous avez écrits sur les projets
  notes_accompagnement les notes d'accompagnement que vous avez écrites
  jury                 vos places dans un jury, vos déclarations d'intérêts,
                       vos évaluations et leurs modifications
  reseau               votre fiche dans l'annuaire du réseau et vos inscriptions
                       aux rencontres (retrouvées par votre adresse e-mail)
  suivi_laureats       les bilans de lauréat que vous avez remis ou complétés
  journal              les actions que vous avez faites sur le portail
  fichiers             la liste des fichiers de l'archive
- fichiers/ : les fichiers que vous avez déposés (pièces jointes des projets,
  pièces des bilans).

Les messages, notes ou évaluations écrits par d'autres personnes n'y sont pas :
ce sont leurs données.

Une question, une correction, une demande d'effacement : écrivez à la
coordination du label (page « Données personnelles » du portail).
"""


def _roles(user: User) -> list[str]:
    roles = []
    if user.is_coordinator:
        roles.append("coordination")
    if user.officer_contract is not None:
        roles.append(f"chef de projet du contrat de ville {user.officer_contract.short_name}")
    if user.is_juror:
        roles.append("juré")
    return roles


def _profile(user: User) -> dict:
    return {
        "adresse_email": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "telephone": user.phone,
        "inscrit_le": user.date_joined,
        "adresse_confirmee_le": user.email_confirmed_at,
        "derniere_connexion": user.last_login,
        "roles": _roles(user),
    }


def _associations(user: User) -> list[dict]:
    memberships = Membership.objects.filter(user=user).select_related("association__commune")
    return [
        {
            "nom": m.association.name,
            "type": m.association.get_kind_display(),
            "commune": m.association.commune.name if m.association.commune else "",
            "adresse": m.association.address,
            "email_de_contact": m.association.contact_email,
            "telephone_de_contact": m.association.contact_phone,
            "membre_depuis": m.joined_at,
        }
        for m in memberships.order_by("joined_at", "pk")
    ]


def _attachment_path(attachment: Attachment) -> str:
    return f"fichiers/projets/{attachment.pk}-{get_valid_filename(attachment.original_name)}"


def _report_file_path(attachment: ReportAttachment) -> str:
    return f"fichiers/bilans/{attachment.pk}-{get_valid_filename(attachment.original_name)}"


def _projects(user: User) -> list[dict]:
    projects = (
        Project.objects.filter(association__memberships__user=user)
        .select_related("association", "edition", "commune", "city_contract")
        .order_by("created_at", "pk")
    )
    return [
        {
            "numero": project.pk,
            "titre": project.title,
            "association": project.association.name,
            "etat": project.get_state_display(),
            "edition": project.edition.year if project.edition else None,
            "commune": project.commune.name if project.commune else "",
            "resume": project.summary,
            "besoin": project.need,
            "innovation": project.innovation,
            "implication_des_habitants": project.involvement,
            "public_vise": project.target_public,
            "partenaires": project.partners,
            "calendrier": project.calendar,
            "montant_demande": project.amount_requested,
            "cree_le": project.created_at,
            "depose_le": project.deposited_at,
            "fichiers_que_vous_avez_deposes": [
                _attachment_path(a)
                for a in Attachment.objects.filter(project=project, uploaded_by=user).order_by("pk")
            ],
        }
        for project in projects
    ]


def _messages(user: User) -> list[dict]:
    return [
        {"projet": m.project.title, "ecrit_le": m.created_at, "message": m.body}
        for m in Message.objects.filter(author=user).select_related("project").order_by("pk")
    ]


def _coaching(user: User) -> list[dict]:
    entries = CoachingEntry.objects.filter(author=user).select_related("project")
    return [
        {
            "projet": e.project.title,
            "date": e.happened_on,
            "type": e.get_kind_display(),
            "compte_rendu": e.text,
            "prochaines_etapes": e.next_steps,
            "visibilite": e.get_visibility_display(),
        }
        for e in entries.order_by("happened_on", "pk")
    ]


def _jury(user: User) -> dict:
    seats = JuryMember.objects.filter(user=user).select_related("session__edition")
    declarations = ConflictDeclaration.objects.filter(member__user=user).select_related(
        "project", "member__session"
    )
    evaluations = (
        Evaluation.objects.filter(member__user=user)
        .select_related("project", "member__session")
        .prefetch_related("scores__criterion")
    )
    amendments = EvaluationAmendment.objects.filter(author=user).select_related(
        "evaluation__project"
    )
    return {
        "seances": [
            {
                "seance": seat.session.title,
                "edition": seat.session.edition.year,
                "date": seat.session.starts_at,
                "qualite": seat.get_quality_display(),
                "present": seat.present,
            }
            for seat in seats.order_by("session__starts_at", "pk")
        ],
        "declarations_d_interets": [
            {
                "seance": d.member.session.title,
                "projet": d.project.title,
                "conflit_d_interets": d.has_conflict,
                "motif": d.reason,
                "declaree_le": d.declared_at,
            }
            for d in declarations.order_by("pk")
        ],
        "evaluations": [
            {
                "seance": e.member.session.title,
                "projet": e.project.title,
                "etat": e.get_state_display(),
                "soumise_le": e.submitted_at,
                "commentaire_general": e.general_comment,
                "notes": [
                    {"critere": s.criterion.label, "note": s.value, "commentaire": s.comment}
                    for s in e.scores.all()
                ],
            }
            for e in evaluations.order_by("pk")
        ],
        "modifications_d_evaluations": [
            {
                "projet": a.evaluation.project.title,
                "motif": a.reason,
                "avant": a.before,
                "apres": a.after,
                "le": a.created_at,
            }
            for a in amendments.order_by("pk")
        ],
    }


def _network(user: User) -> dict:
    profiles = NetworkMember.objects.filter(contact_email__iexact=user.email).order_by("pk")
    registrations = (
        Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("meeting")
        .order_by("pk")
    )
    return {
        "fiches_annuaire": [
            {
                "nom": p.name,
                "personne_a_contacter": p.contact_name,
                "email_de_contact": p.contact_email,
                "telephone_de_contact": p.contact_phone,
                "presentation": p.description,
                "site_web": p.website,
            }
            for p in profiles
        ],
        "inscriptions_aux_rencontres": [
            {
                "rencontre": r.meeting.title,
                "prenom": r.first_name,
                "nom": r.last_name,
                "adresse_email": r.email,
                "organisation": r.organisation,
                "etat": r.get_state_display(),
                "regime_alimentaire": r.dietary_needs,
                "besoins_d_accessibilite": r.accessibility_needs,
                "inscrit_le": r.created_at,
            }
            for r in registrations
        ],
    }


def _acted_on(user: User, model) -> set[int]:
    content_type = ContentType.objects.get_for_model(model)
    return set(
        Event.objects.filter(actor=user, content_type=content_type).values_list(
            "object_id", flat=True
        )
    )


def _followups(user: User) -> list[dict]:
    report_ids = _acted_on(user, Report) | set(
        ReportAttachment.objects.filter(uploaded_by=user).values_list("report_id", flat=True)
    )
    reports = Report.objects.filter(pk__in=report_ids).select_related("laureate")
    return [
        {
            "projet": r.laureate.title,
            "bilan": r.get_kind_display(),
            "etat": r.get_state_display(),
            "texte": r.text,
            "remis_le": r.submitted_at,
            "fichiers_que_vous_avez_deposes": [
                _report_file_path(a) for a in r.attachments.filter(uploaded_by=user).order_by("pk")
            ],
        }
        for r in reports.order_by("pk")
    ]


def _journal(user: User) -> list[dict]:
    events = (
        Event.objects.filter(actor=user).select_related("content_type").order_by("created_at", "pk")
    )
    return [
        {
            "le": e.created_at,
            "quoi": f"{e.workflow}.{e.action}",
            "objet": f"{e.content_type.model} n° {e.object_id}",
            "etat_avant": e.from_state,
            "etat_apres": e.to_state,
            "motif": e.reason,
            "changements": e.changes,
        }
        for e in events
    ]


def _files(user: User) -> list[tuple[str, Any]]:
    """(path in the archive, stored file) of everything the person uploaded."""
    found = [
        (_attachment_path(a), a.file)
        for a in Attachment.objects.filter(uploaded_by=user).order_by("pk")
    ]
    found += [
        (_report_file_path(a), a.file)
        for a in ReportAttachment.objects.filter(uploaded_by=user).order_by("pk")
    ]
    return found


COLLECTORS = {
    "profil": _profile,
    "associations": _associations,
    "projets": _projects,
    "messages": _messages,
    "notes_accompagnement": _coaching,
    "jury": _jury,
    "reseau": _network,
    "suivi_laureats": _followups,
    "journal": _journal,
}


def personal_data(user: User, progress: files.Progress | None = None) -> dict:
    """Everything ``donnees.json`` holds, part by part (``progress(done)`` after each)."""
    data: dict[str, Any] = {"genere_le": timezone.now()}
    for index, section in enumerate(SECTIONS, start=1):
        data[section] = COLLECTORS[section](user)
        if progress is not None:
            progress(index)
    return data


def build_archive(row: BackgroundFile, progress: files.Progress) -> files.Built:
    user = User.objects.select_related("officer_contract").get(pk=row.owner_id)
    stored = _files(user)
    progress(0, len(SECTIONS) + len(stored))
    data = personal_data(user, progress)
    data["fichiers"] = [path for path, _file in stored]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(
            "LISEZ-MOI.txt", README.format(date=timezone.localtime().strftime("%d/%m/%Y"))
        )
        for index, (path, stored_file) in enumerate(stored, start=len(SECTIONS) + 1):
            with stored_file.open("rb") as handle:
                archive.writestr(path, handle.read())
            progress(index)
    day = timezone.localdate().isoformat()
    return files.Built(
        content=buffer.getvalue(),
        filename=f"mes-donnees-label-{day}.zip",
        content_type=ZIP_CONTENT_TYPE,
    )


class TooManyRequests(Exception):
    """The daily limit of data exports is reached: ``message`` says when to try again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _count_request(user: User) -> None:
    try:
        ratelimit.count(ratelimit.Limit("personal_data_export", user.pk))
    except ratelimit.LimitReached as reached:
        raise TooManyRequests(
            "Vous avez déjà demandé plusieurs fois vos données aujourd'hui. "
            f"Vous pourrez en demander une nouvelle archive dans {reached.retry_text}."
        ) from reached


@transaction.atomic
def data_export_request(*, user: User, submission_key=None) -> tuple[BackgroundFile, bool]:
    """Queue the person's archive (one while it is being built); note it in the audit trail."""
    row, created = files.request_file(
        owner=user,
        kind=KIND,
        title="Mes données personnelles (ZIP)",
        parameters={},
        total=len(SECTIONS),
        keep=KEEP,
        reuse_within=REUSE_WITHIN,
        submission_key=submission_key,
        before_create=lambda: _count_request(user),
    )
    if created:
        record_export(
            actor=user,
            subject=user,
            what="Données personnelles",
            fmt="zip",
            rows=len(SECTIONS),
            columns=list(SECTIONS),
        )
    return row, created


def data_exports_of(user) -> list[BackgroundFile]:
    """The person's recent archives still kept, newest first."""
    return list(files.files_of(user, KIND)[:5])


def data_export_of(user, pk: int) -> BackgroundFile | None:
    return files.file_of(user, KIND, pk)


def register() -> None:
    files.register(KIND, build_archive)
