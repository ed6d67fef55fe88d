"""A mass mailing's life on the portal's one workflow engine (``core.workflow``).

Composed as a draft (the results at their publication, a reminder from the
outbox), previewed, then sent by a coordinator: « sending » while the
background task sends one mail per recipient, « sent » once done. A draft may
be cancelled instead.
"""

from django.utils import timezone

from accounts.rules import is_coordinator
from core.workflow import Transition, Workflow
from notifications.enums import MailingState
from notifications.models import Mailing

COORDINATOR = "coordinator"


def mailing_roles(user, mailing: Mailing) -> set[str]:
    return {COORDINATOR} if user is not None and is_coordinator(user) else set()


def _finished(mailing: Mailing, actor, reason: str) -> list[str]:
    mailing.sent_at = timezone.now()
    return ["sent_at"]


MAILING = Workflow(
    name="mailing",
    model=Mailing,
    roles_of=mailing_roles,
    state_refusal="Impossible : l'envoi est « %(state)s ».",
    transitions=[
        Transition(
            "send",
            "Envoyer",
            sources={MailingState.DRAFT},
            target=MailingState.SENDING,
            actors={COORDINATOR},
            success="L'envoi a commencé : l'état de chaque message s'affiche ci-dessous.",
            confirm=(
                "Un mail part à chaque destinataire de la liste, tel que vous l'avez relu, "
                "et une notification apparaît dans son espace. Un envoi ne se rappelle pas."
            ),
            refused_state="Cet envoi est déjà parti ou a été annulé.",
        ),
        Transition(
            "finish",
            "Terminer l'envoi",
            sources={MailingState.SENDING},
            target=MailingState.SENT,
            check=_finished,
            internal=True,
        ),
        Transition(
            "cancel",
            "Annuler l'envoi",
            sources={MailingState.DRAFT},
            target=MailingState.CANCELLED,
            actors={COORDINATOR},
            success="Envoi annulé : aucun mail n'est parti.",
            confirm="Aucun mail ne partira. Le brouillon reste visible dans la liste des envois.",
            button="danger",
            refused_state="Cet envoi est déjà parti ou a été annulé.",
        ),
    ],
)
