from decimal import Decimal

from submissions.models import BudgetLine, Project
from submissions.sections import budget_totals, missing_mandatory_sections, progress
from tests.submissions.factories import ProjectFactory


def _progress(project):
    """Return {slug: missing items as text} for the progress indicator."""
    project = Project.objects.prefetch_related("qpvs", "budget_lines").get(pk=project.pk)
    return {
        row["section"].slug: [str(item) for item in row["missing"]] for row in progress(project)
    }


def _complete(project):
    project = Project.objects.prefetch_related("qpvs", "budget_lines").get(pk=project.pk)
    return {row["section"].slug: row["complete"] for row in progress(project)}


def test_progress_of_a_complete_dossier_marks_every_section_complete(db):
    project = ProjectFactory(complete=True)

    assert _complete(project) == {
        "presentation": True,
        "besoin": True,
        "innovation": True,
        "habitants": True,
        "partenaires": True,
        "calendrier": True,
        "budget": True,
    }
    assert missing_mandatory_sections(project) == []


def test_progress_of_a_new_draft_lists_what_each_section_misses(db):
    project = ProjectFactory(title="Jardin partagé", commune=None)

    assert _progress(project) == {
        "presentation": [
            "le résumé",
            "la commune",
            "au moins un quartier",
            "au moins un thème",
        ],
        "besoin": ["le besoin dans le quartier"],
        "innovation": ["ce qui est innovant"],
        "habitants": ["l'implication des habitants", "le public visé"],
        "partenaires": [],
        "calendrier": ["le calendrier"],
        "budget": ["au moins une ligne de charges", "le montant demandé au label"],
    }


def test_progress_with_blank_texts_counts_them_as_missing(db):
    project = ProjectFactory(complete=True, need="   ", calendar="\n")

    assert _progress(project)["besoin"] == ["le besoin dans le quartier"]
    assert _progress(project)["calendrier"] == ["le calendrier"]
    assert _complete(project)["innovation"] is True


def test_progress_with_one_habitants_field_missing_names_only_that_one(db):
    project = ProjectFactory(complete=True, target_public="")

    assert _progress(project)["habitants"] == ["le public visé"]


def test_progress_without_qpv_asks_for_a_quartier(db):
    project = ProjectFactory(complete=True)
    project.qpvs.clear()

    assert _progress(project)["presentation"] == ["au moins un quartier"]


def test_progress_with_an_unbalanced_budget_asks_for_a_balanced_budget(db):
    project = ProjectFactory(complete=True)
    project.budget_lines.filter(account="70").delete()

    assert _progress(project)["budget"] == [
        "un budget équilibré (total des charges = total des produits)"
    ]
    assert _complete(project)["budget"] is False


def test_progress_with_amount_requested_above_total_charges_lists_it(db):
    project = ProjectFactory(complete=True, amount_requested=Decimal("3000.01"))

    assert _progress(project)["budget"] == [
        "un montant demandé inférieur ou égal au total des charges"
    ]


def test_progress_with_amount_requested_equal_to_total_charges_is_complete(db):
    project = ProjectFactory(complete=True, amount_requested=Decimal("3000"))

    assert _progress(project)["budget"] == []


def test_progress_with_income_only_asks_for_charges(db):
    project = ProjectFactory(complete=True)
    project.budget_lines.filter(side="charge").delete()

    assert _progress(project)["budget"] == [
        "au moins une ligne de charges",
        "un budget équilibré (total des charges = total des produits)",
        "un montant demandé inférieur ou égal au total des charges",
    ]


def test_progress_with_empty_partenaires_never_blocks(db):
    project = ProjectFactory(complete=True, partners="")

    rows = {row["section"].slug: row for row in progress(project)}

    assert rows["partenaires"]["section"].mandatory is False
    assert rows["partenaires"]["missing"] == []
    assert missing_mandatory_sections(project) == []


def test_missing_mandatory_sections_lists_only_incomplete_mandatory_ones(db):
    project = ProjectFactory(complete=True, innovation="", calendar="", partners="")

    assert [row["section"].slug for row in missing_mandatory_sections(project)] == [
        "innovation",
        "calendrier",
    ]


def test_budget_totals_sums_each_side(db):
    project = ProjectFactory(complete=True)

    assert budget_totals(BudgetLine.objects.filter(project=project)) == {
        "charges": Decimal("3000"),
        "income": Decimal("3000"),
        "balance": Decimal("0"),
    }
