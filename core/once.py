"""Once-only saves: a form sent twice (a double click, a resent request) makes one row.

Forms that create a row carry a hidden ``submission_key`` (``core.forms.OnceFormMixin``);
the model stores it in a unique column. A service first looks for the row a
previous sending made, then inserts; when two sendings race, the unique
column lets one win and the other gets the winner's row.
"""

from django.db import IntegrityError, models, transaction


def already_created[M: models.Model](
    model: type[M], submission_key, *, exclude_pk=None
) -> M | None:
    """Return the row that an earlier sending of the same form created, or None."""
    if submission_key is None:
        return None
    rows = model._default_manager.filter(submission_key=submission_key)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.first()


def save_once[M: models.Model](instance: M) -> tuple[M, bool]:
    """Save the row; return it and True, or the concurrent twin's row and False."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        submission_key = getattr(instance, "submission_key", None)
        if submission_key is None:
            raise
        return type(instance)._default_manager.get(submission_key=submission_key), False
    return instance, True
