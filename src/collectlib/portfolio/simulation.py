"""What-if: a policy replayed day by day over a portfolio, customers paying as they used to.

``simulate`` performs each day's agenda with the library's own operations (so journals,
contact spacing, fees and holds behave as they do for real), up to each collector's
daily capacity, and settles the items as a ``Behaviour`` says: each open debit is paid on
a date drawn from its customer's payment profile, earlier when a contact makes the
customer pay.  The assumptions are written in
``docs/explanation/how-collectlib-predicts-payment.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import accumulate
from typing import cast

import attrs

from collectlib._checks import (
    check_date,
    check_each,
    check_id,
    check_instance,
    check_int,
    fail,
    to_channel,
)
from collectlib._frozen import FrozenMap
from collectlib.enums import ActionState, Channel, EntryKind, FollowUp, Restart
from collectlib.errors import RuleViolation
from collectlib.forecast import PaymentFigures, PaymentProfile
from collectlib.forecast._estimate import PRIOR_SETTLEMENTS, pick, shift
from collectlib.model import Account, ActionTemplate, Item, Policy, Scenario
from collectlib.money import ZERO, exact
from collectlib.portfolio.agenda import REVIEW_DISPUTE, AgendaEntry, agenda
from collectlib.portfolio.reports import (
    AgedBalance,
    DaysSalesOutstanding,
    SalesPeriod,
    aged_balance,
    dso,
)
from collectlib.rules import (
    apply_status,
    complete_action,
    create_action,
    next_action,
    record_action,
    reschedule_action,
    review_plan,
    scenario_for,
    sync_items,
)
from collectlib.rules.dunning import Proposal

__all__ = [
    "DEFAULT_RESPONSE",
    "BalancePoint",
    "Behaviour",
    "CashIn",
    "Simulation",
    "Workload",
    "simulate",
]

DEFAULT_RESPONSE: FrozenMap[Channel, float] = FrozenMap(
    {
        Channel.CALL: 0.3,
        Channel.EMAIL: 0.1,
        Channel.INTERACTIVE_EMAIL: 0.1,
        Channel.LETTER: 0.15,
        Channel.REGISTERED_LETTER: 0.25,
        Channel.SMS: 0.1,
        Channel.FAX: 0.05,
        Channel.LITIGATION: 0.4,
    }
)
"""How likely a late customer is to pay an overdue item within ``response_days`` of a
contact on each channel (an internal e-mail is no contact: 0)."""

_OWNER = "behaviour"


def _to_profiles(value: object) -> object:
    return FrozenMap(value) if isinstance(value, Mapping) else value


def _to_response(value: object) -> object:
    if not isinstance(value, Mapping):
        return value
    response = {}
    for key, probability in value.items():
        channel = to_channel(key)
        if not isinstance(channel, Channel):
            fail(_OWNER, f"response: {key!r} is not a channel")
        response[channel] = (
            float(probability)
            if type(probability) is int or type(probability) is float
            else probability
        )
    return FrozenMap(dict(sorted(response.items(), key=lambda pair: pair[0].value)))


@attrs.frozen(kw_only=True)
class Behaviour:
    """How the customers of a simulation pay, and how contacts change it (``simulate``).

    ``profiles`` maps account ids to their ``PaymentProfile``; an account without one
    (and every account, for the part a short history does not cover) reads ``fallback``,
    the portfolio's profile (``portfolio_profile``).  Each open debit item is paid on
    its due date plus a delay drawn from the settlements of its customer's profile at
    least as late as the item already is on the first day (the settlements
    ``predict_payment`` takes the median of), the customer's chosen with probability
    ``w / (w + PRIOR_SETTLEMENTS)`` when both profiles have some (``w`` how many of the
    customer's settlements are that late, as the predictions count), else the one that
    has.  When neither has (no history, or nobody ever paid so late), the item is not
    paid by itself: only a contact makes the customer pay it.  A disputed item reads
    the disputed settlements.

    ``response`` maps channels to the probability that a contact on that channel makes
    a late customer pay each overdue item it is about (not disputed) within
    ``response_days`` days (on a day drawn evenly from the next ``response_days``), when
    that is earlier than its drawn date (default ``DEFAULT_RESPONSE``; a channel not
    in it: 0).  ``follow_up_days``: how long a collector waits before looking again at
    a case the rules do not let close (a completed scenario's review becomes a call
    due that many days later; a dispute follow-up that cannot be completed, or a late
    payment plan's, is rescheduled that many days later).  ``seed`` makes the draws:
    the same inputs and seed give the same simulation.

    >>> Behaviour(seed=7).response[Channel.CALL]
    0.3
    >>> Behaviour(response_days=0)
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: behaviour: response_days must be at least 1, not 0
    """

    profiles: FrozenMap[str, PaymentProfile] = attrs.field(
        factory=FrozenMap, converter=_to_profiles
    )
    fallback: PaymentProfile | None = None
    seed: int = 0
    response: FrozenMap[Channel, float] = attrs.field(
        default=DEFAULT_RESPONSE, converter=_to_response
    )
    response_days: int = 10
    follow_up_days: int = 30

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.profiles, FrozenMap):
            fail(_OWNER, f"profiles must be a mapping account id -> PaymentProfile, not "
                 f"{self.profiles!r}")  # fmt: skip
        for key, profile in self.profiles.items():
            check_id(_OWNER, "profiles", key)
            check_instance(_OWNER, f"profiles[{key!r}]", profile, PaymentProfile)
        if self.fallback is not None:
            check_instance(_OWNER, "fallback", self.fallback, PaymentProfile)
        check_int(_OWNER, "seed", self.seed)
        if not isinstance(self.response, FrozenMap):
            fail(_OWNER, f"response must be a mapping channel -> probability, not "
                 f"{self.response!r}")  # fmt: skip
        for channel, probability in self.response.items():
            if type(probability) is not float or not 0.0 <= probability <= 1.0:
                fail(
                    _OWNER,
                    f"response[{channel.value}] must be a probability from 0 to 1, "
                    f"not {probability!r}",
                )
        check_int(_OWNER, "response_days", self.response_days, minimum=1)
        check_int(_OWNER, "follow_up_days", self.follow_up_days, minimum=1)


@attrs.frozen(kw_only=True)
class Workload:
    """What one collector did on one day on one channel in a simulation.

    ``performed``: the agenda rows a person performed (``collector`` ``None``: the rows
    of accounts without a collector); ``automatic``: the automatic messages that went
    out by themselves (no capacity used); ``waiting``: the rows due that waited for a
    later day (beyond the collector's capacity, or an automatic message waiting for
    its sending window).
    """

    on: dt.date
    collector: str | None
    channel: Channel
    performed: int = 0
    automatic: int = 0
    waiting: int = 0


@attrs.frozen(kw_only=True)
class CashIn:
    """The open amount of the items paid on one day in one currency, and how many."""

    on: dt.date
    currency: str
    amount: Decimal
    items: int


@attrs.frozen(kw_only=True)
class BalancePoint:
    """The receivable of one currency on one date of a simulation, aged, with its DSO.

    ``aged`` is ``aged_balance(...).total`` (labels ``"not_due"``, ``"1-30"``, ...,
    ``"91+"``); ``receivables`` their sum; ``overdue`` the overdue debits; ``dso`` the
    ``dso`` of the receivables against the sales of the 90 days before the simulation's
    first day (``None`` when the accounts hold no invoice issued then).
    """

    on: dt.date
    currency: str
    aged: FrozenMap[str, Decimal]
    receivables: Decimal
    overdue: Decimal
    dso: DaysSalesOutstanding | None


@attrs.frozen(kw_only=True)
class Simulation:
    """What ``simulate`` found: the work done, the cash in, the receivable over time.

    ``workload`` has a row per day, collector and channel with work (by date, then
    collector, ``None`` first, then channel); ``cash`` a row per day and currency with
    payments; ``balances`` a point per currency on the evening of the last day of each
    week from ``start`` (``start + 6``, ``start + 13``...) and of ``end``; ``accounts`` the
    accounts on the evening of ``end``, in the order given.  ``cash_totals`` sums the cash
    per currency.
    """

    start: dt.date
    end: dt.date
    workload: tuple[Workload, ...]
    cash: tuple[CashIn, ...]
    balances: tuple[BalancePoint, ...]
    accounts: tuple[Account, ...]

    @property
    def cash_totals(self) -> Mapping[str, Decimal]:
        """Per currency, the open amount of every item paid during the simulation."""
        totals: dict[str, Decimal] = {}
        for row in self.cash:
            totals[row.currency] = totals.get(row.currency, ZERO) + row.amount
        return FrozenMap(dict(sorted(totals.items())))


_ONE_DAY = dt.timedelta(days=1)
_SNAPSHOT_DAYS = 7
_SALES_PERIODS = 3  # three periods of 30 days before the first day: the DSO's sales
_REVIEW_CALL = "Review follow-up"


def _random(*key: object) -> random.Random:
    """Return a generator seeded from ``key`` by a stable hash (not ``hash()``)."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))  # noqa: S311  # a simulation, not secrets


class _Settled:
    """One kind of a profile's settlements (``pick``), ready to draw from at any age.

    The days late in order and their cumulative recency weights: the settlements at
    least ``age`` days late are a suffix, found by bisection (a portfolio's history
    holds many thousands).
    """

    __slots__ = ("cumulative", "days")

    def __init__(self, figures: PaymentFigures) -> None:
        self.days = [delay for delay, _weight in figures.delays]
        self.cumulative = list(accumulate(weight for _delay, weight in figures.delays))

    def after(self, age: int) -> tuple[int, int] | None:
        """Return where the settlements at least ``age`` days late start, and how many they are.

        Their number is what the predictions' shrinkage counts (``_estimate.expect``).
        """
        first = bisect_left(self.days, age)
        if first == len(self.days):
            return None  # no settlement so late
        return first, len(self.days) - first

    def draw(self, first: int, rng: random.Random) -> int:
        """Return the days late of a settlement from ``first`` on, drawn by weight."""
        before = self.cumulative[first - 1] if first else 0.0
        point = before + rng.random() * (self.cumulative[-1] - before)
        index = bisect_right(self.cumulative, point, first, len(self.days) - 1)
        return self.days[index]


def _settled(profile: PaymentProfile | None, disputed: bool) -> _Settled | None:
    figures = pick(profile, disputed)
    return None if figures is None or not figures.count else _Settled(figures)


def _draw_payment(
    item: Item,
    account_id: str,
    own: _Settled | None,
    prior: _Settled | None,
    seed: int,
    start: dt.date,
) -> dt.date | None:
    """Return the day the open debit ``item`` is paid, drawn from the settlements it can follow.

    ``own`` are its customer's settlements of its kind (disputed or not), ``prior`` the
    portfolio's.  ``None`` when no settlement was ever as late as the item already is: it
    is paid only if a contact makes the customer pay.
    """
    rng = _random(seed, account_id, item.id)
    age = (start - item.due_date).days
    mine = None if own is None else own.after(age)
    theirs = None if prior is None else prior.after(age)
    if mine is not None and (
        theirs is None or rng.random() * (mine[1] + PRIOR_SETTLEMENTS) < mine[1]
    ):
        delay = cast(_Settled, own).draw(mine[0], rng)
    elif theirs is not None:
        delay = cast(_Settled, prior).draw(theirs[0], rng)
    else:
        return None  # nobody ever paid so late
    return max(shift(item.due_date, delay), start)


def _check_capacity(capacity: object) -> Mapping[str, int] | int | None:
    owner = "simulate"
    if capacity is None:
        return None
    if isinstance(capacity, Mapping):
        for collector, limit in capacity.items():
            check_id(owner, "capacity", collector)
            check_int(owner, f"capacity[{collector!r}]", limit, minimum=0)
        return FrozenMap(capacity)
    if type(capacity) is not int or capacity < 0:
        fail(
            owner,
            "capacity must be None, a whole number >= 0 or a mapping collector -> "
            f"whole number, not {capacity!r}",
        )
    return capacity


def _date_dependent(scenario: Scenario | None) -> bool:
    """Whether the scenario's next step may change with the date alone (SPEC 13.1).

    A ``CATCH_UP`` restart chooses its step by the date, and a condition on the days
    late or the number of overdue items reads it.
    """
    if scenario is None:
        return False
    return scenario.restart is Restart.CATCH_UP or any(
        step.when is not None
        and (step.when.min_days_late is not None or step.when.min_overdue_items is not None)
        for step in scenario.steps
    )


class _Run:
    """The state of one simulation, day after day (private: ``simulate`` is the API)."""

    def __init__(
        self,
        accounts: list[Account],
        policy: Policy,
        start: dt.date,
        end: dt.date,
        behaviour: Behaviour,
        capacity: Mapping[str, int] | int | None,
    ) -> None:
        self.policy = policy
        self.start = start
        self.end = end
        self.behaviour = behaviour
        self.capacity = capacity
        self.state = {account.id: account for account in accounts}
        self.pay_on: dict[tuple[str, str], dt.date] = {}  # items that will be paid, and when
        self.payments: dict[dt.date, set[tuple[str, str]]] = {}
        self.wake: dict[dt.date, set[str]] = {}
        self.workload: dict[tuple[dt.date, str | None, Channel], list[int]] = {}
        self.cash: dict[tuple[dt.date, str], list[Decimal]] = {}
        self.paid_up: set[str] = set()  # accounts without open item: nothing to age
        self.collector_by_date = any(
            rule.min_days_late is not None for rule in policy.collector_rules
        )
        held = policy.held_statuses
        fallback = behaviour.fallback
        priors = {kind: _settled(fallback, kind) for kind in (False, True)}
        for account in accounts:
            if not any(item.is_open for item in account.items):
                self.paid_up.add(account.id)
            profile = behaviour.profiles.get(account.id)
            own: dict[bool, _Settled | None] = {}
            for item in account.items:
                if not item.is_debit:
                    continue
                disputed = item.status in held
                if disputed not in own:
                    own[disputed] = _settled(profile, disputed)
                paid = _draw_payment(
                    item, account.id, own[disputed], priors[disputed], behaviour.seed, start
                )
                if paid is not None:
                    self._schedule(account.id, item.id, paid)
        self.sales = self._sales(accounts)

    def _schedule(self, account_id: str, item_id: str, day: dt.date) -> None:
        self.pay_on[(account_id, item_id)] = day
        if day <= self.end:
            self.payments.setdefault(day, set()).add((account_id, item_id))

    def _sales(self, accounts: list[Account]) -> dict[str, tuple[SalesPeriod, ...]]:
        """Per currency, the invoices issued in the three 30-day periods before the start."""
        first = dt.date.fromordinal(max(self.start.toordinal() - 30 * _SALES_PERIODS, 1))
        sales: dict[str, list[Decimal]] = {}
        for account in accounts:
            periods = sales.setdefault(account.currency, [ZERO] * _SALES_PERIODS)
            for item in account.items:
                if item.amount > ZERO and first <= item.issue_date < self.start:
                    periods[(item.issue_date - first).days // 30] += item.amount
        return {
            currency: tuple(SalesPeriod(days=30, sales=amount) for amount in periods)
            for currency, periods in sales.items()
        }

    def _limit(self, collector: str | None) -> int | None:
        capacity = self.capacity
        if capacity is None or type(capacity) is int:
            return capacity
        return None if collector is None else cast(Mapping[str, int], capacity).get(collector)

    def _count(self, row: AgendaEntry, day: dt.date, column: int) -> None:
        key = (day, row.collector, row.channel)
        counts = self.workload.get(key)
        if counts is None:
            counts = self.workload[key] = [0, 0, 0]
        counts[column] += 1

    def _settle(self, day: dt.date) -> set[str]:
        """Close the items paid on ``day`` with ``sync_items``; return the accounts changed."""
        paid: dict[str, set[str]] = {}
        for account_id, item_id in self.payments.pop(day, ()):
            if self.pay_on[(account_id, item_id)] == day:  # not brought forward since
                paid.setdefault(account_id, set()).add(item_id)
        for account_id, item_ids in paid.items():
            account = self.state[account_id]
            # An item is paid once: it is open until its day (a contact only brings it forward).
            amounts = [item.open_amount for item in account.items if item.id in item_ids]
            left = [item for item in account.items if item.is_open and item.id not in item_ids]
            self.state[account_id] = sync_items(account, left, day)
            if not left:
                self.paid_up.add(account_id)
            self.cash.setdefault((day, account.currency), []).extend(amounts)
        return set(paid)

    def _respond(self, account: Account, row: AgendaEntry, day: dt.date) -> None:
        """Draw whether the contact ``row`` makes the customer pay its overdue items sooner."""
        probability = self.behaviour.response.get(row.channel, 0.0)
        if not probability:
            return
        held = self.policy.held_statuses
        for item_id in sorted(row.item_ids):
            item = account.item(item_id)
            if not item.is_overdue(day) or item.status in held:
                continue
            draw = _random(self.behaviour.seed, account.id, item_id, day.isoformat(),
                           row.channel.value)  # fmt: skip
            if draw.random() < probability:
                after = draw.randint(1, self.behaviour.response_days)
                paid = shift(day, after)
                if paid < self.pay_on.get((account.id, item_id), dt.date.max):
                    self._schedule(account.id, item_id, paid)

    def _perform(self, account: Account, row: AgendaEntry, day: dt.date) -> Account:
        """Return ``account`` after the row was performed on ``day``, as a collector would."""
        policy = self.policy
        later = day + dt.timedelta(days=self.behaviour.follow_up_days)
        if row.kind is EntryKind.SCENARIO:
            # The row is due, so it is the account's proposal (record_action checks it).
            proposal = cast(Proposal, next_action(account, policy, day))
            return record_action(account, proposal, policy, day)
        if row.kind is EntryKind.REVIEW:
            if row.name == REVIEW_DISPUTE:  # the collector sets up each dispute's follow-up
                by_status: dict[str, list[str]] = {}
                for item_id in row.item_ids:
                    status = account.item(item_id).status
                    by_status.setdefault(cast(str, status), []).append(item_id)
                for status, item_ids in sorted(by_status.items()):
                    account = apply_status(
                        account, item_ids, status, policy, day, follow_up=FollowUp.FROM_STATUS
                    )
                return account
            template = ActionTemplate(
                name=_REVIEW_CALL, channel=Channel.CALL, delay_days=self.behaviour.follow_up_days
            )
            return create_action(account, row.item_ids, template, day, calendar=policy.calendar)
        action = account.action(cast(str, row.action_id))
        if action.plan_id is not None:
            account = review_plan(account, action.plan_id, policy, day)
        else:
            try:
                return complete_action(account, action.id, policy, day)
            except RuleViolation:  # a dispute or litigation the rules keep open
                pass
        action = account.action(action.id)
        if action.state is ActionState.OPEN and action.due_on <= day:
            account = reschedule_action(account, action.id, later, day)
        return account

    def _next_wake(self, account: Account, day: dt.date) -> dt.date | None:
        """Return the first day from ``day`` on which the account may have a row, or None."""
        if _date_dependent(scenario_for(account, self.policy)):
            return day  # looked at every day
        rows = agenda([account], self.policy, day, horizon_days=(self.end - day).days)
        due = min((row.due_on for row in rows), default=None)
        return None if due is None else max(due, day)

    def _rewake(self, account_id: str, day: dt.date) -> None:
        wake = self._next_wake(self.state[account_id], day)
        if wake is not None:
            self.wake.setdefault(wake, set()).add(account_id)

    def _work(self, rows: tuple[AgendaEntry, ...], day: dt.date) -> tuple[set[str], set[str]]:
        """Perform the rows in agenda order, within capacity.

        Return the accounts with a row left waiting, and those with a row performed.
        """
        used: dict[str | None, int] = {}
        waiting: set[str] = set()
        performed: set[str] = set()
        for row in rows:
            if row.automatic and not row.needs_confirmation:
                if row.send_at is not None and row.send_at.date() > day:
                    self._count(row, day, 2)
                    waiting.add(row.account_id)
                    continue
                self._count(row, day, 1)
            else:
                limit = self._limit(row.collector)
                done = used.get(row.collector, 0)
                if limit is not None and done >= limit:
                    self._count(row, day, 2)
                    waiting.add(row.account_id)
                    continue
                used[row.collector] = done + 1
                self._count(row, day, 0)
            account = self.state[row.account_id]
            self.state[row.account_id] = self._perform(account, row, day)
            performed.add(row.account_id)
            if row.kind is not EntryKind.REVIEW:
                self._respond(account, row, day)
        return waiting, performed

    def _pending(
        self,
        due: Iterable[AgendaEntry],
        waiting: set[str],
        until: Mapping[str, dt.date | None],
        day: dt.date,
    ) -> tuple[list[AgendaEntry], dict[str, dt.date | None]]:
        """Return the rows of the accounts whose rows all waited, and until when they stand.

        The rows are in agenda order.  An unchanged account's agenda is the same tomorrow,
        until a new row of its comes due (``None``: none before the end), but for what the
        date alone changes: an automatic message's timing (once it needs a confirmation it
        always will: it only gets later), a collector assigned by days late, a scenario
        whose step depends on the date (those accounts are looked at again).  ``until``
        holds the accounts whose rows stood today already.
        """
        rows: list[AgendaEntry] = []
        known: dict[str, dt.date | None] = {}
        refused: set[str] = set()
        for row in due:
            account_id = row.account_id
            if account_id not in waiting or account_id in refused:
                continue
            if account_id not in known:
                if account_id in until:
                    known[account_id] = until[account_id]
                else:
                    account = self.state[account_id]
                    if (account.collector is None and self.collector_by_date) or _date_dependent(
                        scenario_for(account, self.policy)
                    ):
                        refused.add(account_id)
                        continue
                    later = agenda([account], self.policy, day, horizon_days=(self.end - day).days)
                    known[account_id] = min(
                        (r.due_on for r in later if r.due_on > day), default=None
                    )
            if row.automatic and not row.needs_confirmation:
                refused.add(account_id)
            rows.append(row)
        return [r for r in rows if r.account_id not in refused], {
            i: u for i, u in known.items() if i not in refused
        }

    def run(self, *, every_day: bool) -> Simulation:
        """Replay the days; ``every_day`` runs the whole agenda each day (the reference)."""
        if not every_day:
            for account_id in self.state:
                self._rewake(account_id, self.start)
        balances: list[BalancePoint] = []
        # The rows of accounts left waiting, and until when each account's stand.
        pending: list[AgendaEntry] = []
        until: dict[str, dt.date | None] = {}
        for offset in range((self.end - self.start).days + 1):
            day = self.start + dt.timedelta(days=offset)
            changed = self._settle(day)
            if every_day:
                due = agenda(self.state.values(), self.policy, day)
                self._work(due, day)
            else:
                awake = self.wake.pop(day, set()) | changed
                until = {
                    i: last
                    for i, last in until.items()
                    if i not in changed and (last is None or day < last)
                }
                fresh = sorted(i for i in awake if i not in until)
                due = agenda([self.state[i] for i in fresh], self.policy, day)
                if until:  # both in agenda order, no account in both: merged in that order
                    kept = [row for row in pending if row.account_id in until]
                    due = tuple(heapq.merge(due, kept, key=_agenda_order))
                waiting, performed = self._work(due, day)
                if day < self.end:
                    for account_id in sorted(awake - waiting):
                        self._rewake(account_id, day + _ONE_DAY)
                    self.wake.setdefault(day + _ONE_DAY, set()).update(waiting)
                    pending, until = self._pending(due, waiting - performed, until, day)
            if offset % _SNAPSHOT_DAYS == _SNAPSHOT_DAYS - 1 or day == self.end:
                balances.extend(self._balances(day))
        workload = [
            Workload(on=on, collector=collector, channel=channel, performed=counts[0],
                     automatic=counts[1], waiting=counts[2])
            for (on, collector, channel), counts in self.workload.items()
        ]  # fmt: skip
        workload.sort(key=_workload_order)
        cash = [
            CashIn(on=on, currency=currency, amount=sum(amounts, ZERO), items=len(amounts))
            for (on, currency), amounts in sorted(self.cash.items())
        ]
        return Simulation(
            start=self.start,
            end=self.end,
            workload=tuple(workload),
            cash=tuple(cash),
            balances=tuple(balances),
            accounts=tuple(self.state.values()),
        )

    def _balances(self, day: dt.date) -> list[BalancePoint]:
        """Return the receivable of each currency on ``day``: aged, with its DSO."""
        state = self.state
        paid_up = self.paid_up
        report = aged_balance((state[i] for i in state if i not in paid_up), day)
        parts = dict(report.parts) or ({report.currency: report} if report.currency else {})
        zeros = FrozenMap(dict.fromkeys(report.labels, ZERO))
        for currency in self.sales:  # a currency whose items are all paid: all zero
            parts.setdefault(
                currency,
                AgedBalance(on=day, buckets=report.buckets, currency=currency, total=zeros,
                            credits=zeros),
            )  # fmt: skip
        points = []
        for currency, part in sorted(parts.items()):
            total = part.total
            receivables = sum(total.values(), ZERO)
            overdue = sum(
                (
                    amount - part.credits[label]
                    for label, amount in total.items()
                    if label != "not_due"
                ),
                ZERO,
            )
            sales = self.sales[currency]
            owed = max(receivables, ZERO)
            days = (
                dso(owed, sales, overdue_receivables=min(overdue, owed))
                if any(period.sales for period in sales)
                else None
            )
            points.append(
                BalancePoint(on=day, currency=currency, aged=total, receivables=receivables,
                             overdue=overdue, dso=days)
            )  # fmt: skip
        return points


def _agenda_order(row: AgendaEntry) -> tuple[dt.date, str, Decimal, str]:
    """Return the agenda's key (``sort_agenda``): due date, currency, amount (largest first), id."""
    return (row.due_on, row.currency, -row.amount, row.account_id)


def _workload_order(row: Workload) -> tuple[dt.date, bool, str, str]:
    """By date, then collector (``None`` first), then channel."""
    return (row.on, row.collector is not None, row.collector or "", row.channel.value)


@exact
def simulate(
    accounts: Iterable[Account],
    policy: Policy,
    start: dt.date,
    end: dt.date,
    behaviour: Behaviour,
    capacity: Mapping[str, int] | int | None = None,
) -> Simulation:
    """Replay ``policy`` over ``accounts`` each day from ``start`` to ``end`` (both included).

    Each morning the items paid that day are closed with ``sync_items``; then the day's
    ``agenda`` is performed in agenda order with the library's operations: a scenario
    row is recorded (``record_action``), a specific row completed (``complete_action``;
    a payment plan's follow-up reviewed with ``review_plan``), a dispute without
    follow-up gets its status's follow-up (``apply_status``), and a completed
    scenario's review becomes a call (``create_action``) due
    ``behaviour.follow_up_days`` later.  A person performs at most ``capacity`` rows a
    day per collector (``None``: no limit; a whole number: for every collector, the
    accounts without one counted together; a mapping collector -> whole number: a
    collector not in it has no limit); rows beyond wait for the next day, in agenda
    order.  Automatic messages not needing confirmation go out by themselves, without
    capacity, on the day of their ``send_at``.  When the items are paid, and how
    contacts hasten it, is ``behaviour``'s (``Behaviour``).  No invoice is issued during
    the simulation.

    The same inputs give the same ``Simulation``; only the days an account may have a
    row are looked at, with the same result as the whole agenda every day.  ``end``
    before ``start``, a bad ``capacity`` or ``behaviour`` is a ``ValidationError``.
    """
    owner = "simulate"
    check_instance(owner, "policy", policy, Policy)
    check_date(owner, "start", start)
    check_date(owner, "end", end)
    if end < start:
        fail(owner, f"end {end} is before start {start}")
    check_instance(owner, "behaviour", behaviour, Behaviour)
    limits = _check_capacity(capacity)
    portfolio: list[Account] = []
    seen: set[str] = set()
    for account in check_each(owner, "accounts", accounts, Account):
        if account.id in seen:
            fail(owner, f"account {account.id!r} appears twice")
        seen.add(account.id)
        portfolio.append(account)
    return _Run(portfolio, policy, start, end, behaviour, limits).run(every_day=False)
