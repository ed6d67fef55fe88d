"""The scoring grid of an edition: its criteria, their order, and when it freezes."""

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from core import ordering
from jury.enums import DEFAULT_CRITERIA, SessionState
from jury.models import Criterion, Evaluation
from jury.services._common import JuryRefused, _require_coordinator
from submissions.models import Edition


def grid_is_frozen(edition: Edition) -> bool:
    """The grid stops changing once a juror has submitted an evaluation or a session closed."""
    return (
        Evaluation.objects.filter(
            member__session__edition=edition, submitted_at__isnull=False
        ).exists()
        or edition.jury_sessions.filter(state=SessionState.CLOSED).exists()
    )


def _require_grid_open(edition: Edition) -> None:
    if edition.jury_sessions.filter(state=SessionState.CLOSED).exists():
        raise JuryRefused("La grille est figée : une séance de cette édition est close.")
    if grid_is_frozen(edition):
        raise JuryRefused(
            "La grille est figée : une évaluation a déjà été soumise pour cette édition."
        )


@transaction.atomic
def criteria_initialise(*, edition: Edition, actor: User) -> list[Criterion]:
    """Give an edition without grid the previous edition's grid, or the default one."""
    _require_coordinator(actor)
    return criteria_copy_for(edition)


@transaction.atomic
def criteria_copy_for(edition: Edition) -> list[Criterion]:
    """Copy the grid into a new edition (also run when an edition is created)."""
    Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.criteria.exists():
        return list(edition.criteria.all())
    previous = (
        Edition.objects.filter(year__lt=edition.year, criteria__isnull=False)
        .order_by("-year")
        .first()
    )
    if previous is not None:
        rows = [
            Criterion(
                edition=edition,
                label=c.label,
                guidance=c.guidance,
                weight=c.weight,
                scale_max=c.scale_max,
                position=c.position,
            )
            for c in previous.criteria.all()
        ]
    else:
        rows = [
            Criterion(edition=edition, label=label, guidance=guidance, weight=weight, position=i)
            for i, (label, guidance, weight) in enumerate(DEFAULT_CRITERIA)
        ]
    return Criterion.objects.bulk_create(rows)


@transaction.atomic
def criterion_save(*, criterion: Criterion, actor: User) -> Criterion:
    _require_coordinator(actor)
    _require_grid_open(criterion.edition)
    if criterion.pk is None:
        last = criterion.edition.criteria.aggregate(last=Max("position"))["last"]
        criterion.position = 0 if last is None else last + 1
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: User) -> None:
    _require_coordinator(actor)
    _require_grid_open(criterion.edition)
    if criterion.scores.exists():
        raise JuryRefused("Des notes existent déjà pour ce critère : il ne peut être supprimé.")
    criterion.delete()


@transaction.atomic
def criterion_move(*, criterion: Criterion, actor: User, offset: int) -> None:
    """Move a criterion up (-1) or down (+1) in the grid."""
    _require_coordinator(actor)
    _require_grid_open(criterion.edition)
    ordering.move(criterion.edition.criteria.all(), criterion, offset)
