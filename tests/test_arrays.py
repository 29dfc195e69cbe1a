"""The KPI engine's array helpers, against plain Python."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from strategy_kit.kpis.arrays import split

labels = st.lists(st.one_of(st.none(), st.sampled_from(["Santé · 50-249", "BTP", "Industrie", ""])), max_size=40)


@given(labels, st.randoms(use_true_random=False))
def test_split_groups_values_by_label_in_their_order_leaving_missing_labels_out(names, rng):
    values = np.array([rng.random() for _ in names], dtype=float)
    expected: dict[str, list[float]] = {}
    for name, value in zip(names, values):
        if name is not None:
            expected.setdefault(name, []).append(float(value))
    found = split(np.array(names, dtype=object), values)
    assert [name for name, _ in found] == list(expected)  # the order labels first appear in
    assert {name: group.tolist() for name, group in found} == expected
