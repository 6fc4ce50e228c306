"""The one weighted median of the forecast (profiles and predictions read it)."""

from __future__ import annotations

from collections.abc import Sequence


def weighted_median(delays: Sequence[tuple[int, float]]) -> int:
    """Return the smallest delay at which the cumulative weight reaches half the total.

    ``delays`` are ``(days, weight)`` pairs, at least one, in any order.

    >>> weighted_median([(20, 0.5), (4, 0.2), (12, 1.0)]), weighted_median([(3, 0.0)])
    (12, 3)
    """
    ordered = sorted(delays)
    half = sum(weight for _delay, weight in ordered) / 2
    reached = 0.0
    for delay, weight in ordered[:-1]:
        reached += weight
        if reached >= half:
            return delay
    return ordered[-1][0]
