"""The streaming benchmark's figures are defined however fast the machine streams."""

from __future__ import annotations

import math

from benchmarks.bench_streaming import MIN_REFRESHES, Run, refresh_near, refresh_ratio


def run_with(refreshes: list[tuple[int, float]]) -> Run:
    return Run(refreshes=[[float(position), cost, 0.0] for position, cost in refreshes])


def test_a_point_no_refresh_falls_near_takes_the_nearest_refreshes() -> None:
    # A fast run: the first refresh already holds 600 tokens, none falls up to token 500.
    run = run_with([(600, 0.010), (1_100, 0.020), (1_500, 0.030), (2_400, 0.090)])
    assert refresh_near(run, 500) == 0.020  # the median of the 3 nearest to token 500
    assert math.isfinite(refresh_ratio(run, 500, 1_500))


def test_a_window_with_enough_refreshes_uses_only_them() -> None:
    run = run_with([(100, 0.001), *((400 + i, 0.005) for i in range(MIN_REFRESHES)), (900, 1.0)])
    assert refresh_near(run, 500) == 0.005


def test_a_ratio_is_finite_even_for_refreshes_that_cost_nothing_measurable() -> None:
    run = run_with([(100, 0.0), (200, 0.0), (300, 0.0), (1_000, 0.004)])
    assert math.isfinite(refresh_ratio(run, 300, 1_000))
