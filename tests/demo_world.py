"""The demo (``label_portal.demo.seed_demo``), seeded once per worker for the tests that read it.

Seeding it costs several seconds of CPU; test_demo.py and tests/jury/test_documents.py read
the same rows, each test in a savepoint of the world's transaction (tests/shared_world.py).
"""

from jury.models import JurySession
from label_portal.demo import seed_demo
from tests.shared_world import SharedWorld


def _seed() -> dict:
    counts = seed_demo()
    return {"counts": counts, "session": JurySession.objects.get()}


DEMO = SharedWorld("la démo", _seed, copied=True)
