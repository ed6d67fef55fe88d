"""Stale saves: someone saved the same thing since the form was opened.

The form carries the version it was served with; the service compares it with
the saved row under a lock and raises ``StaleWrite`` when they differ (version
0 means "no row yet"). The view then keeps what the person typed, with the
fresh version, and shows beside it what was saved meanwhile
(``templates/components/stale.html``): saving again is a choice, « Remplacer
par ma saisie » or « Garder leur version », never a blind overwrite.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format


class StaleWrite(ValidationError):
    """Someone saved since this form was opened: the save is refused, nothing is lost."""


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class StaleComparison:
    """What was saved meanwhile, by whom and when, against what the person typed."""

    author: str
    saved_at: datetime.datetime
    message: str
    differences: list[Difference] = field(default_factory=list)
    keep_label: str = field(default_factory=lambda: "Garder leur version")

    @classmethod
    def since(cls, saved, error: ValidationError, rows: list[Difference]) -> "StaleComparison":
        """What ``saved`` (a row with ``updated_by`` and ``updated_at``, just re-read) holds
        since the form was opened, against what was typed."""
        return cls(
            author=person_label(saved.updated_by),
            saved_at=saved.updated_at,
            message=" ".join(error.messages),
            differences=rows,
        )

    @property
    def saved_by(self) -> str:
        """« Enregistré par Marie D. à 14 h 32 » (with the day when it is not today)."""
        moment = timezone.localtime(self.saved_at)
        hour = date_format(moment, "G \\h i")
        if moment.date() == timezone.localdate():
            return f"Enregistré par {self.author} à {hour}"
        return "Enregistré par {author} le {day} à {hour}".format(
            author=self.author,
            day=date_format(moment, "j F"),
            hour=hour,
        )


def person_label(user) -> str:
    """« Marie D. »: enough to know who, without the whole name."""
    if user is None:
        return "une personne"
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last:
        return f"{first} {last[0].upper()}."
    return first or last or user.email


def display(form_field, value) -> str:
    """Return a saved or typed value as a person reads it, to compare the two."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(sorted(display(form_field, item) for item in value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return number_format(value, use_l10n=True)
    choices = getattr(form_field, "choices", None)
    if choices is not None and not hasattr(form_field, "queryset"):
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(str(value), str(value))
    return str(value).replace("\r\n", "\n").strip()


def differences(
    form, theirs: dict, *, yours: dict | None = None, labels: dict | None = None
) -> list[Difference]:
    """Compare the saved values (``theirs``, by field name) with what was typed.

    What was typed is the form's cleaned data unless ``yours`` gives it.
    """
    yours = form.cleaned_data if yours is None else yours
    labels = labels or {}
    rows = []
    for name, saved in theirs.items():
        form_field = form.fields.get(name)
        typed = yours.get(name)
        theirs_text, yours_text = display(form_field, saved), display(form_field, typed)
        if theirs_text != yours_text:
            label = labels.get(name) or (form_field.label if form_field else name)
            rows.append(Difference(label=str(label), theirs=theirs_text, yours=yours_text))
    return rows
