"""The demo (``label_portal.demo.seed_demo``), seeded once per worker for the tests that read it.

Seeding it costs several seconds of CPU; test_demo.py, tests/notifications/test_demo.py and
tests/jury/test_documents.py read the same rows, each test in a savepoint of the world's
transaction (tests/shared_world.py).
"""

from django.core import mail

from jury.models import JurySession
from label_portal.demo import seed_demo
from tests.shared_world import SharedWorld


def _seed() -> dict:
    outbox = getattr(mail, "outbox", None)
    before = len(outbox) if outbox is not None else 0
    counts = seed_demo()
    # The mails the seeding sent (none is expected): the world empties the outbox once built.
    mails = [message.subject for message in (outbox or [])[before:]]
    return {"counts": counts, "session": JurySession.objects.get(), "mails": mails}


DEMO = SharedWorld("la démo", _seed, copied=True)
