"""The demo's outbox: a reminder mailing already sent, and one waiting as a draft.

The in-app notifications of the demo people come from the demo's own moves
(each transition tells those concerned; the seed mutes the mails).
"""

from django.db import transaction

from accounts.models import User
from core.mail import muted
from core.workflow import transition
from notifications import mailings
from notifications.models import Mailing
from notifications.services import mailing_deliver
from notifications.workflows import MAILING

REMINDER = "relance-depot"


@transaction.atomic
def seed_outbox() -> int:
    """One reminder sent (nothing leaves: muted) and one draft; a second run changes nothing."""
    coordinator = User.objects.get(email="coordination@demo.test")
    if not Mailing.objects.filter(created_by=coordinator).exists():
        with muted():
            sent = mailings.compose(REMINDER, actor=coordinator)
            if sent is not None and sent.messages.exists():
                transition(MAILING, sent, "send", actor=coordinator)
                mailing_deliver(mailing_id=sent.pk)
            mailings.compose(REMINDER, actor=coordinator)
    return Mailing.objects.count()
