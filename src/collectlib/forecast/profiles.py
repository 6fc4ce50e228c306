"""Payment profiles: how a customer pays, read from its settlements (SPEC 12)."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from collectlib._checks import check_date, check_each, check_int, fail
from collectlib._frozen import FrozenMap
from collectlib.forecast._stats import weighted_median
from collectlib.forecast.settlements import Settlement
from collectlib.money import ZERO, exact

__all__ = [
    "PaymentFigures",
    "PaymentProfile",
    "payment_profile",
    "payment_profiles",
    "portfolio_profile",
]


class _Cumulative:
    """The slot of a figures' cumulative weights, built on first use (``_from``).

    A cache kept out of the attrs fields, so that ``attrs.asdict``, ``evolve``,
    equality, hashing and pickling never see it.
    """

    __slots__ = ("_cumulative",)
    _cumulative: tuple[list[int], list[float]]


@attrs.frozen(kw_only=True)
class PaymentFigures(_Cumulative):
    """How a set of settlements was paid (the disputed ones, or the others).

    Days late are ``settled_on - due_date``.  ``average_days_late`` is weighted by the
    amounts and counts an early payment as 0 days late; ``late_share`` is the share of
    the settlements paid after their due date; ``average_days_to_pay`` is weighted by
    the amounts (``settled_on - issue_date``).  With ``half_life_days``, a settlement
    paid ``a`` days before the date of the profile weighs ``2 ** (-a / half_life_days)``
    (without, 1): ``recent_days_late`` is ``average_days_late`` with those weights
    times the amounts, and ``trend`` is ``recent_days_late - average_days_late``
    (positive: the customer pays later lately).  The estimator ``predict_payment``
    reads: ``typical_delay``, the weighted median of the days late (negative: paid
    early; each settlement weighs its recency weight, not its amount),
    ``late_probability``, the weighted share paid late, and ``weight``, the sum of the
    recency weights (as many settlements as that count for), and ``delays``, each
    settlement's days late and weight.  The figures are ``None`` (``weight`` 0,
    ``delays`` empty) when there are no settlements.
    """

    count: int = 0
    amount: Decimal = ZERO
    average_days_late: float | None = None
    late_share: float | None = None
    average_days_to_pay: float | None = None
    recent_days_late: float | None = None
    trend: float | None = None
    typical_delay: int | None = None
    late_probability: float | None = None
    weight: float = 0.0
    delays: tuple[tuple[int, float], ...] = ()
    """Each settlement's days late with its recency weight (relative to the latest
    settlement's, 1), sorted: what a prediction conditions on."""

    def _from(self, age: int) -> tuple[float, float, float] | None:
        """Return the figures of the settlements at least ``age`` days late.

        Their weighted median delay, their weighted share paid late, and how many
        they are (what the shrinkage toward the portfolio counts: the recency weights
        choose which settlements speak, their number how much is known); ``None`` when
        there is no such settlement, or when they weigh nothing (a tiny half-life over
        old ones).  The delays are sorted, and the weights of each suffix of them kept
        (summed from the latest end, so that a suffix of tiny weights after large ones
        keeps its weight, which a difference of running totals would round to 0): each
        call takes a logarithmic time, and a portfolio's profile of a million
        settlements predicts as fast as a customer's.
        """
        try:
            delays, remaining = self._cumulative
        except AttributeError:  # the first call
            delays = [delay for delay, _weight in self.delays]
            # remaining[i]: minus the weight of the delays from i on (increasing, for bisect)
            weights = [weight for _delay, weight in reversed(self.delays)]
            remaining = [*(-total for total in itertools.accumulate(weights))][::-1]
            remaining.append(-0.0)
            object.__setattr__(self, "_cumulative", (delays, remaining))
        start = bisect.bisect_left(delays, age)
        count = len(delays) - start
        part = -remaining[start]
        if not count or part <= 0.0:
            return None
        # The weighted median: the first delay at which the weight reached from ``start``
        # is half of theirs, i.e. the weight left after it is at most the other half.
        median = delays[bisect.bisect_left(remaining, -part / 2, start + 1) - 1]
        late = -remaining[bisect.bisect_right(delays, 0, start)]  # from the first paid late
        return float(median), late / part, float(count)


@attrs.frozen(kw_only=True)
class PaymentProfile:
    """How a customer paid before ``on``: its undisputed and disputed settlements apart.

    ``account_id`` is ``None`` for a portfolio's profile (``portfolio_profile``);
    ``currency`` is ``None`` when there were no settlements.  ``count`` is the number
    of settlements of both kinds.  Built by ``payment_profile``.
    """

    account_id: str | None
    on: dt.date
    currency: str | None
    half_life_days: int | None
    undisputed: PaymentFigures
    disputed: PaymentFigures

    @property
    def count(self) -> int:
        """The number of settlements profiled, disputed or not."""
        return self.undisputed.count + self.disputed.count


_OWNER = "payment_profile"


def _check_arguments(owner: str, on: object, half_life_days: object) -> None:
    check_date(owner, "on", on)
    if half_life_days is not None:
        check_int(owner, "half_life_days", half_life_days, minimum=1)


def _canonical(s: Settlement) -> tuple[object, ...]:
    return (s.settled_on, s.account_id, s.item_id, s.due_date, s.issue_date, s.amount, s.disputed)


def _figures(
    settlements: list[Settlement], on: dt.date, half_life_days: int | None
) -> PaymentFigures:
    if not settlements:
        return PaymentFigures()
    # One order whatever the order given: float sums depend on it.
    settlements = sorted(settlements, key=_canonical)
    amount = sum((s.amount for s in settlements), ZERO)
    # Weights relative to the latest settlement (1), so that none underflows to a zero
    # total; ``weight`` scales them back to their age on ``on``.
    latest = max(s.settled_on for s in settlements)
    if half_life_days is None:
        weights = [1.0] * len(settlements)
        scale = 1.0
    else:
        weights = [2.0 ** (-(latest - s.settled_on).days / half_life_days) for s in settlements]
        scale = 2.0 ** (-(on - latest).days / half_life_days)
    total_amount = float(amount)
    late_days = [max(s.days_late, 0) for s in settlements]
    average = sum(float(s.amount) * late for s, late in zip(settlements, late_days, strict=True))
    average /= total_amount
    recent_amounts = [float(s.amount) * w for s, w in zip(settlements, weights, strict=True)]
    recent = sum(a * late for a, late in zip(recent_amounts, late_days, strict=True))
    recent /= sum(recent_amounts)
    relative = sum(weights)
    delays = tuple(sorted((s.days_late, w) for s, w in zip(settlements, weights, strict=True)))
    late_weight = sum(w for s, w in zip(settlements, weights, strict=True) if s.days_late > 0)
    return PaymentFigures(
        count=len(settlements),
        amount=amount,
        average_days_late=average,
        late_share=sum(1 for late in late_days if late > 0) / len(settlements),
        average_days_to_pay=sum(float(s.amount) * s.days_to_pay for s in settlements)
        / total_amount,
        recent_days_late=recent,
        trend=recent - average,
        typical_delay=weighted_median(delays),
        late_probability=late_weight / relative,
        weight=relative * scale,
        delays=delays,
    )


def _profile(
    account_id: str | None,
    settlements: list[Settlement],
    on: dt.date,
    half_life_days: int | None,
) -> PaymentProfile:
    currency = settlements[0].currency if settlements else None
    return PaymentProfile(
        account_id=account_id,
        on=on,
        currency=currency,
        half_life_days=half_life_days,
        undisputed=_figures([s for s in settlements if not s.disputed], on, half_life_days),
        disputed=_figures([s for s in settlements if s.disputed], on, half_life_days),
    )


def _before(
    owner: str, settlements: Iterable[Settlement], on: dt.date, *, one_account: bool
) -> list[Settlement]:
    """Return the settlements paid before ``on``: one account (when asked), one currency."""
    kept: list[Settlement] = []
    first: Settlement | None = None
    for settlement in check_each(owner, "settlements", settlements, Settlement):
        if first is None:
            first = settlement
        elif one_account and settlement.account_id != first.account_id:
            fail(
                owner,
                f"settlements: settlement {settlement.item_id!r} is of account "
                f"{settlement.account_id!r}, not {first.account_id!r} (one account's "
                "settlements; payment_profiles profiles several)",
            )
        elif settlement.currency != first.currency:
            fail(
                owner,
                f"settlements: settlement {settlement.item_id!r} of account "
                f"{settlement.account_id!r} is in {settlement.currency}, not "
                f"{first.currency} (one currency per profile)",
            )
        if settlement.settled_on < on:
            kept.append(settlement)
    return kept


@exact
def payment_profile(
    settlements: Iterable[Settlement], on: dt.date, half_life_days: int | None = None
) -> PaymentProfile:
    """Return how one account paid the ``settlements`` settled before ``on``.

    Only the settlements with ``settled_on < on`` count (no look-ahead); all of them
    must be of one account and one currency, else ``ValidationError``.  No settlements
    at all: a profile of ``account_id`` ``None`` with empty figures.
    ``half_life_days`` (at least 1) weighs recent settlements more (see
    ``PaymentFigures``).  ``docs/explanation/how-collectlib-predicts-payment.md``
    gives the formulas.

    >>> from datetime import date
    >>> paid = [Settlement(account_id="C-1", item_id=f"F-{n}", issue_date=date(2026, 1, 1),
    ...     due_date=date(2026, 1, 31), settled_on=date(2026, 2, n), amount=100)
    ...     for n in (5, 10, 15)]
    >>> profile = payment_profile(paid, date(2026, 3, 1))
    >>> profile.undisputed.average_days_late, profile.undisputed.typical_delay
    (10.0, 10)
    """
    _check_arguments(_OWNER, on, half_life_days)
    kept = _before(_OWNER, settlements, on, one_account=True)
    # Over the settlements given, not those kept: adding a later one changes nothing.
    account_id = kept[0].account_id if kept else None
    return _profile(account_id, kept, on, half_life_days)


@exact
def portfolio_profile(
    settlements: Iterable[Settlement], on: dt.date, half_life_days: int | None = None
) -> PaymentProfile:
    """Return how a whole portfolio paid: ``payment_profile`` over all its accounts.

    The ``fallback`` of ``predict_payment`` and ``cash_forecast``, for the customers
    without a history of their own; its ``account_id`` is ``None``.  The settlements
    must be of one currency (profile each currency apart).
    """
    owner = "portfolio_profile"
    _check_arguments(owner, on, half_life_days)
    kept = _before(owner, settlements, on, one_account=False)
    return _profile(None, kept, on, half_life_days)


@exact
def payment_profiles(
    settlements: Iterable[Settlement], on: dt.date, half_life_days: int | None = None
) -> Mapping[str, PaymentProfile]:
    """Return each account's ``payment_profile``, by account id, in one pass.

    An account whose settlements were all paid on or after ``on`` has a profile with
    empty figures.  An account's settlements must be of one currency.
    """
    owner = "payment_profiles"
    _check_arguments(owner, on, half_life_days)
    by_account: dict[str, list[Settlement]] = {}
    for settlement in check_each(owner, "settlements", settlements, Settlement):
        by_account.setdefault(settlement.account_id, []).append(settlement)
    return FrozenMap(
        {
            account_id: _profile(
                account_id, _before(owner, group, on, one_account=True), on, half_life_days
            )
            for account_id, group in sorted(by_account.items())
        }
    )
