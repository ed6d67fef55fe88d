"""Jury arithmetic on numbers worked out by hand (no database)."""

from decimal import Decimal

import pytest

from jury.aggregation import (
    CriterionSpec,
    ProjectStats,
    juror_severity,
    normalised_ranking,
    normalised_totals,
    partial_weighted_total,
    project_stats,
    ranking,
    weighted_total,
)

D = Decimal

# Weights 3, 2, 1 on scales 0–5.
GRID = [
    CriterionSpec(id=1, weight=D(3), scale_max=D(5)),
    CriterionSpec(id=2, weight=D(2), scale_max=D(5)),
    CriterionSpec(id=3, weight=D(1), scale_max=D(5)),
]


# --- weighted_total -------------------------------------------------------


def test_weighted_total_known_numbers():
    # (3 * 5/5 + 2 * 4/5 + 1 * 2/5) / 6 * 100 = 5 / 6 * 100 = 83.333…
    assert weighted_total({1: D(5), 2: D(4), 3: D(2)}, GRID) == D("83.33")


def test_weighted_total_top_and_bottom_of_scale():
    assert weighted_total({1: D(5), 2: D(5), 3: D(5)}, GRID) == D("100.00")
    assert weighted_total({1: D(0), 2: D(0), 3: D(0)}, GRID) == D("0.00")


def test_weighted_total_one_decimal_scores_on_mixed_scales():
    grid = [
        CriterionSpec(id=1, weight=D(1), scale_max=D(5)),
        CriterionSpec(id=2, weight=D(1), scale_max=D(10)),
    ]
    # (3.5/5 + 8.5/10) / 2 * 100 = (0.7 + 0.85) / 2 * 100 = 77.5
    assert weighted_total({1: D("3.5"), 2: D("8.5")}, grid) == D("77.50")


def test_weighted_total_rounds_half_up():
    grid = [
        CriterionSpec(id=1, weight=D(1), scale_max=D(4)),
        CriterionSpec(id=2, weight=D(3), scale_max=D(4)),
    ]
    # (1 * 0.1/4 + 3 * 0/4) / 4 * 100 = 0.625 exactly: half up gives 0.63, not 0.62.
    assert weighted_total({1: D("0.1"), 2: D(0)}, grid) == D("0.63")


def test_weighted_total_int_weights_and_scales_are_accepted():
    grid = [CriterionSpec(id=1, weight=2, scale_max=5), CriterionSpec(id=2, weight=1, scale_max=5)]
    assert grid[0].weight == D(2)
    # (2 * 4/5 + 1 * 1/5) / 3 * 100 = 1.8 / 3 * 100 = 60
    assert weighted_total({1: 4, 2: 1}, grid) == D("60.00")


def test_weighted_total_zero_weight_criterion_does_not_count():
    grid = [
        CriterionSpec(id=1, weight=D(1), scale_max=D(5)),
        CriterionSpec(id=2, weight=D(0), scale_max=D(5)),
    ]
    assert weighted_total({1: D(4), 2: D(0)}, grid) == D("80.00")
    assert weighted_total({1: D(4), 2: D(5)}, grid) == D("80.00")


def test_weighted_total_missing_score_raises():
    with pytest.raises(ValueError, match="no score"):
        weighted_total({1: D(5), 2: D(4)}, GRID)


def test_weighted_total_none_score_raises():
    with pytest.raises(ValueError, match="no score"):
        weighted_total({1: D(5), 2: D(4), 3: None}, GRID)


def test_weighted_total_zero_total_weight_raises():
    grid = [CriterionSpec(id=1, weight=D(0), scale_max=D(5))]
    with pytest.raises(ValueError, match="zero"):
        weighted_total({1: D(3)}, grid)


def test_weighted_total_empty_grid_raises():
    with pytest.raises(ValueError):
        weighted_total({}, [])


def test_weighted_total_score_outside_scale_raises():
    with pytest.raises(ValueError, match="outside the scale"):
        weighted_total({1: D(6), 2: D(4), 3: D(2)}, GRID)
    with pytest.raises(ValueError, match="outside the scale"):
        weighted_total({1: D("-0.5"), 2: D(4), 3: D(2)}, GRID)


def test_weighted_total_criterion_outside_grid_raises():
    with pytest.raises(ValueError, match="not in the grid"):
        weighted_total({1: D(5), 2: D(4), 3: D(2), 99: D(1)}, GRID)


def test_weighted_total_duplicate_criterion_raises():
    with pytest.raises(ValueError, match="twice"):
        weighted_total({1: D(5)}, [GRID[0], GRID[0]])


def test_weighted_total_float_score_refused():
    with pytest.raises(TypeError):
        weighted_total({1: 5.0, 2: D(4), 3: D(2)}, GRID)


def test_weighted_total_nan_score_refused():
    with pytest.raises(ValueError, match="finite"):
        weighted_total({1: D("NaN"), 2: D(4), 3: D(2)}, GRID)


def test_criterion_spec_negative_weight_raises():
    with pytest.raises(ValueError, match="negative"):
        CriterionSpec(id=1, weight=D(-1), scale_max=D(5))


def test_criterion_spec_non_positive_scale_raises():
    with pytest.raises(ValueError, match="not positive"):
        CriterionSpec(id=1, weight=D(1), scale_max=D(0))


# --- partial_weighted_total -----------------------------------------------


def test_partial_weighted_total_one_criterion():
    # Only criterion 1: 4/5 * 100.
    assert partial_weighted_total({1: D(4)}, GRID) == D("80.00")


def test_partial_weighted_total_some_criteria():
    # Criteria 1 and 3: (3 * 5/5 + 1 * 2/5) / 4 * 100 = 3.4 / 4 * 100 = 85
    assert partial_weighted_total({1: D(5), 3: D(2)}, GRID) == D("85.00")


def test_partial_weighted_total_none_scores_are_skipped():
    assert partial_weighted_total({1: D(5), 2: None, 3: D(2)}, GRID) == D("85.00")


def test_partial_weighted_total_all_scored_equals_weighted_total():
    scores = {1: D(5), 2: D(4), 3: D(2)}
    assert partial_weighted_total(scores, GRID) == weighted_total(scores, GRID) == D("83.33")


def test_partial_weighted_total_no_score_is_none():
    assert partial_weighted_total({}, GRID) is None
    assert partial_weighted_total({1: None, 2: None}, GRID) is None


def test_partial_weighted_total_only_zero_weight_scored_is_none():
    grid = [
        CriterionSpec(id=1, weight=D(1), scale_max=D(5)),
        CriterionSpec(id=2, weight=D(0), scale_max=D(5)),
    ]
    assert partial_weighted_total({2: D(3)}, grid) is None


def test_partial_weighted_total_score_outside_scale_raises():
    with pytest.raises(ValueError, match="outside the scale"):
        partial_weighted_total({1: D("5.1")}, GRID)


def test_partial_weighted_total_zero_grid_weight_raises():
    grid = [CriterionSpec(id=1, weight=D(0), scale_max=D(5))]
    with pytest.raises(ValueError, match="zero"):
        partial_weighted_total({}, grid)


# --- project_stats --------------------------------------------------------


def test_project_stats_three_close_totals():
    stats = project_stats({11: D(60), 12: D(70), 13: D(80)}, expected=5)
    assert stats.totals == {11: D(60), 12: D(70), 13: D(80)}
    assert stats.count == 3
    assert stats.expected == 5
    assert stats.mean == D("70.00")
    assert stats.median == D("70.00")
    # Sample stdev: sqrt((100 + 0 + 100) / 2) = 10
    assert stats.stdev == D("10.00")
    assert stats.spread == D("20.00")
    assert stats.disagreement is False
    assert stats.progress_label == "3/5"


def test_project_stats_two_far_totals_disagree():
    stats = project_stats({11: D(40), 12: D(90)}, expected=2)
    assert stats.mean == D("65.00")
    assert stats.median == D("65.00")
    # sqrt((625 + 625) / 1) = 35.355…
    assert stats.stdev == D("35.36")
    assert stats.disagreement is True
    assert stats.progress_label == "2/2"


def test_project_stats_even_count_median():
    stats = project_stats({1: D(60), 2: D(65), 3: D(80), 4: D(90)}, expected=4)
    assert stats.mean == D("73.75")
    assert stats.median == D("72.50")


def test_project_stats_mean_and_stdev_in_thirds():
    stats = project_stats({1: D(70), 2: D(70), 3: D(71)}, expected=3)
    # 211 / 3 = 70.333…; stdev = sqrt((1/9 + 1/9 + 4/9) / 2) = sqrt(1/3) = 0.577…
    assert stats.mean == D("70.33")
    assert stats.median == D("70.00")
    assert stats.stdev == D("0.58")


def test_project_stats_single_outlier_disagrees_by_spread():
    totals = {juror: D(50) for juror in range(1, 8)} | {8: D(80)}
    stats = project_stats(totals, expected=8)
    # Mean 53.75; stdev = sqrt((7 * 3.75² + 26.25²) / 7) = sqrt(112.5) = 10.606… < 15,
    # but 80 - 50 = 30 >= 2 * 15.
    assert stats.stdev == D("10.61")
    assert stats.spread == D("30.00")
    assert stats.disagreement is True


def test_project_stats_stdev_equal_to_threshold_disagrees():
    stats = project_stats({1: D(60), 2: D(70), 3: D(80)}, 3, disagreement_threshold=D(10))
    assert stats.disagreement is True


def test_project_stats_custom_threshold():
    totals = {1: D(60), 2: D(80)}
    # stdev 14.14, spread 20
    assert project_stats(totals, 2).disagreement is False
    assert project_stats(totals, 2, disagreement_threshold=D(14)).disagreement is True
    assert project_stats(totals, 2, disagreement_threshold=D(20)).disagreement is False


def test_project_stats_single_evaluation():
    stats = project_stats({11: D("72.5")}, expected=5)
    assert stats.count == 1
    assert stats.mean == D("72.50")
    assert stats.median == D("72.50")
    assert stats.stdev is None
    assert stats.spread == D("0.00")
    assert stats.disagreement is False
    assert stats.progress_label == "1/5"


def test_project_stats_no_evaluation():
    stats = project_stats({}, expected=4)
    assert stats.count == 0
    assert stats.mean is None
    assert stats.median is None
    assert stats.stdev is None
    assert stats.spread is None
    assert stats.disagreement is False
    assert stats.progress_label == "0/4"


def test_project_stats_all_equal_totals_stdev_zero():
    stats = project_stats({1: D(75), 2: D(75), 3: D(75)}, expected=3)
    assert stats.mean == D("75.00")
    assert stats.stdev == D("0.00")
    assert stats.disagreement is False


def test_project_stats_non_positive_threshold_raises():
    with pytest.raises(ValueError):
        project_stats({1: D(60)}, 1, disagreement_threshold=D(0))


def test_project_stats_negative_expected_raises():
    with pytest.raises(ValueError):
        project_stats({1: D(60)}, -1)


# --- ranking --------------------------------------------------------------


def _stats(*totals):
    return project_stats(dict(enumerate(map(D, totals), start=1)), expected=3)


def test_ranking_ties_share_rank_and_unscored_last():
    stats = {
        101: _stats(60, 80),  # mean 70
        102: _stats(80),  # mean 80
        103: _stats(),  # nobody yet
        104: _stats(70),  # mean 70
        105: _stats(55, 65),  # mean 60
        100: _stats(),  # nobody yet
    }
    rows = ranking(stats)
    assert [(rank, pk) for rank, pk, _ in rows] == [
        (1, 102),
        (2, 101),
        (2, 104),
        (4, 105),
        (None, 100),
        (None, 103),
    ]
    assert all(isinstance(row[2], ProjectStats) for row in rows)
    assert rows[0][2] is stats[102]


def test_ranking_ties_on_displayed_mean():
    # 70.004 and 70.001 both show as 70.00: they share the rank.
    stats = {1: _stats("70.004"), 2: _stats("70.001"), 3: _stats("70.01")}
    assert [(rank, pk) for rank, pk, _ in ranking(stats)] == [(1, 3), (2, 1), (2, 2)]


def test_ranking_empty():
    assert ranking({}) == []


# --- juror_severity -------------------------------------------------------


def test_juror_severity_hand_computed():
    totals = {
        1: {10: D(50), 20: D(60)},  # mean 55
        2: {10: D(80), 20: D(90), 30: D(70)},  # mean 80
    }
    # Session mean: (50 + 60 + 80 + 90 + 70) / 5 = 70.
    assert juror_severity(totals) == {1: D("-15.00"), 2: D("10.00")}


def test_juror_severity_in_thirds():
    totals = {1: {10: D(60)}, 2: {10: D(70), 20: D(71)}}
    # Session mean 201 / 3 = 67; juror 1: 60 - 67 = -7; juror 2: 70.5 - 67 = 3.5
    assert juror_severity(totals) == {1: D("-7.00"), 2: D("3.50")}
    totals = {1: {10: D(60), 20: D(61)}, 2: {10: D(70)}}
    # Session mean 191 / 3 = 63.666…; juror 1: 60.5 - 63.666… = -3.1666…; juror 2: 6.333…
    assert juror_severity(totals) == {1: D("-3.17"), 2: D("6.33")}


def test_juror_severity_half_cent_rounds_away_from_zero():
    # Session mean 70.005: +0.005 and -0.005.
    assert juror_severity({1: {10: D("70.01")}, 2: {10: D("70.00")}}) == {
        1: D("0.01"),
        2: D("-0.01"),
    }


def test_juror_severity_single_juror_is_zero():
    assert juror_severity({1: {10: D(40), 20: D(90)}}) == {1: D("0.00")}


def test_juror_severity_juror_without_totals_left_out():
    assert juror_severity({1: {10: D(40)}, 2: {}}) == {1: D("0.00")}
    assert juror_severity({}) == {}


# --- normalised_totals and normalised_ranking -----------------------------

# A severe and a lenient juror who order the same three projects the same way.
SEVERE_AND_LENIENT = {
    1: {10: D(40), 20: D(50), 30: D(60)},  # mean 50, stdev 10
    2: {10: D(70), 20: D(80), 30: D(90)},  # mean 80, stdev 10
}


def test_normalised_totals_severe_and_lenient_jurors_coincide():
    # Session: mean 65, stdev sqrt((625 + 225 + 25 + 25 + 225 + 625) / 5) = sqrt(350) = 18.708…
    # Each juror's z-scores are -1, 0, 1: 65 - 18.708…, 65, 65 + 18.708…
    expected = {10: D("46.29"), 20: D("65.00"), 30: D("83.71")}
    assert normalised_totals(SEVERE_AND_LENIENT) == {1: expected, 2: expected}


def test_normalised_ranking_severe_and_lenient_jurors():
    assert juror_severity(SEVERE_AND_LENIENT) == {1: D("-15.00"), 2: D("15.00")}
    assert normalised_ranking(SEVERE_AND_LENIENT) == [
        (1, 30, D("83.71")),
        (2, 20, D("65.00")),
        (3, 10, D("46.29")),
    ]
    # The raw totals disagreed by 30 points on every project; normalised, not at all.
    normalised = normalised_totals(SEVERE_AND_LENIENT)
    for project in (10, 20, 30):
        raw = project_stats({j: t[project] for j, t in SEVERE_AND_LENIENT.items()}, 2)
        fair = project_stats({j: t[project] for j, t in normalised.items()}, 2)
        assert raw.disagreement is True
        assert fair.stdev == D("0.00")


def test_normalised_ranking_removes_offset_between_separate_projects():
    totals = {
        1: {1: D(60), 2: D(40)},  # severe: mean 50, stdev sqrt(200) = 14.142…
        2: {3: D(90), 4: D(70)},  # lenient: mean 80, stdev 14.142…
    }
    raw = {
        pk: project_stats({j: t[pk] for j, t in totals.items() if pk in t}, 1) for pk in range(1, 5)
    }
    assert [pk for _, pk, _ in ranking(raw)] == [3, 4, 1, 2]
    # Session: mean 65, stdev sqrt((625 + 25 + 25 + 625) / 3) = sqrt(1300 / 3).
    # z = ±10 / sqrt(200); 65 ± sqrt(1300 / 3) / sqrt(2) = 65 ± sqrt(216.66…) = 65 ± 14.7196…
    assert normalised_totals(totals) == {
        1: {1: D("79.72"), 2: D("50.28")},
        2: {3: D("79.72"), 4: D("50.28")},
    }
    assert normalised_ranking(totals) == [
        (1, 1, D("79.72")),
        (1, 3, D("79.72")),
        (3, 2, D("50.28")),
        (3, 4, D("50.28")),
    ]


def test_normalised_totals_juror_with_one_project_is_shifted_to_session_mean():
    totals = {1: {10: D(40), 20: D(60)}, 2: {20: D(90)}}
    # Session: mean 190 / 3 = 63.333…, stdev sqrt(3800 / 6) = 25.166…
    # Juror 1: mean 50, stdev 14.142…: 63.333… ± 10 / 14.142… * 25.166… = 63.333… ± 17.795…
    # Juror 2 (one project): 90 - 90 + 63.333… = 63.33
    assert normalised_totals(totals) == {
        1: {10: D("45.54"), 20: D("81.13")},
        2: {20: D("63.33")},
    }
    # Project 20: mean of 81.13 and 63.33 = 72.23
    assert normalised_ranking(totals) == [(1, 20, D("72.23")), (2, 10, D("45.54"))]


def test_normalised_totals_juror_with_equal_totals_is_shifted_only():
    totals = {1: {10: D(70), 20: D(70)}, 2: {10: D(60), 20: D(80)}}
    # Session: mean 70, stdev sqrt(200 / 3) = 8.165…
    # Juror 1 (stdev 0): 70 - 70 + 70 = 70.
    # Juror 2: 70 ± 10 / sqrt(200) * sqrt(200 / 3) = 70 ± 10 / sqrt(3) = 70 ± 5.7735…
    assert normalised_totals(totals) == {
        1: {10: D("70.00"), 20: D("70.00")},
        2: {10: D("64.23"), 20: D("75.77")},
    }


def test_normalised_totals_all_equal_scores():
    totals = {1: {10: D(70), 20: D(70)}, 2: {10: D(70), 20: D(70)}}
    assert normalised_totals(totals) == {
        1: {10: D("70.00"), 20: D("70.00")},
        2: {10: D("70.00"), 20: D("70.00")},
    }
    assert normalised_ranking(totals) == [(1, 10, D("70.00")), (1, 20, D("70.00"))]


def test_normalised_totals_single_juror_unchanged():
    totals = {1: {10: D(40), 20: D(60), 30: D("83.5")}}
    # The juror's mean and stdev are the session's: the totals come back as they were.
    assert normalised_totals(totals) == {1: {10: D("40.00"), 20: D("60.00"), 30: D("83.50")}}


def test_normalised_totals_single_total():
    assert normalised_totals({1: {10: D("55.5")}}) == {1: {10: D("55.50")}}


def test_normalised_totals_empty():
    assert normalised_totals({}) == {}
    assert normalised_totals({1: {}}) == {}
    assert normalised_ranking({}) == []


def test_normalised_ranking_unscored_projects_last():
    rows = normalised_ranking(SEVERE_AND_LENIENT, project_ids=[40, 10, 20, 30, 5])
    assert rows == [
        (1, 30, D("83.71")),
        (2, 20, D("65.00")),
        (3, 10, D("46.29")),
        (None, 5, None),
        (None, 40, None),
    ]
