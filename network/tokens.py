"""Unguessable links to one registration, for people without an account (signed, per action)."""

from django.core import signing
from django.http import Http404

from network.models import Registration

SALT = "network.registration"


def registration_token(registration: Registration) -> str:
    """The signed token of a registration's links (its page, certificate…)."""
    return signing.dumps(registration.pk, salt=SALT, compress=False)


def registration_from_token(token: str) -> Registration:
    """The registration a token names; a forged or unknown token answers 404."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    registration = Registration.objects.select_related("meeting").filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration
