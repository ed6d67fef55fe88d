"""Words that agree with a number.

The portal is written in French only: its strings are plain French in the
code and the templates, without gettext (docs/STYLE.md). Django's own
messages still come in French from Django's catalogue (LANGUAGE_CODE "fr").
"""


def plural(count: int, one: str, many: str) -> str:
    """Return ``one`` for a single item, ``many`` otherwise, like the templates' ``pluralize``."""
    return one if count == 1 else many
