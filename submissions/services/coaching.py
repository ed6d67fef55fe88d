"""Writes of the coaching: routing, checklist, coaching notes, the message thread."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.rules import is_coordinator
from accounts.selectors import association_members
from core import ratelimit
from core.links import absolute_url
from core.once import already_created, save_once
from core.permissions import allowed
from core.ratelimit import Limit, LimitReached
from core.workflow import record
from notifications.services import notify
from submissions.enums import ProjectState, Visibility
from submissions.models import CoachingEntry, Message, Project, ThreadRead
from submissions.rules import is_project_member
from submissions.selectors import NEVER_READ
from submissions.workflows import PROJECT, coaches, tell_assigned


@transaction.atomic
def project_assign(*, project: Project, actor: User, city_contract) -> Project:
    """Route a project of the coordinators' queue to a contrat de ville."""
    if not is_coordinator(actor):
        raise ValidationError("Seule la coordination attribue les projets.")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.city_contract_id is not None or locked.state in {
        ProjectState.DRAFT,
        ProjectState.WITHDRAWN,
    }:
        raise ValidationError("Ce projet n'est pas dans la file à attribuer.")
    locked.city_contract = city_contract
    locked.save(update_fields=["city_contract", "updated_at"])
    record(
        PROJECT,
        locked,
        "assign",
        actor=actor,
        reason=f"Attribué au contrat de ville {city_contract.short_name}.",
        changes={"city_contract": [None, city_contract.pk]},
    )
    tell_assigned(locked)
    return locked


@transaction.atomic
def checklist_save(*, project: Project, actor: User, checks: dict[str, bool]) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not allowed(actor, "submissions.coach_project", locked):
        raise ValidationError("Seul le chef de projet tient la liste de vérification.")
    for name, value in checks.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*checks, "updated_at"])
    return locked


@transaction.atomic
def coaching_entry_add(
    *, project: Project, actor: User, submission_key=None, **fields
) -> CoachingEntry:
    if not allowed(actor, "submissions.coach_project", project):
        raise ValidationError("Seul le chef de projet écrit dans le suivi.")
    if existing := already_created(CoachingEntry, submission_key):
        return existing
    entry = CoachingEntry(project=project, author=actor, submission_key=submission_key, **fields)
    entry.full_clean()
    entry, created = save_once(entry)
    if not created:
        return entry
    if entry.visibility == Visibility.SHARED:
        notify(
            kind="coaching_shared",
            users=association_members(project.association),
            title=f"Note de votre chef de projet : {project.title}",
            link=project.get_absolute_url(),
            mail_template="submissions/email/coaching_shared",
            context={
                "project": project,
                "entry": entry,
                "project_url": absolute_url(project),
            },
        )
    return entry


@transaction.atomic
def message_post(*, project: Project, actor: User, body: str, submission_key=None) -> Message:
    if not allowed(actor, "submissions.write_message", project):
        raise ValidationError("Vous ne participez pas à ce projet.")
    if project.state == ProjectState.DRAFT:
        raise ValidationError(
            "Proposez d'abord le projet : vous pourrez alors écrire à votre chef de projet."
        )
    if existing := already_created(Message, submission_key):
        return existing
    try:
        ratelimit.count(Limit("message_author", actor.pk))
    except LimitReached as reached:
        raise ValidationError(
            (
                "Vous avez envoyé beaucoup de messages en peu de temps. Par sécurité, "
                f"attendez {reached.retry_text} avant d'envoyer celui-ci : il est gardé ci-dessous."
            ),
            code="rate_limited",
        ) from None
    message = Message(
        project=project, author=actor, body=body.strip(), submission_key=submission_key
    )
    message.full_clean()
    message, created = save_once(message)
    if not created:
        return message
    thread_mark_read(project=project, user=actor)
    people = (
        coaches(project)
        if is_project_member(actor, project)
        else association_members(project.association)
    )
    notify(
        kind="message",
        users=[person for person in people if person.pk != actor.pk],
        title=f"Nouveau message : {project.title}",
        link=project.get_absolute_url() + "#messages",
        mail_template="submissions/email/message",
        context={
            "project": project,
            "message": message,
            "project_url": absolute_url(project) + "#messages",
        },
    )
    return message


def thread_mark_read(*, project: Project, user: User) -> None:
    """Note that ``user`` has read the project's messages, when one arrived since last time.

    Opening the page again with nothing new writes nothing (one query, no row locked).
    """
    last_read = ThreadRead.objects.filter(project=project, user=user).values("read_at")[:1]
    unseen = project.messages.filter(created_at__gt=Coalesce(Subquery(last_read), NEVER_READ))
    if not unseen.exists():
        return
    ThreadRead.objects.update_or_create(
        project=project, user=user, defaults={"read_at": timezone.now()}
    )
