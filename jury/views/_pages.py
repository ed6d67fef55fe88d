"""What the kept jury pages show, each part read when the page first uses it.

A jury page's body is kept per viewer (``{% cached_fragment "jury-pages" %}``): while it
is kept, none of these parts is read, so none of their queries runs. The view passes one
of these objects to its template, which reads ``page.<part>``.
"""

from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.urls import reverse

from accounts.models import User
from core.queries import row_or_none
from jury import selectors
from jury.forms import DeclarationForm, EvaluationForm, PresenceForm, ProposalForm
from jury.models import Audition, Criterion, Evaluation, JuryMember, JurySession, Proposal
from jury.services import NO_EVALUATION_YET
from jury.views._common import PROJECTS_PER_PAGE
from submissions.models import Project


def deliberation_url(session: JurySession, *, page: int = 1, project_pk: int | None = None) -> str:
    """The deliberation, at one of its pages, at one project of it."""
    url = reverse("jury:deliberation", args=[session.pk])
    if page > 1:
        url += f"?page={page}"
    return f"{url}#projet-{project_pk}" if project_pk else url


class _JurorsProjects:
    """A page of the juror's projects, in the order they are heard."""

    def __init__(self, member: JuryMember, number: str | None):
        self.member, self.number = member, number

    @cached_property
    def auditions(self):
        return selectors.auditions_for_member(self.member)

    @cached_property
    def page_obj(self) -> Page:
        return Paginator(self.auditions, PROJECTS_PER_PAGE).get_page(self.number)


class SessionPage(_JurorsProjects):
    """A juror's part of the session page: his projects, a page of them."""

    @cached_property
    def to_declare(self) -> bool:
        return not self.member.session.is_closed and self.auditions.filter(declared=False).exists()


class DeclarationsPage(_JurorsProjects):
    """A page of the juror's projects, each with its declaration's form."""

    def __init__(self, member: JuryMember, number: str | None, data: QueryDict | None = None):
        super().__init__(member, number)
        self.data = data

    @cached_property
    def forms(self) -> list[tuple[Audition, DeclarationForm]]:
        """One form per project of the page, showing the juror's saved declaration."""
        existing = {
            d.project_id: d
            for d in self.member.declarations.filter(
                project_id__in=[a.project_id for a in self.page_obj]
            )
        }
        forms = []
        for audition in self.page_obj:
            declaration = existing.get(audition.project_id)
            initial = {}
            if declaration is not None:
                initial = {
                    "choice": "conflict" if declaration.has_conflict else "none",
                    "reason": declaration.reason,
                }
            prefix = f"projet-{audition.project_id}"
            forms.append((audition, DeclarationForm(self.data, prefix=prefix, initial=initial)))
        return forms


class EvaluationPage:
    """The juror's evaluation of a project: the grid, his scores, his colleagues' once he submitted.

    ``data``: what the juror sent (the form then shows what he typed).
    """

    def __init__(
        self,
        session: JurySession,
        member: JuryMember,
        project: Project,
        data: QueryDict | None = None,
    ):
        self.session, self.member, self.project, self.data = session, member, project, data
        # Set by the view when a save found the evaluation changed meanwhile.
        self.stale = None

    @cached_property
    def criteria(self) -> list[Criterion]:
        return selectors.session_criteria(self.session)

    @cached_property
    def evaluation(self) -> Evaluation | None:
        return selectors.own_evaluation(self.member, self.project)

    @cached_property
    def submitted(self) -> bool:
        """Whether the evaluation was submitted when the page was asked for."""
        return self.evaluation is not None and self.evaluation.is_submitted

    @cached_property
    def form(self) -> EvaluationForm:
        return EvaluationForm(
            self.data,
            initial=evaluation_values(self.evaluation, self.criteria),
            criteria=self.criteria,
            amending=self.submitted,
        )

    @cached_property
    def total(self):
        if self.evaluation is None:
            return None
        return selectors.evaluation_total(self.evaluation, self.criteria)

    @cached_property
    def others(self) -> list:
        """The colleagues' evaluations with their totals, once the juror submitted his own."""
        evaluations = selectors.others_evaluations(
            self.member,
            self.project,
            own_submitted=self.evaluation is not None and self.evaluation.is_submitted,
        )
        return [(other, selectors.evaluation_total(other, self.criteria)) for other in evaluations]


def score_text(value) -> str:
    """A score as the form shows it: 4.0 as "4", 3.5 as "3,5"; anything else as typed."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return str(value or "").strip()
    if not number.is_finite():
        return str(value).strip()
    number = number.normalize() if number == number.to_integral() else number
    return format(number, "f").replace(".", ",")


def evaluation_values(evaluation: Evaluation | None, criteria: list[Criterion]) -> dict:
    """The form's values for a saved evaluation (version 0 when none is saved yet)."""
    if evaluation is None:
        return {"version": NO_EVALUATION_YET}
    values = {"version": evaluation.version, "general_comment": evaluation.general_comment}
    for score in evaluation.scores.all():
        values[f"score_{score.criterion_id}"] = score_text(score.value)
        values[f"comment_{score.criterion_id}"] = score.comment
    return values


class ResultsPage:
    """The figures, the rankings and the amendments, as the reader may see them."""

    def __init__(self, session: JurySession, reader: User, pages: dict[str, str | None]):
        self.session, self.reader, self.pages = session, reader, pages

    @cached_property
    def hidden(self) -> tuple[set[int], set[int]]:
        # The president is a juror: a project's figures wait for his own submitted
        # evaluation of it, and a project he is recused from stays hidden from him.
        return selectors.hidden_from_reader(self.session, self.reader)

    @property
    def unsubmitted(self) -> set[int]:
        return self.hidden[0]

    @property
    def recused(self) -> set[int]:
        return self.hidden[1]

    @cached_property
    def figures(self) -> dict:
        return selectors.cached_session_results(
            self.session, hidden=self.unsubmitted | self.recused
        )

    @property
    def stats(self) -> dict:
        return self.figures["stats"]

    @property
    def severity(self) -> list:
        return self.figures["severity"]

    # Every list by pages: the page's weight does not grow with the session.
    @cached_property
    def ranking(self) -> Page:
        return Paginator(self.figures["ranking"], PROJECTS_PER_PAGE).get_page(self.pages["page"])

    @cached_property
    def normalised(self) -> Page:
        return Paginator(self.figures["normalised"], PROJECTS_PER_PAGE).get_page(
            self.pages["normalise"]
        )

    @cached_property
    def unsubmitted_projects(self) -> list:
        return [p for p in self.figures["hidden_projects"] if p.pk in self.unsubmitted]

    @cached_property
    def recused_projects(self) -> list:
        return [p for p in self.figures["hidden_projects"] if p.pk in self.recused]

    @cached_property
    def amendments(self) -> Page:
        amendments = selectors.amendments_of(self.session, hidden=self.unsubmitted | self.recused)
        return Paginator(amendments, PROJECTS_PER_PAGE).get_page(self.pages["modifications"])

    @cached_property
    def amendment_items(self) -> list:
        return [
            selectors.amendment_changes(amendment, self.figures["criteria"])
            for amendment in self.amendments
        ]


class _EditionSums:
    """The edition's envelope and the total of what the jury proposes, beside a proposal."""

    session: JurySession

    @cached_property
    def total(self):
        return selectors.edition_laureate_total(self.session.edition)

    @property
    def envelope(self):
        return self.session.edition.budget_envelope


class DeliberationPage(_EditionSums):
    """The proposals project by project (a page of them) and the attendance."""

    def __init__(self, session: JurySession, reader: User, number: str | None):
        self.session, self.reader, self.number = session, reader, number

    @cached_property
    def page_obj(self) -> Page:
        auditions = selectors.session_auditions(self.session)
        return Paginator(auditions, PROJECTS_PER_PAGE).get_page(self.number)

    @cached_property
    def rows(self) -> list[tuple[Audition, Proposal | None, bool]]:
        """Each project of the page, its proposal, and whether the reader is recused from it."""
        proposals = {
            p.project_id: p
            for p in selectors.session_proposals(self.session).filter(
                project_id__in=[audition.project_id for audition in self.page_obj]
            )
        }
        # A president who declared a conflict for a project leaves its proposal to another.
        recused = selectors.recused_projects(self.session, self.reader)
        return [
            (audition, proposals.get(audition.project_id), audition.project_id in recused)
            for audition in self.page_obj
        ]

    @cached_property
    def proposal_count(self) -> int:
        return selectors.session_proposals(self.session).count()

    @cached_property
    def presence_form(self) -> PresenceForm:
        members = list(self.session.members.select_related("user"))
        return PresenceForm(
            members=members, initial={"present": [str(m.pk) for m in members if m.present]}
        )


class ProposalPage(_EditionSums):
    """One project's proposal: the one recorded, its form, the edition's total."""

    def __init__(self, session: JurySession, audition: Audition, data: QueryDict | None = None):
        self.session, self.audition, self.data = session, audition, data

    @cached_property
    def back_url(self) -> str:
        """Back to the project on its page of the deliberation."""
        index = selectors.audition_index(self.audition)
        return deliberation_url(
            self.session,
            page=index // PROJECTS_PER_PAGE + 1,
            project_pk=self.audition.project_id,
        )

    @cached_property
    def proposal(self) -> Proposal | None:
        proposals = selectors.session_proposals(self.session)
        return row_or_none(proposals.filter(project_id=self.audition.project_id))

    @cached_property
    def form(self) -> ProposalForm:
        proposal = self.proposal
        initial = {}
        if proposal is not None:
            initial = {
                "decision": proposal.decision,
                "amount": proposal.amount,
                "justification": proposal.justification,
            }
        return ProposalForm(self.data, prefix=f"projet-{self.audition.project_id}", initial=initial)
