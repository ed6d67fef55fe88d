"""The jury's reads: who sees which session and project, blind scores, results."""

import json
from decimal import Decimal

import pytest
from django.db import connection

from accounts import selectors as account_selectors
from jury import bundle as bundles
from jury import selectors, services
from jury.enums import EvaluationState
from jury.models import Evaluation, Score
from submissions import selectors as submission_selectors
from tests.factories import UserFactory, member_of
from tests.jury.factories import JuryMemberFactory, JurySessionFactory, jury_session
from tests.jury.test_services import save
from tests.submissions.factories import ProjectFactory

pytestmark = pytest.mark.django_db

D = Decimal


def declare(member, project, conflict=False, reason=""):
    services.declaration_save(member=member, project=project, has_conflict=conflict, reason=reason)


def evaluate(member, project, values, *, submit=True):
    """Declare no conflict, then score every criterion with ``values`` (one each, or one for all)."""
    criteria = list(member.session.edition.criteria.order_by("position", "pk"))
    if isinstance(values, str):
        values = [values] * len(criteria)
    declare(member, project)
    return services.evaluation_save(
        member=member,
        project=project,
        scores={c.pk: {"value": v, "comment": ""} for c, v in zip(criteria, values, strict=True)},
        general_comment="",
        version=None,
        submit=submit,
    )


def others(member, project) -> list[int]:
    return sorted(e.member_id for e in selectors.others_evaluations(member, project))


# --- Who sees what -------------------------------------------------------------------------


def test_sessions_visible_to_a_coordinator_every_session():
    first = JurySessionFactory()
    second = JurySessionFactory()
    coordinator = UserFactory(coordinator=True)

    assert {s.pk for s in selectors.sessions_visible_to(coordinator)} == {first.pk, second.pk}


def test_sessions_visible_to_a_juror_only_theirs():
    mine = JuryMemberFactory()
    other = JuryMemberFactory()
    JuryMemberFactory(session=mine.session)

    assert list(selectors.sessions_visible_to(mine.user)) == [mine.session]
    assert list(selectors.sessions_visible_to(other.user)) == [other.session]


def test_sessions_visible_to_a_juror_who_sits_on_two_sessions():
    first = JuryMemberFactory()
    second = JuryMemberFactory(user=first.user)

    assert {s.pk for s in selectors.sessions_visible_to(first.user)} == {
        first.session_id,
        second.session_id,
    }


def test_sessions_visible_to_nobody_else():
    jury = jury_session(projects=1, jurors=1)
    association_member = member_of(jury.projects[0].association)
    juror_elsewhere = UserFactory(juror=True)
    officer = UserFactory(officer=True)
    inactive = JuryMemberFactory(session=jury.session, user__is_active=False).user

    for user in (association_member, juror_elsewhere, officer, inactive):
        assert list(selectors.sessions_visible_to(user)) == []


def test_project_for_member_returns_a_project_of_the_session():
    jury = jury_session(projects=2, jurors=1)
    juror = jury.jurors[0]

    assert selectors.project_for_member(juror, jury.projects[1].pk) == jury.projects[1]
    declare(juror, jury.projects[1])
    assert selectors.project_for_member(juror, jury.projects[1].pk) == jury.projects[1]


def test_project_for_member_none_for_a_conflicted_juror():
    jury = jury_session(projects=2, jurors=2)
    conflicted, other = jury.jurors
    declare(conflicted, jury.projects[0], conflict=True, reason="Salarié de l'association.")

    assert selectors.project_for_member(conflicted, jury.projects[0].pk) is None
    assert selectors.project_for_member(conflicted, jury.projects[1].pk) == jury.projects[1]
    assert selectors.project_for_member(other, jury.projects[0].pk) == jury.projects[0]


def test_project_for_member_none_for_a_project_of_another_session():
    jury = jury_session(projects=1, jurors=1)
    other = jury_session(projects=1, jurors=1, edition=jury.edition)
    elsewhere = jury_session(projects=1, jurors=1)
    not_placed = ProjectFactory(shortlisted=True, edition=jury.edition)

    juror = jury.jurors[0]
    assert selectors.project_for_member(juror, other.projects[0].pk) is None
    assert selectors.project_for_member(juror, elsewhere.projects[0].pk) is None
    assert selectors.project_for_member(juror, not_placed.pk) is None


# --- Blind scoring -------------------------------------------------------------------------


def test_others_evaluations_empty_before_the_juror_submitted():
    jury = jury_session(projects=1, jurors=2)
    project = jury.projects[0]
    first, second = jury.jurors
    evaluate(first, project, "4")
    evaluate(jury.president, project, "3")

    assert others(second, project) == []
    evaluate(second, project, "5", submit=False)
    assert others(second, project) == []


def test_others_evaluations_after_submitting_shows_only_submitted_ones():
    jury = jury_session(projects=2, jurors=3)
    project = jury.projects[0]
    first, second, drafting = jury.jurors
    evaluate(jury.president, project, "3")
    evaluate(first, project, "4")
    evaluate(drafting, project, "2", submit=False)
    # An evaluation of another project never shows.
    evaluate(second, jury.projects[1], "5")

    evaluate(second, project, "5")

    assert others(second, project) == sorted([jury.president.pk, first.pk])
    assert others(first, project) == sorted([jury.president.pk, second.pk])
    assert others(second, jury.projects[1]) == []
    assert others(drafting, project) == []


def test_others_evaluations_never_for_a_conflicted_juror():
    jury = jury_session(projects=2, jurors=2)
    project = jury.projects[0]
    conflicted, other = jury.jurors
    evaluate(jury.president, project, "3")
    evaluate(other, project, "4")
    declare(conflicted, project, conflict=True, reason="Ma fille y travaille.")
    # Even a submitted evaluation left from before (written directly: the services refuse
    # to declare a conflict after submission) does not open the others' scores.
    evaluation = Evaluation.objects.create(
        member=conflicted, project=project, state=EvaluationState.SUBMITTED
    )
    Score.objects.bulk_create(
        Score(evaluation=evaluation, criterion=criterion, value=D("1"))
        for criterion in jury.criteria
    )

    assert others(conflicted, project) == []
    assert others(other, project) == [jury.president.pk]


# --- Results -------------------------------------------------------------------------------


@pytest.fixture
def results():
    """Two projects scored by a president and three jurors on the default grid.

    Every criterion gets the same score, so a juror's weighted total is
    score / 5 * 100. Project A: president 4 (80), first 3 (60), second 5 (100),
    third conflicted. Project B: president 3 (60), first 2 (40), second 4 (80),
    third only a draft.
    """
    jury = jury_session(projects=2, jurors=3)
    a, b = jury.projects
    first, second, third = jury.jurors
    declare(third, a, conflict=True, reason="Trésorier de l'association.")
    evaluate(jury.president, a, "4")
    evaluate(first, a, "3")
    evaluate(second, a, "5")
    evaluate(jury.president, b, "3")
    evaluate(first, b, "2")
    evaluate(second, b, "4")
    evaluate(third, b, "1", submit=False)
    return jury


def test_session_results_mean_median_progress(results):
    jury = results
    a, b = jury.projects

    stats = selectors.session_results(jury.session)["stats"]

    assert (stats[a.pk].mean, stats[a.pk].median, stats[a.pk].progress_label) == (
        D("80.00"),
        D("80.00"),
        "3/3",
    )
    assert (stats[b.pk].mean, stats[b.pk].median, stats[b.pk].progress_label) == (
        D("60.00"),
        D("60.00"),
        "3/4",
    )
    assert (stats[a.pk].stdev, stats[a.pk].spread, stats[a.pk].disagreement) == (
        D("20.00"),
        D("40.00"),
        True,
    )
    assert stats[a.pk].totals == {
        jury.president.pk: D("80.00"),
        jury.jurors[0].pk: D("60.00"),
        jury.jurors[1].pk: D("100.00"),
    }


def test_session_results_excludes_a_conflicted_juror(results):
    jury = results
    a, b = jury.projects
    third = jury.jurors[2]
    # A submitted evaluation of the conflicted juror, written directly (the services
    # would refuse it): it must weigh nothing.
    evaluation = Evaluation.objects.create(member=third, project=a, state=EvaluationState.SUBMITTED)
    Score.objects.bulk_create(
        Score(evaluation=evaluation, criterion=criterion, value=D("0"))
        for criterion in jury.criteria
    )

    result = selectors.session_results(jury.session)

    assert third.pk not in result["stats"][a.pk].totals
    assert (result["stats"][a.pk].count, result["stats"][a.pk].expected) == (3, 3)
    assert result["stats"][a.pk].mean == D("80.00")
    assert (result["stats"][b.pk].count, result["stats"][b.pk].expected) == (3, 4)
    assert result["conflicts"][a.pk] == {third.pk}
    assert result["criterion_means"][a.pk][jury.criteria[0].pk] == D("4")
    assert dict(result["severity"])[third] is None


def test_session_results_ranking(results):
    jury = results
    a, b = jury.projects
    # A project of another session of the same edition stays out of this ranking.
    jury_session(projects=1, jurors=1, edition=jury.edition)

    result = selectors.session_results(jury.session)

    assert [(rank, project, item.mean) for rank, project, item in result["ranking"]] == [
        (1, a, D("80.00")),
        (2, b, D("60.00")),
    ]
    assert [(rank, project) for rank, project, _mean in result["normalised"]] == [(1, a), (2, b)]


def test_session_results_unscored_project_comes_last():
    jury = jury_session(projects=3, jurors=1)
    a, b, c = jury.projects
    evaluate(jury.jurors[0], b, "4")
    evaluate(jury.jurors[0], c, "2")

    result = selectors.session_results(jury.session)

    assert [(rank, project.pk) for rank, project, _item in result["ranking"]] == [
        (1, b.pk),
        (2, c.pk),
        (None, a.pk),
    ]
    assert result["stats"][a.pk].progress_label == "0/2"
    assert [(rank, project.pk) for rank, project, _mean in result["normalised"]] == [
        (1, b.pk),
        (2, c.pk),
        (None, a.pk),
    ]


def test_session_results_severity_sign(results):
    jury = results
    first, second, third = jury.jurors

    severity = dict(selectors.session_results(jury.session)["severity"])

    # Session mean (80 + 60 + 100 + 60 + 40 + 80) / 6 = 70; the president's mean is 70,
    # the first juror's 50 (severe), the second's 90 (lenient); the third has no total.
    assert severity == {
        jury.president: D("0.00"),
        first: D("-20.00"),
        second: D("20.00"),
        third: None,
    }


def test_session_results_without_any_evaluation():
    jury = jury_session(projects=2, jurors=2)

    result = selectors.session_results(jury.session)

    assert [stats.progress_label for stats in result["stats"].values()] == ["0/3", "0/3"]
    assert [rank for rank, _project, _item in result["ranking"]] == [None, None]
    assert [mean for _rank, _project, mean in result["normalised"]] == [None, None]
    assert [value for _member, value in result["severity"]] == [None, None, None]


def test_a_president_reads_only_the_figures_of_projects_he_evaluated(client, db):
    from decimal import Decimal

    from django.urls import reverse

    from jury import services
    from tests.jury.factories import jury_session

    jury = jury_session(projects=3, jurors=1)
    evaluated, recused, pending = jury.projects
    president, juror = jury.president, jury.jurors[0]
    services.declarations_save(
        member=president,
        entries=[
            (evaluated, False, ""),
            (recused, True, "Élu de la commune"),
            (pending, False, ""),
        ],
    )
    services.declarations_save(member=juror, entries=[(p, False, "") for p in jury.projects])
    scores = {c.pk: {"value": "4", "comment": ""} for c in jury.criteria}
    for member, project in [
        (president, evaluated),
        (juror, evaluated),
        (juror, recused),
        (juror, pending),
    ]:
        services.evaluation_save(
            member=member,
            project=project,
            scores=scores,
            general_comment="",
            version=None,
            submit=True,
        )
    client.force_login(president.user)

    response = client.get(reverse("jury:results", args=[jury.session.pk]))

    page = response.context["page"]
    stats = page.stats
    assert stats[evaluated.pk].mean == Decimal("80.00")
    assert stats[recused.pk].count == 0
    assert stats[pending.pk].count == 0
    assert [p.pk for p in page.recused_projects] == [recused.pk]
    assert [p.pk for p in page.unsubmitted_projects] == [pending.pk]
    for url in [
        reverse("jury:minutes", args=[jury.session.pk]),
        reverse("jury:scores_export", args=[jury.session.pk, "csv"]),
    ]:
        assert client.get(url).status_code == 404


def test_the_coordinators_wide_reads_need_an_active_account(db):
    """The selectors ask accounts.rules.is_coordinator: a deactivated coordinator sees nothing."""
    coordinator = jury_session(projects=1, jurors=0, opened=False).coordinator
    reads = {
        "associations_visible_to": account_selectors.associations_visible_to,
        "associations_editable_by": account_selectors.associations_editable_by,
        "city_contracts_editable_by": account_selectors.city_contracts_editable_by,
        "projects_visible_to": submission_selectors.projects_visible_to,
        "editions_visible_to": submission_selectors.editions_visible_to,
        "sessions_visible_to": selectors.sessions_visible_to,
        "editions_for_grid": selectors.editions_for_grid,
        "criteria_editable_by": selectors.criteria_editable_by,
        "editions_to_publish": selectors.editions_to_publish,
    }
    flags = {
        "inbox_covers_all": submission_selectors.inbox_covers_all,
        "sees_all_sessions": selectors.sees_all_sessions,
        "whole_bundle_for": bundles.whole_bundle_for,
    }
    active = {name: read(coordinator).exists() for name, read in reads.items()}
    active |= {name: flag(coordinator) for name, flag in flags.items()}
    coordinator.is_active = False
    inactive = {name: read(coordinator).exists() for name, read in reads.items()}
    inactive |= {name: flag(coordinator) for name, flag in flags.items()}

    assert active == dict.fromkeys([*reads, *flags], True)
    assert inactive == dict.fromkeys([*reads, *flags], False)


def _largest_plan_node(queryset) -> int:
    """The most rows any step of the query's plan really produced (EXPLAIN ANALYZE)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def largest(node) -> int:
        return max([node.get("Actual Rows", 0), *map(largest, node.get("Plans", []))])

    return largest(plan[0]["Plan"])


def test_a_jurors_sessions_are_counted_without_multiplying_the_rows():
    # The juror's space counts auditions, declarations and submitted evaluations of each
    # session; joined in one query they multiply (12 × 12 × 12 rows here, 200³ in a real
    # session), counted apart they do not.
    jury = jury_session(projects=12, jurors=1)
    [juror] = jury.jurors
    for project in jury.projects:
        declare(juror, project)
        save(juror, project, ["4"] * len(jury.criteria), submit=True)

    [session] = selectors.sessions_of_juror(juror.user)

    assert (session.audition_count, session.declared_count, session.submitted_count) == (12, 12, 12)
    # No step holds the product of two of them (other tests' rows may add a few).
    assert _largest_plan_node(selectors.sessions_of_juror(juror.user)) < 12 * 12


def test_a_sessions_jurors_are_counted_without_multiplying_the_rows():
    # The session page counts each juror's submitted evaluations and conflicts; joined in
    # one query a juror's evaluations and declarations multiply (12 × 12 rows here).
    jury = jury_session(projects=12, jurors=1)
    [juror] = jury.jurors
    for project in jury.projects[:3]:
        declare(juror, project, conflict=True, reason="Membre du bureau.")
    for project in jury.projects[3:]:
        declare(juror, project)
        save(juror, project, ["4"] * len(jury.criteria), submit=True)

    members = {m.pk: (m.submitted, m.conflicts) for m in selectors.session_members(jury.session)}

    assert members == {juror.pk: (9, 3), jury.president.pk: (0, 0)}
    assert _largest_plan_node(selectors.session_members(jury.session)) < 9 * 12


# --- Results kept while nothing they read changes ------------------------------------------


def _mean(session, project):
    return selectors.cached_session_results(session)["stats"][project.pk].mean


def test_cached_results_follow_a_submission_an_amendment_a_declaration_and_an_audition():
    jury = jury_session(projects=2, jurors=2)
    project, other = jury.projects
    first, second = jury.jurors
    evaluate(first, project, "4")
    assert _mean(jury.session, project) == D("80.00")

    evaluate(second, project, "2")
    assert _mean(jury.session, project) == D("60.00")

    criteria = list(jury.session.edition.criteria.order_by("position", "pk"))
    services.evaluation_amend(
        member=second,
        project=project,
        scores={c.pk: {"value": "3", "comment": ""} for c in criteria},
        general_comment="",
        reason="Relu le budget.",
        version=None,
    )
    assert _mean(jury.session, project) == D("70.00")

    assert selectors.cached_session_results(jury.session)["stats"][other.pk].expected == 3
    declare(jury.president, other, conflict=True, reason="Membre du bureau.")
    # The recused president is no longer awaited.
    assert selectors.cached_session_results(jury.session)["stats"][other.pk].expected == 2

    services.audition_remove(
        audition=jury.session.auditions.get(project=other), actor=jury.coordinator
    )
    assert other.pk not in selectors.cached_session_results(jury.session)["stats"]


def test_cached_results_are_read_once_while_nothing_changes(django_assert_num_queries):
    jury = jury_session(projects=2, jurors=1)
    evaluate(jury.jurors[0], jury.projects[0], "4")
    selectors.cached_session_results(jury.session)

    # From the cache (in memory in tests; the database cache reads the version and the
    # value): no evaluation, score, audition or juror is read again.
    with django_assert_num_queries(0):
        again = selectors.cached_session_results(jury.session)

    assert again["stats"][jury.projects[0].pk].mean == D("80.00")
