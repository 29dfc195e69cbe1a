"""Small statistical helpers shared by the analyses (pure numpy, vectorised)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson_interval(successes: ArrayLike, trials: ArrayLike, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, element-wise.

    Better than the normal approximation for small samples and rates near 0 or 1. Where
    ``trials`` is 0 the bounds are NaN (no denominator, no interval).
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
        # The interval holds p; rounding must not put p outside it (a rate of 1 above a bound of
        # 0.9999999999999999 drew a negative error bar).
        low, high = np.fmin(centre - half, p), np.fmax(centre + half, p)
    empty = n <= 0
    low = np.where(empty, np.nan, np.clip(low, 0.0, 1.0))
    high = np.where(empty, np.nan, np.clip(high, 0.0, 1.0))
    return low, high


def finite_or_none(value: object) -> float | None:
    """``value`` as a float, or None when it is missing, not a number, NaN or infinite."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number
