"""The policy: the settings of the collection department (statuses, scenarios, thresholds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from collectlib._checks import (
    check_amount,
    check_date,
    check_id,
    check_instances,
    check_int,
    check_per_currency,
    fail,
    to_frozenset,
    to_tuple,
)
from collectlib._frozen import FrozenMap
from collectlib.enums import StatusCategory
from collectlib.errors import ConfigurationError, Problem, UnknownStatusError, ValidationError
from collectlib.hashtags import did_you_mean, template_problems
from collectlib.model.calendar import BusinessCalendar
from collectlib.model.scenarios import Scenario
from collectlib.model.statuses import Status
from collectlib.money import (
    ZERO,
    Amount,
    PerCurrency,
    amount_problem,
    coerce_amount,
    coerce_per_currency,
    exact,
)

__all__ = [
    "CollectorRule",
    "PenaltyRule",
    "Policy",
    "QuickPromise",
    "RateTimeline",
    "SendingWindow",
]

_MAX_QUICK_PROMISE_DAYS = 5


@attrs.frozen(kw_only=True)
class QuickPromise:
    """The one-click promise to pay: the status it applies and the promise delay (D+0 to D+5).

    >>> QuickPromise(status="promise", delay_days=6)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: quick promise: delay_days must be 0 to 5 (a short-term \
promise), not 6
    """

    status: str
    delay_days: int = 0

    def __attrs_post_init__(self) -> None:
        check_id("quick promise", "status", self.status)
        check_int("quick promise", "delay_days", self.delay_days, minimum=0)
        if self.delay_days > _MAX_QUICK_PROMISE_DAYS:
            fail(
                "quick promise",
                f"delay_days must be 0 to {_MAX_QUICK_PROMISE_DAYS} (a short-term promise), "
                f"not {self.delay_days}",
            )


def _periods(value: object) -> object:
    """Freeze the periods into a tuple of ``(date, rate)`` tuples, each rate read as an amount.

    What is not a collection of pairs is left as it is: the class reports it.
    """
    periods: object = to_tuple(value)  # type: ignore[arg-type]  # checked below
    if not isinstance(periods, tuple):
        return periods
    return tuple(
        (period[0], coerce_amount(period[1]))
        if isinstance(period, tuple | list) and len(period) == 2
        else period
        for period in periods
    )


def _period_problem(periods: object, minimum: Decimal, field: str = "periods") -> str | None:
    """Say what is wrong with a list of ``(from_date, rate)`` periods, or return ``None``.

    The periods are pairs of a date and a rate from ``minimum`` to 1, oldest first, no
    two on the same date, at least one; ``field`` names them in the message.
    """
    if not isinstance(periods, tuple):
        return f"{field} must be a list of (from_date, rate) pairs, not {periods!r}"
    if not periods:
        return f"{field} must name at least one (from_date, rate) pair"
    before: dt.date | None = None
    for position, period in enumerate(periods):
        where = f"{field}[{position}]"
        if not isinstance(period, tuple) or len(period) != 2:
            return f"{where} must be a (from_date, rate) pair, not {period!r}"
        start, rate = period
        if type(start) is not dt.date:
            return f"{where}: from_date must be a date, not {start!r}"
        problem = amount_problem(rate)
        if problem is not None:
            return f"{where}: rate: {problem}"
        if not minimum <= rate <= 1:
            return f"{where}: rate is a fraction (0.12 for 12 %) from {minimum} to 1, not {rate}"
        if before is not None and start <= before:
            order = "two periods start on" if start == before else "periods go back in time:"
            detail = f" {start}" if start == before else f" {start} after {before}"
            return f"{where}: {order}{detail} (oldest first, one period a date)"
        before = start
    return None


_FIXINGS = ("semester",)


@attrs.frozen(kw_only=True)
class RateTimeline:
    """A yearly interest rate that changes over time: ``(from_date, rate)`` periods.

    Each period's rate is in force from its date to the day before the next period's;
    the last one stays in force.  Periods are oldest first, no two on the same date,
    rates fractions from 0 to 1 (``Decimal("0.1215")`` for 12.15 %).  Before the first
    period no rate is in force: **a day before it bears no interest** (give the
    timeline from far enough back).  ``RateTimeline.reference_plus`` builds the EU
    late-payment rate from the central bank's reference rates.

    >>> from datetime import date
    >>> timeline = RateTimeline(periods=[(date(2025, 1, 1), "0.1115"),
    ...                                   (date(2025, 7, 1), "0.1015")])
    >>> timeline.rate_on(date(2025, 6, 30)), timeline.rate_on(date(2025, 7, 1))
    (Decimal('0.1115'), Decimal('0.1015'))
    >>> print(timeline.rate_on(date(2024, 12, 31)))
    None
    >>> RateTimeline(periods=[(date(2025, 7, 1), "0.1015"), (date(2025, 1, 1), "0.1115")])
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: rate timeline: periods[1]: periods go back in time: \
2025-01-01 after 2025-07-01 (oldest first, one period a date)
    """

    periods: tuple[tuple[dt.date, Decimal], ...] = attrs.field(converter=_periods)

    def __attrs_post_init__(self) -> None:
        problem = _period_problem(self.periods, ZERO)
        if problem is not None:
            fail("rate timeline", problem)

    def rate_on(self, day: dt.date) -> Decimal | None:
        """Return the rate in force on ``day``, or ``None`` before the first period."""
        check_date("rate_on", "day", day)
        rate = None
        for start, period_rate in self.periods:
            if start > day:
                break
            rate = period_rate
        return rate

    @exact
    def rate_days(self, after: dt.date, until: dt.date) -> Decimal:
        """Return the sum of each day's rate over the days after ``after`` up to ``until``.

        Interest on an amount late from its due date ``after`` to ``until`` is
        ``amount * rate_days(after, until) / year_days``: each day at the rate in force
        that day (none before the first period).  A plain rate ``r`` gives
        ``r * (until - after).days``.  Zero when ``until <= after``.  The sum is exact,
        so it adds up over a split of the days: ``rate_days(a, c) == rate_days(a, b) +
        rate_days(b, c)`` for ``a <= b <= c``.

        >>> from datetime import date
        >>> timeline = RateTimeline(periods=[(date(2025, 1, 1), "0.1115"),
        ...                                   (date(2025, 7, 1), "0.1015")])
        >>> timeline.rate_days(date(2025, 6, 20), date(2025, 7, 10))  # 10 + 10 days
        Decimal('2.1300')
        """
        check_date("rate_days", "after", after)
        check_date("rate_days", "until", until)
        first, last = after.toordinal() + 1, until.toordinal()  # the days counted
        total = ZERO
        periods = self.periods
        for position, (start, rate) in enumerate(periods):
            begin = max(first, start.toordinal())
            end = (
                last
                if position + 1 == len(periods)
                else min(last, periods[position + 1][0].toordinal() - 1)
            )
            if end >= begin:
                total += rate * (end - begin + 1)
        return total

    @classmethod
    @exact
    def reference_plus(
        cls,
        reference_rates: RateTimeline | Iterable[tuple[dt.date, Amount]],
        margin: Amount,
        fixing: str = "semester",
    ) -> RateTimeline:
        """Return the EU late-payment rate: a reference rate fixed each half-year, plus ``margin``.

        ``fixing="semester"`` (the Late Payment Directive 2011/7/EU): the reference
        rate in force on 1 January applies from January to June, the one in force on
        1 July from July to December.  ``reference_rates`` are the central bank's
        ``(from_date, rate)`` changes, oldest first (a ``RateTimeline``, or pairs: a
        reference rate may be below zero); ``margin`` is the statutory margin
        (``Decimal("0.08")`` for 8 points).  The timeline has one period per half-year,
        from the first 1 January or 1 July on which a reference rate is in force to the
        first on or after the last change (its rate then stays in force).

        >>> from datetime import date
        >>> ecb = [(date(2024, 6, 12), "0.0425"), (date(2024, 12, 18), "0.0315")]
        >>> RateTimeline.reference_plus(ecb, "0.08").periods
        ((datetime.date(2024, 7, 1), Decimal('0.1225')), \
(datetime.date(2025, 1, 1), Decimal('0.1115')))
        """
        what = "reference_plus"
        if isinstance(reference_rates, RateTimeline):
            reference: object = reference_rates.periods
        elif isinstance(reference_rates, str | bytes | Mapping) or not isinstance(
            reference_rates, Iterable
        ):
            reference = reference_rates  # refused below
        else:
            reference = _periods(reference_rates)
        problem = _period_problem(reference, Decimal(-1), "reference_rates")
        if problem is not None:
            fail(what, problem)
        added = coerce_amount(margin)
        check_amount(what, "margin", added, minimum=Decimal(-1))
        if fixing not in _FIXINGS:
            fail(what, f"fixing must be one of {', '.join(map(repr, _FIXINGS))}, not {fixing!r}")
        rates: tuple[tuple[dt.date, Decimal], ...] = reference  # type: ignore[assignment]
        last = rates[-1][0]
        fixed = _half_year_from(rates[0][0])
        periods = []
        while fixed is not None:
            in_force = next(rate for start, rate in reversed(rates) if start <= fixed)
            periods.append((fixed, in_force + added))
            fixed = None if fixed >= last else _half_year_from(fixed + dt.timedelta(days=1))
        if not periods:
            fail(what, f"reference_rates: no 1 January or 1 July on or after {rates[0][0]}")
        try:
            return cls(periods=periods)
        except ValidationError as error:
            raise ValidationError(f"{what}: {error}") from None

    def __str__(self) -> str:
        return ", ".join(f"{rate} from {start}" for start, rate in self.periods)


def _half_year_from(day: dt.date) -> dt.date | None:
    """Return the first 1 January or 1 July on or after ``day`` (``None``: past the calendar)."""
    if day.month == 1 and day.day == 1:
        return day
    july = dt.date(day.year, 7, 1)
    if day <= july:
        return july
    return dt.date(day.year + 1, 1, 1) if day.year < dt.MAXYEAR else None


def _annual_rate(value: object) -> object:
    return value if isinstance(value, RateTimeline) else coerce_amount(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class PenaltyRule:
    """Late-payment penalties: yearly interest rate, fixed recovery cost per overdue item.

    ``annual_rate`` is a fraction (``Decimal("0.12")`` for 12 %), from 0 to 1: a rate
    above 100 % a year is taken for a percentage written as a number and refused.  It
    may be a ``RateTimeline`` (statutory interest that follows a reference rate): each
    day late then bears the rate in force that day.  Interest counts ``year_days`` days
    in a year.

    >>> PenaltyRule(annual_rate=12)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: penalties: annual_rate is a fraction \
(0.12 for 12 %), at most 1, not 12
    """

    annual_rate: Decimal | RateTimeline = attrs.field(converter=_annual_rate)
    recovery_cost: Decimal = attrs.field(default=ZERO, converter=coerce_amount)
    year_days: int = 365

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.annual_rate, RateTimeline):
            check_amount("penalties", "annual_rate", self.annual_rate, minimum=ZERO)
            if self.annual_rate > 1:
                fail(
                    "penalties",
                    f"annual_rate is a fraction (0.12 for 12 %), at most 1, not {self.annual_rate}",
                )
        check_amount("penalties", "recovery_cost", self.recovery_cost, minimum=ZERO)
        check_int("penalties", "year_days", self.year_days, minimum=1)


def _slots(value: object) -> tuple[tuple[dt.time, dt.time], ...]:
    slots = to_tuple(value)  # type: ignore[arg-type]
    try:
        return tuple(sorted(slots, key=_slot_key))
    except TypeError:  # not a collection, or local and zoned times: reported by the class
        return slots


def _slot_key(slot: object) -> tuple[dt.time, ...]:
    return (
        tuple(slot) if isinstance(slot, tuple) and all(isinstance(t, dt.time) for t in slot) else ()
    )


@attrs.frozen(kw_only=True)
class SendingWindow:
    """When automatic messages may go out: days of the week and time slots.

    ``weekdays`` uses ``date.weekday()`` numbers (Monday 0 to Sunday 6); ``slots`` are
    ``(start, end)`` times, start included and end excluded, kept sorted and never
    overlapping.

    >>> from datetime import time
    >>> window = SendingWindow(weekdays={0, 1, 2, 3, 4},
    ...                        slots=[(time(14), time(17)), (time(9), time(12))])
    >>> window.slots[0]
    (datetime.time(9, 0), datetime.time(12, 0))
    """

    weekdays: frozenset[int] = attrs.field(converter=to_frozenset)
    slots: tuple[tuple[dt.time, dt.time], ...] = attrs.field(converter=_slots)

    def __attrs_post_init__(self) -> None:
        owner = "sending window"
        check_instances(owner, "weekdays", self.weekdays, int)
        if not self.weekdays:
            fail(owner, "weekdays must name at least one day")
        for day in sorted(self.weekdays):
            if type(day) is not int or not 0 <= day <= 6:
                fail(owner, f"weekdays are 0 (Monday) to 6 (Sunday), not {day!r}")
        if not isinstance(self.slots, tuple):
            fail(
                owner, f"slots must be a collection of (start, end) time slots, not {self.slots!r}"
            )
        if not self.slots:
            fail(owner, "slots must hold at least one (start, end) time slot")
        for slot in self.slots:
            if not _slot_key(slot) or len(slot) != 2:
                fail(owner, f"a slot is a (start, end) pair of times, not {slot!r}")
            start, end = slot
            if start.tzinfo is not None or end.tzinfo is not None:
                fail(owner, f"slot {start}-{end}: times are local, without a time zone")
            if start >= end:
                fail(owner, f"slot {start}-{end} ends before it starts")
        for before, after in zip(self.slots, self.slots[1:], strict=False):
            if after[0] < before[1]:
                fail(owner, f"slots {before[0]}-{before[1]} and {after[0]}-{after[1]} overlap")


@attrs.frozen(kw_only=True)
class CollectorRule:
    """Who collects an account without its own collector: the first rule that matches.

    A rule matches an account of ``client_type`` (``None``: any) whose balance is at
    least ``min_balance`` (an amount, or a mapping currency -> amount) and whose leader
    is at least ``min_days_late`` late, on the agenda's date (Upflow's assignment rules).

    >>> CollectorRule(collector="senior", min_balance=10_000).min_balance
    Decimal('10000')
    """

    collector: str
    client_type: str | None = None
    min_balance: PerCurrency | None = attrs.field(default=None, converter=coerce_per_currency)
    min_days_late: int | None = None

    def __attrs_post_init__(self) -> None:
        check_id("collector rule", "collector", self.collector)
        owner = f"collector rule {self.collector!r}"
        if self.client_type is not None:
            check_id(owner, "client_type", self.client_type)
        if self.min_balance is not None:
            check_per_currency(owner, "min_balance", self.min_balance)
        if self.min_days_late is not None:
            check_int(owner, "min_days_late", self.min_days_late, minimum=0)


def _frozen_map(value: Mapping[str, str]) -> FrozenMap[str, str]:
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, Mapping):
        return FrozenMap(value)
    return value  # type: ignore[unreachable]  # not a mapping: reported by Policy


@attrs.frozen(kw_only=True)
class Policy:
    """The collection department's settings, with every reference checked.

    ``default_scenario``, ``scenario_by_client_type`` values, ``quick_promise.status``
    and ``dispute_resolved_status`` name scenarios and statuses that must exist;
    a ``ConfigurationError`` lists every missing one at once, and every unknown
    #hashtag in the templates of scenario steps and status actions (see
    ``collectlib.hashtags``), so a typo fails when the policy is built, not when the
    message goes out.

    ``minimum_amount``: no scenario action for an account whose balance is below it.
    ``ignore_below``: a debit item whose open amount is below it is ignored by the
    scenario (small residues awaiting write-off).  Both are an amount for every
    currency or a mapping currency -> amount, read in the account's currency (a
    currency the mapping does not name: 0, no threshold).
    ``automatic_max_late_days`` (default 30): an automatic action due more than this
    many days before the date asked about waits for a person's confirmation instead
    of going out by itself (no courtesy e-mail sent on its own 127 days late).

    >>> Policy(default_scenario="standard", quick_promise=QuickPromise(status="promise"))
    Traceback (most recent call last):
    ...
    collectlib.errors.ConfigurationError: policy: default_scenario: no scenario 'standard'; \
quick_promise.status: no status 'promise'
    """

    statuses: tuple[Status, ...] = attrs.field(default=(), converter=to_tuple)
    scenarios: tuple[Scenario, ...] = attrs.field(default=(), converter=to_tuple)
    default_scenario: str | None = None
    scenario_by_client_type: FrozenMap[str, str] = attrs.field(
        factory=FrozenMap, converter=_frozen_map
    )
    minimum_amount: PerCurrency = attrs.field(default=ZERO, converter=coerce_per_currency)
    """No scenario action for an account whose balance is below it: an amount for every
    currency, or a mapping currency -> amount (a currency not named: 0)."""
    ignore_below: PerCurrency = attrs.field(default=ZERO, converter=coerce_per_currency)
    """A debit whose open amount is below it is ignored by the scenario: an amount for
    every currency, or a mapping currency -> amount (a currency not named: 0)."""
    quick_promise: QuickPromise | None = None
    dispute_resolved_status: str | None = None
    penalties: PenaltyRule | None = None
    sending_window: SendingWindow | None = None
    automatic_max_late_days: int | None = 30
    """An automatic step due more than this many days before the date asked about is
    not sent by itself: it needs a person's confirmation.  ``None``: no limit."""
    calendar: BusinessCalendar | None = None
    """The business days: every due date collectlib computes that falls on a weekend day
    or a holiday moves to the next business day, and automatic messages go out on
    business days only.  ``None``: every day is a business day."""
    min_days_between_contacts: int = 0
    """A customer-facing step is never due sooner than this many days after the last
    contact with the customer (a scenario step or a specific action done)."""
    collector_rules: tuple[CollectorRule, ...] = attrs.field(default=(), converter=to_tuple)
    """Who collects accounts without a collector: the first rule that matches."""
    _statuses_by_code: Mapping[str, Status] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _scenarios_by_name: Mapping[str, Scenario] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    held_statuses: frozenset[str] = attrs.field(init=False, repr=False, eq=False, hash=False)
    """The codes of the ``DISPUTE`` and ``LITIGATION`` statuses (derived): an item with one
    of them is excluded from the scenario."""

    def __attrs_post_init__(self) -> None:
        owner = "policy"
        check_instances(owner, "statuses", self.statuses, Status)
        check_instances(owner, "scenarios", self.scenarios, Scenario)
        if not isinstance(self.scenario_by_client_type, FrozenMap):
            fail(
                owner,
                f"scenario_by_client_type must be a mapping, not {self.scenario_by_client_type!r}",
            )
        for client_type, name in self.scenario_by_client_type.items():
            check_id(owner, "scenario_by_client_type key", client_type)
            check_id(owner, f"scenario_by_client_type[{client_type!r}]", name)
        if self.default_scenario is not None:
            check_id(owner, "default_scenario", self.default_scenario)
        if self.dispute_resolved_status is not None:
            check_id(owner, "dispute_resolved_status", self.dispute_resolved_status)
        check_per_currency(owner, "minimum_amount", self.minimum_amount)
        check_per_currency(owner, "ignore_below", self.ignore_below)
        if self.automatic_max_late_days is not None:
            check_int(owner, "automatic_max_late_days", self.automatic_max_late_days, minimum=0)
        check_int(owner, "min_days_between_contacts", self.min_days_between_contacts, minimum=0)
        check_instances(owner, "collector_rules", self.collector_rules, CollectorRule)
        for field, value, kind in (
            ("quick_promise", self.quick_promise, QuickPromise),
            ("penalties", self.penalties, PenaltyRule),
            ("sending_window", self.sending_window, SendingWindow),
            ("calendar", self.calendar, BusinessCalendar),
        ):
            if value is not None and not isinstance(value, kind):
                fail(owner, f"{field} must be a {kind.__name__}, not {value!r}")
        statuses: dict[str, Status] = {}
        for status in self.statuses:
            if status.code in statuses:
                fail(owner, f"two statuses have the code {status.code!r}")
            statuses[status.code] = status
        scenarios: dict[str, Scenario] = {}
        for scenario in self.scenarios:
            if scenario.name in scenarios:
                fail(owner, f"two scenarios are named {scenario.name!r}")
            scenarios[scenario.name] = scenario
        # Frozen maps: a frozen record holds no mutable container, and they pickle.
        # Read-only views: a frozen record holds no mutable container, and a view looks up
        # as fast as a dict (the agenda asks for a scenario per account).  Pickling
        # rebuilds the policy from its fields (``__reduce__``), so the views never travel.
        object.__setattr__(self, "_statuses_by_code", MappingProxyType(statuses))
        object.__setattr__(self, "_scenarios_by_name", MappingProxyType(scenarios))
        object.__setattr__(
            self,
            "held_statuses",
            frozenset(code for code, status in statuses.items() if status.is_dispute),
        )
        self._check_references()

    def _check_references(self) -> None:
        problems: list[Problem] = []
        if (
            self.default_scenario is not None
            and self.default_scenario not in self._scenarios_by_name
        ):
            problems.append(
                Problem(path="default_scenario", what=f"no scenario {self.default_scenario!r}")
            )
        for client_type, name in self.scenario_by_client_type.items():
            if name not in self._scenarios_by_name:
                problems.append(
                    Problem(
                        path=f"scenario_by_client_type[{client_type!r}]",
                        what=f"no scenario {name!r}",
                    )
                )
        window, calendar = self.sending_window, self.calendar
        if window is not None and calendar is not None and window.weekdays <= set(calendar.weekend):
            problems.append(
                Problem(
                    path="sending_window",
                    what=f"weekdays {sorted(window.weekdays)} are all weekend days of the "
                    "calendar: automatic messages could never go out",
                )
            )
        quick_promise = self.quick_promise.status if self.quick_promise else None
        for field, code, category in (
            ("quick_promise.status", quick_promise, StatusCategory.PROMISE),
            (
                "dispute_resolved_status",
                self.dispute_resolved_status,
                StatusCategory.DISPUTE_RESOLVED,
            ),
        ):
            if code is None:
                continue
            status = self._statuses_by_code.get(code)
            if status is None:
                problems.append(Problem(path=field, what=self._no_status(code)))
            elif status.category is not category:
                problems.append(
                    Problem(
                        path=field,
                        what=f"status {code!r} has the category {status.category.value}, "
                        f"not {category.value}",
                    )
                )
        for scenario in self.scenarios:
            for step in scenario.steps:
                if step.template is not None:
                    problems.extend(
                        Problem(path=f"scenario {scenario.name!r} step {step.name!r}", what=problem)
                        for problem in template_problems(step.template)
                    )
                if step.fallback is not None and step.fallback.template is not None:
                    problems.extend(
                        Problem(
                            path=f"scenario {scenario.name!r} step {step.name!r} fallback",
                            what=problem,
                        )
                        for problem in template_problems(step.fallback.template)
                    )
        for status in self.statuses:
            if status.action is not None and status.action.template is not None:
                problems.extend(
                    Problem(
                        path=f"status {status.code!r} action {status.action.name!r}", what=problem
                    )
                    for problem in template_problems(status.action.template)
                )
        if problems:
            raise ConfigurationError.of(problems, prefix="policy: ")

    def _no_status(self, code: object) -> str:
        """``no status 'promis' (did you mean 'promise'?)``: the closest code, if one is."""
        hint = did_you_mean(code, self._statuses_by_code) if isinstance(code, str) else ""
        return f"no status {code!r}{hint}"

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickle and copy the policy as its fields: it is built (and checked) again."""
        fields = {f.alias or f.name: getattr(self, f.name) for f in attrs.fields(Policy) if f.init}
        return (_policy, (fields,))

    def status(self, code: str) -> Status:
        """Return the status with ``code``, or raise ``UnknownStatusError`` naming it.

        The error suggests the closest code, as for a mistyped #hashtag:

        >>> from collectlib import Status
        >>> Policy(statuses=[Status(code="promise", category="PROMISE")]).status("promis")
        Traceback (most recent call last):
        ...
        collectlib.errors.UnknownStatusError: policy: no status 'promis' (did you mean 'promise'?)
        """
        try:
            return self._statuses_by_code[code]
        except KeyError:
            raise UnknownStatusError(f"policy: {self._no_status(code)}") from None

    def scenario(self, name: str) -> Scenario:
        """Return the scenario named ``name``, or raise ``ConfigurationError`` naming it."""
        try:
            return self._scenarios_by_name[name]
        except KeyError:
            raise ConfigurationError(f"policy: no scenario {name!r}") from None


def _policy(fields: dict[str, Any]) -> Policy:
    """Rebuild a pickled or copied policy from its fields."""
    return Policy(**fields)
