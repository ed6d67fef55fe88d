"""Writes about people, associations and territory."""

import secrets

from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Association, CityContract, Commune, Invitation, Membership, User
from accounts.tokens import email_confirmation_token
from core import ratelimit
from core.audit import record_membership, record_role_change, saved_roles_of
from core.links import absolute_url
from core.mail import send_mail_in_background, send_mail_on_commit
from core.once import already_created, save_once
from core.ratelimit import Limit, LimitReached


def _link(user: User, url_name: str, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute_url(reverse(url_name, args=[uid, token]))


def _too_many_from_this_connection(reached: LimitReached) -> ValidationError:
    return ValidationError(
        (
            "Beaucoup de demandes sont parties de votre connexion internet en peu de temps. "
            f"Par sécurité, attendez {reached.retry_text} avant de réessayer."
        ),
        code="rate_limited",
    )


def email_confirmation_send(*, user: User) -> None:
    """Mail the link that confirms the address (and activates the account)."""
    send_mail_in_background(
        template="accounts/email/confirm_email",
        to=[user.email],
        context={
            "user": user,
            "confirm_url": _link(
                user, "accounts:confirm_email", email_confirmation_token.make_token(user)
            ),
        },
    )


def _already_registered_notice(*, email: str) -> None:
    # Same answer on screen as a new sign-up, so nobody learns who has an account;
    # the owner hears of it by mail, once per address per window.
    try:
        ratelimit.count(Limit("signup_known_address", email))
    except LimitReached:
        return
    send_mail_in_background(
        template="accounts/email/already_registered",
        to=[email],
        context={
            "login_url": absolute_url(reverse("accounts:login")),
            "reset_url": absolute_url(reverse("accounts:password_reset")),
        },
    )


@transaction.atomic
def member_sign_up(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    association_name: str,
    association_kind: str,
    commune: Commune,
    client_ip: str,
) -> User | None:
    """Create an unconfirmed account with its association, and mail the confirmation link.

    Return None when the address already has an account: its owner is told by
    mail. Both cases do the same work (one password hash, one mail sent from a
    background task) and the page says the same, so nobody learns who has an account.
    """
    try:
        ratelimit.count(Limit("signup_ip", client_ip))
    except LimitReached as reached:
        raise _too_many_from_this_connection(reached) from None
    email = User.objects.normalize_email(email).lower()
    encoded_password = make_password(password)
    if User.objects.filter(email__iexact=email).exists():
        _already_registered_notice(email=email)
        return None
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_active=False,
        password=encoded_password,
    )
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A double click: the first request created the account.
        return None
    association = Association(name=association_name, kind=association_kind, commune=commune)
    association.full_clean()
    association.save()
    Membership.objects.create(user=user, association=association)
    record_membership(actor=user, user=user, group=association, joined=True)
    email_confirmation_send(user=user)
    return user


@transaction.atomic
def email_confirm(*, user: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is None:
        before = saved_roles_of(user)
        user.email_confirmed_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_confirmed_at", "is_active"])
        record_role_change(actor=user, user=user, before=before, reason="Adresse e-mail confirmée.")
    return user


@transaction.atomic
def email_confirmation_resend(*, email: str, client_ip: str) -> None:
    """Send a new link to an unconfirmed account; say nothing about others.

    At most one link per address per window: past it, nothing leaves and the
    page says the same.
    """
    email = User.objects.normalize_email(email).lower()
    try:
        ratelimit.count(
            Limit("confirmation_resend_ip", client_ip),
            Limit("confirmation_resend_address", email),
        )
    except LimitReached as reached:
        if reached.limit.name == "confirmation_resend_ip":
            raise _too_many_from_this_connection(reached) from None
        return
    user = User.objects.filter(email__iexact=email, email_confirmed_at__isnull=True).first()
    if user is not None:
        email_confirmation_send(user=user)


@transaction.atomic
def password_reset_request(*, email: str, client_ip: str) -> None:
    """Mail a link to choose a new password to every active account of that address.

    Say nothing about who has an account; at most one mail per address per
    window. An invited juror who never chose a password gets one too (his
    invitation link may have expired).
    """
    email = User.objects.normalize_email(email).lower()
    try:
        ratelimit.count(
            Limit("password_reset_ip", client_ip), Limit("password_reset_address", email)
        )
    except LimitReached as reached:
        if reached.limit.name == "password_reset_ip":
            raise _too_many_from_this_connection(reached) from None
        return
    for user in User.objects.filter(email__iexact=email, is_active=True):
        send_mail_in_background(
            template="accounts/email/password_reset",
            to=[user.email],
            context={
                "email": user.email,
                "reset_url": _link(
                    user,
                    "accounts:password_reset_confirm",
                    default_token_generator.make_token(user),
                ),
            },
        )


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.phone = phone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


@transaction.atomic
def association_create(*, actor: User, association: Association, qpvs=()) -> Association:
    """Save a new association and make its creator a member; a double click makes one."""
    if existing := already_created(Association, association.submission_key):
        return existing
    association.full_clean()
    association, created = save_once(association)
    if not created:
        return association
    association.qpvs.set(qpvs)
    _membership, joined = Membership.objects.get_or_create(user=actor, association=association)
    if joined:
        record_membership(actor=actor, user=actor, group=association, joined=True)
    return association


@transaction.atomic
def association_update(*, actor: User, association: Association, qpvs) -> Association:
    association.full_clean()
    association.save()
    association.qpvs.set(qpvs)
    return association


@transaction.atomic
def invitation_send(*, association: Association, actor: User, email: str) -> Invitation:
    """Invite someone to join the association; a second invitation resends the first.

    Each invitation is a mail: so many per association, per member and per
    invited address each day (RATE_LIMITS).
    """
    email = User.objects.normalize_email(email).lower()
    if association.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": "Cette personne est déjà membre de l'association."}, code="member"
        )
    try:
        ratelimit.count(
            Limit("invitation_association", association.pk),
            Limit("invitation_actor", actor.pk),
            Limit("invitation_address", email),
        )
    except LimitReached as reached:
        message = {
            "invitation_association": (
                "Votre association a déjà envoyé beaucoup d'invitations aujourd'hui : "
                "c'est le maximum pour une journée. Attendez %(delay)s avant d'en envoyer "
                "une autre."
            ),
            "invitation_actor": (
                "Vous avez déjà envoyé beaucoup d'invitations aujourd'hui : c'est le "
                "maximum pour une journée. Attendez %(delay)s avant d'en envoyer une autre."
            ),
            "invitation_address": (
                "Cette adresse a déjà reçu plusieurs invitations aujourd'hui. "
                "Attendez %(delay)s avant de l'inviter à nouveau."
            ),
        }[reached.limit.name]
        raise ValidationError(
            message % {"delay": reached.retry_text}, code="rate_limited"
        ) from None
    invitation = (
        Invitation.objects.select_for_update()
        .filter(association=association, email__iexact=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            association=association,
            email=email,
            invited_by=actor,
            token=secrets.token_urlsafe(32),
        )
    else:
        invitation.created_at = timezone.now()
        invitation.invited_by = actor
        invitation.save(update_fields=["created_at", "invited_by"])
    send_mail_on_commit(
        template="accounts/email/invitation",
        to=[email],
        context={
            "association": association,
            "actor": actor,
            "accept_url": absolute_url(
                reverse("accounts:invitation_accept", args=[invitation.token])
            ),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    membership, joined = Membership.objects.get_or_create(
        user=user, association=invitation.association
    )
    if joined:
        record_membership(
            actor=user,
            user=user,
            group=invitation.association,
            joined=True,
            reason="Invitation acceptée.",
        )
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invited_sign_up(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the account of an invited person; the link proved the address."""
    user = User(
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        email_confirmed_at=timezone.now(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def city_contract_contact_update(
    *, contract: CityContract, actor: User, name: str, email: str, phone: str
) -> CityContract:
    contract.officer_name = name
    contract.officer_email = email
    contract.officer_phone = phone
    contract.full_clean()
    contract.save(update_fields=["officer_name", "officer_email", "officer_phone"])
    return contract
