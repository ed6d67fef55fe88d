"""The dossier's sections: what each holds and when it is complete."""

from dataclasses import dataclass
from decimal import Decimal

from submissions.enums import BudgetSide


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    mandatory: bool = True


SECTIONS = (
    Section(
        "presentation",
        "Présentation",
        ("title", "summary", "commune", "qpvs", "themes"),
    ),
    Section("besoin", "Le besoin", ("need",)),
    Section("innovation", "L'innovation", ("innovation",)),
    Section("habitants", "Les habitants", ("involvement", "target_public", "expected_people")),
    Section("partenaires", "Les partenaires", ("partners",), mandatory=False),
    Section("calendrier", "Le calendrier", ("calendar",)),
    Section("budget", "Le budget", ("amount_requested",)),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def budget_totals(lines) -> dict[str, Decimal]:
    charges = sum((line.amount for line in lines if line.side == BudgetSide.CHARGE), Decimal(0))
    income = sum((line.amount for line in lines if line.side == BudgetSide.INCOME), Decimal(0))
    return {"charges": charges, "income": income, "balance": income - charges}


def section_problems(project, section: Section, *, qpv_count: int, lines) -> list[str]:
    """Return what is missing for the section to be complete (empty when complete)."""
    missing = []
    if section.slug == "presentation":
        if not project.title.strip():
            missing.append("le titre")
        if not project.summary.strip():
            missing.append("le résumé")
        if project.commune_id is None:
            missing.append("la commune")
        if qpv_count == 0:
            missing.append("au moins un quartier")
        if not project.themes:
            missing.append("au moins un thème")
    elif section.slug == "habitants":
        if not project.involvement.strip():
            missing.append("l'implication des habitants")
        if not project.target_public.strip():
            missing.append("le public visé")
    elif section.slug == "budget":
        totals = budget_totals(lines)
        if totals["charges"] <= 0:
            missing.append("au moins une ligne de charges")
        if totals["balance"] != 0:
            missing.append("un budget équilibré (total des charges = total des produits)")
        if not project.amount_requested:
            missing.append("le montant demandé au label")
        elif project.amount_requested > totals["charges"]:
            missing.append("un montant demandé inférieur ou égal au total des charges")
    elif section.mandatory:
        for name in section.fields:
            if not str(getattr(project, name) or "").strip():
                missing.append(project._meta.get_field(name).verbose_name)
    return missing


def progress(project) -> list[dict]:
    """Return each section with its state, for the progress indicator.

    Expects ``qpvs`` and ``budget_lines`` prefetched on the project.
    """
    qpv_count = len(project.qpvs.all())
    lines = list(project.budget_lines.all())
    rows = []
    for section in SECTIONS:
        problems = section_problems(project, section, qpv_count=qpv_count, lines=lines)
        rows.append({"section": section, "complete": not problems, "missing": problems})
    return rows


def missing_mandatory_sections(project) -> list[dict]:
    """Return the mandatory sections still incomplete: none may be, to be ready or deposited."""
    return [row for row in progress(project) if row["section"].mandatory and not row["complete"]]


def missing_for_proposal(project) -> list[str]:
    """Return what a draft lacks to be proposed: only a title, its commune and a summary.

    The rest of the dossier is written with the chef de projet afterwards.
    """
    missing = []
    if not project.title.strip():
        missing.append("le titre")
    if project.commune_id is None:
        missing.append("la commune")
    if not project.summary.strip():
        missing.append("un court résumé")
    return missing
