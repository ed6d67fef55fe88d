"""The links of a registration mailed to its person: signed, so a guessed one answers 404.

A visitor has no account: the links in their mails are their key to their
registration. Each link is ``<pk>.<signature>``: the signature (HMAC of the
SECRET_KEY) covers the registration's id and its check-in code, with a salt per
action, so that the link of the page (also the .ics, the QR code and the
attendance certificate) does not confirm an address, and a registration made
again after a cancellation (a new check-in code) voids the links mailed before.
"""

from django.core import signing
from django.http import Http404
from django.utils.crypto import constant_time_compare

from network.models import Registration

# The page of a registration, its .ics, its QR code and its attendance certificate.
VIEW = "view"
# The link of the first mail: it proves the visitor reads this address.
CONFIRM = "confirm"
CANCEL = "cancel"
ACTIONS = frozenset({VIEW, CONFIRM, CANCEL})


def _signature(pk: int, checkin_code: str, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown registration link action: {action}")
    return signing.Signer(salt=f"network.registration.{action}").signature(f"{pk}:{checkin_code}")


def registration_token(registration: Registration, action: str = VIEW) -> str:
    """Return the token of one of a registration's links (its page by default)."""
    return f"{registration.pk}.{_signature(registration.pk, registration.checkin_code, action)}"


def registration_from_token(token: str, action: str = VIEW) -> Registration:
    """Return the registration the token was made for; a forged or altered one answers 404."""
    pk, _dot, signature = str(token).partition(".")
    if not (pk.isascii() and pk.isdigit() and signature) or len(pk) > 18:
        raise Http404
    registration = (
        Registration.objects.select_related("meeting", "workshop", "user")
        .filter(pk=int(pk))
        .first()
    )
    if registration is None or not constant_time_compare(
        signature, _signature(registration.pk, registration.checkin_code, action)
    ):
        raise Http404
    return registration
