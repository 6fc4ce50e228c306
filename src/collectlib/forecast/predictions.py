"""Payment predictions and the cash forecast, from payment profiles (SPEC 12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from collectlib._checks import check_date, check_each, check_instance, check_int, fail
from collectlib._frozen import FrozenMap
from collectlib.forecast._arguments import check_profile, check_profiles
from collectlib.forecast._estimate import PRIOR_SETTLEMENTS, expect, figures, pick, shift
from collectlib.forecast.profiles import PaymentProfile
from collectlib.model import Account, Item, Policy
from collectlib.money import ZERO, exact
from collectlib.rules.selection import scan

__all__ = [
    "PRIOR_SETTLEMENTS",
    "CashForecast",
    "CashWeek",
    "PaymentForecast",
    "cash_forecast",
    "predict_payment",
]


@attrs.frozen(kw_only=True)
class PaymentForecast:
    """When an item is expected to be paid, and how likely it is to be paid late.

    ``expected_on`` is the due date plus the expected delay, never before the date of
    the prediction (the item is unpaid then); ``days_late`` is the expected delay, 0
    when the item is expected on time or early; ``late_probability`` is between 0
    and 1 (1 for an item already overdue).  ``basis`` says where the figures come
    from: ``"customer"`` (the customer's own history), ``"blended"`` (the customer's
    shrunk toward the portfolio's), ``"portfolio"`` (a customer without history) or
    ``"default"`` (no history at all: the due date, probability 0.5).  ``disputed``:
    the item has a dispute or litigation status, so the disputed figures were read
    when there were some.
    """

    item_id: str
    expected_on: dt.date
    days_late: int
    late_probability: float
    basis: str
    disputed: bool = False


def predict_payment(
    item: Item,
    profile: PaymentProfile | None,
    policy: Policy,
    on: dt.date,
    fallback: PaymentProfile | None = None,
) -> PaymentForecast:
    """Predict when the open debit ``item`` will be paid, from its customer's ``profile``.

    The item is unpaid on ``on``, ``a = on - due_date`` days after its due date (``a``
    negative: not due yet), so only the settlements at least ``a`` days late tell
    when it will be paid.  Over them, the expected delay after the due date is the
    recency-weighted median of their days late, the probability of lateness their
    recency-weighted share paid late.  With a ``fallback`` (the portfolio's profile,
    ``portfolio_profile``) both are shrunk toward the portfolio's, the customer
    counting for the number ``n`` of those settlements and the portfolio for
    ``k = PRIOR_SETTLEMENTS``::

        delay = (n * customer + k * portfolio) / (n + k)

    An item in a dispute or litigation status (``policy.held_statuses``) reads the
    disputed settlements, another item the undisputed ones; either reads the other
    kind when its own has none.  No settlement so late in ``profile`` (or none at
    all, or ``profile`` None): the ``fallback``'s alone; in neither: the due date,
    probability 0.5.  The delay is rounded half up to whole days and is at least
    ``a``: the item is expected on ``on`` at the earliest, and an overdue item is late
    with probability 1.

    >>> from datetime import date
    >>> from collectlib import Item
    >>> from collectlib.forecast.settlements import Settlement
    >>> from collectlib.forecast.profiles import payment_profile
    >>> paid = [Settlement(account_id="C-1", item_id=f"F-{n}", issue_date=date(2026, 1, 1),
    ...     due_date=date(2026, 1, 31), settled_on=date(2026, 2, n), amount=100)
    ...     for n in (5, 10, 15)]
    >>> item = Item(id="F-9", kind="INVOICE", issue_date=date(2026, 2, 1),
    ...     due_date=date(2026, 3, 3), amount=250, open_amount=250)
    >>> predict_payment(item, payment_profile(paid, date(2026, 3, 1)), Policy(),
    ...     date(2026, 3, 1)).expected_on
    datetime.date(2026, 3, 13)
    """
    owner = "predict_payment"
    check_instance(owner, "item", item, Item)
    check_profile(owner, "profile", profile)
    check_instance(owner, "policy", policy, Policy)
    check_date(owner, "on", on)
    check_profile(owner, "fallback", fallback)
    if not item.is_debit:
        fail(owner, f"item: item {item.id!r} is not an open debit (open amount {item.open_amount})")
    disputed = item.status in policy.held_statuses
    age = (on - item.due_date).days
    days, late, basis = expect(
        figures(profile, disputed, age), figures(fallback, disputed, age), age
    )
    return PaymentForecast(
        item_id=item.id,
        expected_on=shift(item.due_date, days),
        days_late=max(days, 0),
        late_probability=late,
        basis=basis,
        disputed=disputed,
    )


@attrs.frozen(kw_only=True)
class CashWeek:
    """The cash expected in one ISO week (``week`` ``"2026-W10"``, from Monday ``start``)."""

    week: str
    start: dt.date
    currency: str
    amount: Decimal
    items: int
    """How many items the amount is of."""


@attrs.frozen(kw_only=True)
class CashForecast:
    """The cash expected per ISO week and currency over ``weeks`` weeks from ``on``.

    ``rows`` lists the weeks with cash, by start then currency; ``later`` is, per
    currency, the cash expected after the last week (so every collectable open debit
    is counted once, in a row or in ``later``).  Built by ``cash_forecast``.
    """

    on: dt.date
    weeks: int
    rows: tuple[CashWeek, ...]
    later: FrozenMap[str, Decimal]

    @property
    def totals(self) -> Mapping[str, Decimal]:
        """Per currency, the cash of every row and ``later``."""
        totals = dict(self.later)
        for row in self.rows:
            totals[row.currency] = totals.get(row.currency, ZERO) + row.amount
        return FrozenMap(dict(sorted(totals.items())))


def _iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


@exact
def cash_forecast(
    accounts: Iterable[Account],
    profiles: Mapping[str, PaymentProfile],
    policy: Policy,
    on: dt.date,
    weeks: int = 13,
    fallback: PaymentProfile | None = None,
) -> CashForecast:
    """Return the cash expected per ISO week and currency from the accounts' open debits.

    Each collectable open debit item (``collectable_items``: not disputed, not in a
    plan or a specific action, not ignored) is expected for its open amount on the
    ``expected_on`` of ``predict_payment`` with its account's profile (``profiles``
    by account id; an account without one reads ``fallback``).  The weeks are ISO
    weeks, Monday to Sunday, the first the one of ``on`` (an expected date is never
    before ``on``); a date after the last week lands in ``later``.  ``weeks`` is at
    least 1.  The accounts are read once.

    >>> from datetime import date
    >>> from collectlib import Account, Item
    >>> account = Account(id="C-1", items=[Item(id="F-1", kind="INVOICE",
    ...     issue_date=date(2026, 2, 1), due_date=date(2026, 3, 3), amount=250,
    ...     open_amount=250)])
    >>> forecast = cash_forecast([account], {}, Policy(), date(2026, 3, 2), weeks=4)
    >>> [(row.week, row.amount) for row in forecast.rows]
    [('2026-W10', Decimal('250'))]
    """
    owner = "cash_forecast"
    checked = check_profiles(owner, profiles)
    check_instance(owner, "policy", policy, Policy)
    check_date(owner, "on", on)
    check_int(owner, "weeks", weeks, minimum=1)
    check_profile(owner, "fallback", fallback)
    monday = on - dt.timedelta(days=on.weekday())
    cash: dict[tuple[int, str], list[Decimal]] = {}
    later: dict[str, Decimal] = {}
    weekday = on.weekday()  # ``on - monday``: an item due ``on`` and paid then is in week 0
    # The fallback's figures depend only on the item's age (a collectable item is not
    # disputed): read once each.
    priors: dict[int, tuple[float, float, float] | None] = {}
    for account in check_each(owner, "accounts", accounts, Account):
        ids = scan(account, policy)[2]  # the collectable items (``collectable_items``)
        if not ids:
            continue
        kept = None if len(ids) == len(account.items) else frozenset(ids)
        kind = pick(checked.get(account.id), False)  # read once per account
        currency = account.currency
        for item in account.items:
            if item.open_amount <= ZERO or (kept is not None and item.id not in kept):
                continue
            age = (on - item.due_date).days
            try:
                prior = priors[age]
            except KeyError:
                prior = priors[age] = figures(fallback, False, age)
            own = None if kind is None else kind._from(age)
            days = expect(own, prior, age)[0]
            # Expected on ``on`` at the earliest (``days >= age``); a date past the last
            # one that exists lands in ``later`` as ``shift`` would put it there.
            index = (weekday + days - age) // 7
            if index >= weeks:
                later[currency] = later.get(currency, ZERO) + item.open_amount
            else:
                key = (index, currency)
                cash.setdefault(key, []).append(item.open_amount)
    rows = []
    for (index, currency), amounts in sorted(cash.items()):
        start = monday + dt.timedelta(days=7 * index)
        rows.append(
            CashWeek(
                week=_iso_week(start),
                start=start,
                currency=currency,
                amount=sum(amounts, ZERO),
                items=len(amounts),
            )
        )
    return CashForecast(
        on=on, weeks=weeks, rows=tuple(rows), later=FrozenMap(dict(sorted(later.items())))
    )
