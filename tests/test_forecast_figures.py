"""The figures a prediction reads, from the cumulative weights, equal the plain sums.

The third figure is how many settlements the customer's figures rest on (what the
shrinkage toward the portfolio counts).
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from collectlib import PaymentFigures, Settlement, payment_profile
from collectlib import strategies as cs
from collectlib.forecast._stats import weighted_median

ON = dt.date(2026, 6, 1)


def plain(figures: PaymentFigures, age: int) -> tuple[float, float, float] | None:
    """What ``_from`` computes, by a pass over every settlement."""
    later = [(delay, weight) for delay, weight in figures.delays if delay >= age]
    part = sum(weight for _delay, weight in later)
    if not later or part <= 0:
        return None
    late = sum(weight for delay, weight in later if delay > 0) / part
    return float(weighted_median(later)), late, float(len(later))


@given(
    st.lists(cs.settlements(disputed=False), min_size=1, max_size=30),
    st.sampled_from((None, 1, 30, 365)),
    st.integers(-40, 140),
)
def test_the_cumulative_figures_are_the_plain_ones(
    settlements: list[Settlement], half_life: int | None, age: int
) -> None:
    figures = payment_profile(settlements, dt.date.max, half_life).undisputed
    fast, slow = figures._from(age), plain(figures, age)
    if slow is None or fast is None:
        assert fast == slow
        return
    assert fast[0] == slow[0]
    assert math.isclose(fast[1], slow[1], rel_tol=1e-9, abs_tol=1e-12)
    assert fast[2] == slow[2]


def test_settlements_that_weigh_nothing_tell_nothing() -> None:
    # A one-day half-life: a settlement paid 3,000 days before the latest weighs 0.
    old = Settlement(
        account_id="C-1",
        item_id="F-1",
        issue_date=dt.date(2010, 1, 1),
        due_date=dt.date(2010, 1, 31),
        settled_on=dt.date(2010, 3, 31),
        amount=1,
    )
    new = Settlement(account_id="C-1", item_id="F-2", issue_date=dt.date(2026, 1, 1),
                     due_date=dt.date(2026, 1, 31), settled_on=dt.date(2026, 1, 31), amount=1)  # fmt: skip
    figures = payment_profile([old, new], ON, half_life_days=1).undisputed
    assert figures.delays[-1] == (59, 0.0)
    assert figures._from(30) is None
    assert figures._from(0) == (0.0, 0.0, 2.0)
