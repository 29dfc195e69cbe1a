from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from strategy_kit.stats import wilson_interval


def test_wilson_interval_matches_hand_computation():
    # 8 successes out of 10, z = 1.96: p = 0.8, z²/n = 0.38416, denominator 1.38416,
    # centre = (0.8 + 0.19208) / 1.38416 = 0.716738,
    # half = 1.96 * sqrt(0.016 + 0.009604) / 1.38416 = 1.96 * 0.160012 / 1.38416 = 0.226581
    low, high = wilson_interval([8], [10], z=1.96)
    assert math.isclose(low[0], 0.716738 - 0.226581, abs_tol=2e-6)
    assert math.isclose(high[0], 0.716738 + 0.226581, abs_tol=2e-6)


def test_wilson_interval_edges():
    low, high = wilson_interval(np.array([0, 5, 0]), np.array([5, 5, 0]))
    assert low[0] == 0.0 and 0 < high[0] < 0.5
    assert low[1] > 0.5 and high[1] == 1.0
    assert math.isnan(low[2]) and math.isnan(high[2])  # no denominator: no interval


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_the_wilson_interval_always_holds_the_observed_rate(counts):
    # charts draw error bars from rate - low and high - rate: neither may be negative
    won, trials = counts
    low, high = wilson_interval(won, trials)
    assert 0.0 <= low <= won / trials <= high <= 1.0
