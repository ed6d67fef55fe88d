"""Short random codes people read aloud, copy from paper or type on a phone."""

import secrets

# Without 0/O, 1/I/L: a code read aloud or copied from paper stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def readable_code(groups: int, size: int = 4) -> str:
    """A random code of ``groups`` groups of ``size`` characters, e.g. « 7KQ4-M2XP »."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(groups * size))
    return "-".join(raw[i : i + size] for i in range(0, groups * size, size))
