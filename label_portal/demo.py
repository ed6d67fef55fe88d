"""The demo seed: one entry point that each stage of the cycle extends."""

from accounts.demo import seed_people
from accounts.territory import load_territory


def seed_demo() -> dict[str, int]:
    load_territory()
    return seed_people()
