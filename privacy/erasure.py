"""The right to erasure: an account emptied of everything personal, its traces kept whole.

The ``User`` row is never deleted: projects, coaching notes, messages,
evaluations, declarations, minutes and the event log point to it, and keep
their integrity; the person is shown there as « Compte supprimé »
(``accounts.models.ERASED_ACCOUNT_LABEL``). What is personal and belongs to
the person alone goes: their sessions, memberships, invitations, reading
marks, sign-in logs, the contact pieces of the network and of the contrats de
ville that carry their address, their notifications and notification choices
(a mail already sent in a mailing stays counted, without address or text),
the mails to their address in the portal's mail queue,
and the files prepared for them (exports, data archives). Their seats at meetings to come are given up (the next
person on the waitlist gets one), and every registration is anonymised (the
meetings' counts stay right).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import Association, CityContract, Invitation, Membership, User
from core import cache_versions
from core.audit import ACCOUNT, record_membership, record_role_change, roles_of
from core.files import delete_owned
from core.models import MailStatus, OutgoingMail
from core.workflow import record
from network.enums import MeetingState
from network.models import NetworkMember, Registration
from network.services.registration import cancel_registration
from network.workflows import MEMBER, REGISTRATION
from notifications.models import (
    DigestMail,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from submissions.models import ThreadRead

# The reserved top-level domain: an erased address can never receive a mail.
ERASED_DOMAIN = "efface.invalid"
ERASED_NAME = ("Compte", "supprimé")
# The reason written in the event log when the retention job erases an inactive account.
RETENTION_REASON = "Durée de conservation dépassée"
# The reason of the entries that the erasure writes besides its own (roles, memberships).
ERASURE = "Suppression du compte"


class ErasureRefused(ValidationError):
    """An account the portal may not erase now: the message says why, in French."""


def erasure_refusal(user: User) -> str | None:
    """Return why ``user``'s account may not be erased now, or None."""
    if user.erased_at is not None:
        return "Ce compte est déjà supprimé."
    if user.is_coordinator and user.is_active:
        others = User.objects.filter(
            is_coordinator=True, is_active=True, erased_at__isnull=True
        ).exclude(pk=user.pk)
        if not others.exists():
            return (
                "Vous êtes le dernier compte actif de la coordination : le portail ne peut "
                "pas rester sans coordination. Donnez d'abord le rôle de coordination à une "
                "autre personne, puis supprimez votre compte."
            )
    return None


def delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the rows that named it are gone for good."""
    storage, name = file.storage, file.name
    if not name:
        return
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def _end_sessions(user: User) -> int:
    """Sign the person out everywhere: delete every session opened on the account."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _forget_contact_pieces(user: User, actor: User | None) -> None:
    """Empty the public contact pieces that carry the person's own address."""
    address = user.email
    for member in NetworkMember.objects.select_for_update().filter(contact_email__iexact=address):
        NetworkMember.objects.filter(pk=member.pk).update(
            contact_name="", contact_email="", contact_phone="", version=F("version") + 1
        )
        record(
            MEMBER,
            member,
            "edit",
            actor=actor,
            changes={"fields": ["contact_name", "contact_email", "contact_phone"]},
        )
    CityContract.objects.filter(officer_email__iexact=address).update(
        officer_name="", officer_email="", officer_phone=""
    )
    Association.objects.filter(contact_email__iexact=address).update(contact_email="")
    if user.phone:
        Association.objects.filter(contact_phone=user.phone).update(contact_phone="")


def _forget_notifications(user: User) -> None:
    """In-app notifications, choices and digests go; mails of a mailing lose who they went to.

    A mail not sent yet leaves the draft (and the queue); a sent one stays in
    the mailing's record of what left, without the address, the name or the
    text (which greeted the person).
    """
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    DigestMail.objects.filter(user=user).delete()
    messages = OutboxMessage.objects.filter(user=user)
    unsent = messages.exclude(mail__status=MailStatus.SENT)
    OutgoingMail.objects.filter(outbox_message__in=unsent).delete()
    unsent.delete()
    for message in messages.select_related("mail"):
        message.email = f"envoi-{message.pk}@{ERASED_DOMAIN}"
        message.text = message.html = ""
        message.user = None
        message.save(update_fields=["email", "text", "html", "user"])
        if message.mail is not None:
            OutgoingMail.objects.filter(pk=message.mail.pk).update(
                to=[message.email], reply_to=[], text="", html="", attachments=[]
            )


def _forget_mails(address: str) -> int:
    """Delete the queue's mails to the person (waiting, failed or sent): a copy, not a record.

    The mails of a mailing were anonymised with it (``_forget_notifications``).
    """
    addresses = {address, address.lower()}
    to_them = OutgoingMail.objects.none()
    for each in addresses:
        to_them = to_them | OutgoingMail.objects.filter(to__contains=[each])
    return to_them.filter(outbox_message__isnull=True).delete()[0]


def _anonymise_registrations(user: User) -> int:
    """Give up the seats of meetings to come (the network's own cancellation: its mail,
    the waitlist moving up), then anonymise every registration of the account."""
    upcoming = Registration.objects.filter(
        user=user,
        state__in=REGISTRATION["cancel"].sources,
        meeting__ends_at__gt=timezone.now(),
    ).exclude(meeting__state=MeetingState.CANCELLED)
    for registration in upcoming.select_related("meeting"):
        cancel_registration(registration=registration, actor=user)
    first, last = ERASED_NAME
    registrations = Registration.objects.filter(user=user)
    for registration in registrations:
        registration.first_name, registration.last_name = first, last
        registration.email = f"inscription-{registration.pk}@{ERASED_DOMAIN}"
        registration.organisation = registration.dietary_needs = ""
        registration.accessibility_needs = ""
        registration.user = None
        registration.save(
            update_fields=[
                "first_name",
                "last_name",
                "email",
                "organisation",
                "dietary_needs",
                "accessibility_needs",
                "user",
            ]
        )
    return len(registrations)


@transaction.atomic
def erase_account(*, user: User, actor: User | None, reason: str = "") -> User:
    """Erase ``user``'s account: anonymise the row, remove what is theirs alone, log it.

    ``actor`` is the person who asked (the user themself), or None for the
    retention job, which gives its ``reason``. Raise ``ErasureRefused`` when the
    account may not be erased (the last active coordinator). Return the erased user.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    refusal = erasure_refusal(locked)
    if refusal:
        raise ErasureRefused(refusal, code="refused")
    address = locked.email
    _end_sessions(locked)
    roles_before = roles_of(locked)
    for membership in Membership.objects.filter(user=locked).select_related("association"):
        record_membership(
            actor=actor,
            user=locked,
            group=membership.association,
            joined=False,
            reason=reason or ERASURE,
        )
        membership.delete()
    Invitation.objects.filter(email__iexact=address, accepted_at__isnull=True).delete()
    ThreadRead.objects.filter(user=locked).delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=address).delete()
    _forget_contact_pieces(locked, actor)
    _anonymise_registrations(locked)
    _forget_notifications(locked)
    _forget_mails(address)
    # Once the erasure is committed: a file deleted cannot come back with a rollback.
    transaction.on_commit(lambda: delete_owned(locked))

    locked.first_name, locked.last_name = ERASED_NAME
    locked.email = f"compte-supprime-{locked.pk}@{ERASED_DOMAIN}"
    locked.phone = ""
    locked.set_unusable_password()
    locked.is_active = False
    locked.is_staff = locked.is_superuser = False
    locked.is_coordinator = locked.is_juror = False
    locked.officer_contract = None
    locked.email_confirmed_at = None
    locked.erased_at = timezone.now()
    locked.save()
    locked.groups.clear()
    locked.user_permissions.clear()
    # The entry says who asked and when; nothing of what was erased.
    record_role_change(actor=actor, user=locked, before=roles_before, reason=reason or ERASURE)
    # Some pieces were blanked by update(), which no cached page hears of: none shows them.
    cache_versions.invalidate_all()
    record(ACCOUNT, locked, "erase", actor=actor, reason=reason)
    return locked
