"""The collection agenda: every action due across a portfolio, in working order."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import NamedTuple

from collectlib._checks import check_date, check_each, check_instance
from collectlib._frozen import _SCAN_UP_TO, ItemIds, _ManyItemIds, item_ids_trusted
from collectlib.enums import ActionState, Channel, EntryKind
from collectlib.errors import ValidationError
from collectlib.forecast import PaymentProfile
from collectlib.forecast._arguments import check_profile, check_profiles
from collectlib.forecast._estimate import expect, figures
from collectlib.model import Account, Item, Policy
from collectlib.money import ZERO, exact
from collectlib.rules.cadence import collector_for, step_hold
from collectlib.rules.dunning import Decision, business_day, channel_of, decide
from collectlib.rules.groups import Exposure, check_exposure, group_of
from collectlib.rules.plans import plan_progress_trusted
from collectlib.rules.selection import check_account_policy, scan
from collectlib.rules.sending import timing

__all__ = [
    "REVIEW_COMPLETED",
    "REVIEW_DISPUTE",
    "AgendaEntry",
    "agenda",
    "due_actions",
    "sort_agenda",
]

_OPEN = ActionState.OPEN
_SCENARIO = EntryKind.SCENARIO
_SPECIFIC = EntryKind.SPECIFIC
_REVIEW = EntryKind.REVIEW
_CALL = Channel.CALL


class AgendaEntry(NamedTuple):
    """One row of the agenda: an action due, for whom, on what, for how much.

    A scenario row (``kind`` ``SCENARIO``) has ``step_index`` and no ``action_id``,
    and its amount is the account's balance; a specific row has ``action_id`` and
    no ``step_index``, and its amount is the open amount of the action's open items.
    A review row (``REVIEW``) asks a collector to decide: the scenario is completed
    and the balance still due (``step_index`` and ``channel`` are the last step's,
    the amount is the balance), or a disputed item has no follow-up (``channel``
    ``CALL``, no step, the amount is the disputed items' open amount); it is never
    automatic.  ``late_days`` counts from ``due_on`` to the agenda date (0 when not
    yet due).  ``needs_confirmation`` is set for an automatic action to be
    confirmed, and for one more than ``policy.automatic_max_late_days`` late.
    ``send_at`` is when an automatic action goes out under the policy's sending
    window, *now* being the start of the agenda date (``rules.sending.timing``);
    ``None`` for an action that is not automatic, one that needs confirmation, or
    without a window.  ``arrears`` is set on the follow-up row of a payment plan: what
    is due to date and not paid (``plan_progress``); ``None`` on other rows.
    ``repeat`` counts the repeats of the last step (0: the step itself).
    ``currency`` is the account's: amounts of two currencies are never added.

    A row is a ``NamedTuple``: immutable, cheap to build by the million, and
    ``entry._asdict()`` gives the plain dict a CSV writer or a data frame wants.
    """

    account_id: str
    collector: str | None
    due_on: dt.date
    late_days: int
    kind: EntryKind
    channel: Channel
    name: str
    item_ids: ItemIds
    amount: Decimal
    automatic: bool
    needs_confirmation: bool
    action_id: str | None
    step_index: int | None
    send_at: dt.datetime | None = None
    arrears: Decimal | None = None
    currency: str = "EUR"
    on_hold: bool = False
    repeat: int = 0


REVIEW_COMPLETED = "Scenario completed: decide"
"""The name of the review row of a completed scenario whose balance is still due."""
REVIEW_DISPUTE = "Dispute without follow-up"
"""The name of the review row of disputed items that no open action follows."""

_new_entry = _new_ids = tuple.__new__


def _collect(  # noqa: PLR0917
    account: Account,
    policy: Policy,
    on: dt.date,
    until: dt.date,
    append: Callable[[AgendaEntry], None],
    days: dict[dt.date, tuple[dt.date, int]],
    over_limit: Mapping[str, object] | None = None,
) -> None:
    """Append the account's actions due by ``until`` (late days counted on ``on``).

    ``days``: the due dates met so far, each with its days late on ``on``: the rows
    of one date share one date and one count (a portfolio's rows fall on a few
    hundred dates), and each is computed once.  ``over_limit``: the groups above their
    credit limit (``Exposure.over_limit``), or ``None`` when the agenda was given no
    exposure.
    """
    selection = scan(account, policy)
    decision = decide(account, policy, on, selection)
    collector = account.collector
    if collector is None and policy.collector_rules:
        collector = collector_for(account, policy, selection[1], selection[0], on)
    on_hold = step_hold(account, on) is not None if account.journal else False
    if over_limit is not None and not on_hold:
        on_hold = group_of(account) in over_limit
    if type(decision) is Decision:
        scenario, index, repeat, _leader, due, total, ids, review, _anchor, _skipped, fallback = (
            decision
        )
        if due <= until:
            step = scenario.steps[index]
            if fallback:
                channel, _template, automatic, to_be_confirmed = channel_of(step, True)
            else:
                channel, automatic, to_be_confirmed = (
                    step.channel,
                    step.automatic,
                    step.to_be_confirmed,
                )
            # What ``timing`` says, its call made only for a message the window times.
            known = days.get(due)
            if known is None:
                late = (on - due).days
                known = days[due] = (due, late if late > 0 else 0)
            due, late = known
            confirm, send = False, None
            automatic = automatic and not review
            if automatic:
                limit = policy.automatic_max_late_days
                if to_be_confirmed or (limit is not None and late > limit):
                    confirm = True
                elif policy.sending_window is not None:
                    late, confirm, send = timing(policy, True, False, due, on, account.timezone)
            append(
                _new_entry(
                    AgendaEntry,
                    (
                        account.id,
                        collector,
                        due,
                        late,
                        _REVIEW if review else _SCENARIO,
                        channel,
                        REVIEW_COMPLETED if review else step.name,
                        # item_ids_trusted(ids), without a call in the hot loop
                        _new_ids(ItemIds if len(ids) <= _SCAN_UP_TO else _ManyItemIds, ids),
                        total,
                        automatic,
                        confirm,
                        None,
                        index,
                        send,
                        None,
                        account.currency,
                        on_hold,
                        repeat,
                    ),
                )
            )
    unfollowed = selection[3]
    if unfollowed:
        _review_disputes(account, policy, unfollowed, on, until, append, collector, on_hold)
    if account.actions:
        _collect_specific(account, policy, on, until, append, collector, on_hold)


def _review_disputes(  # noqa: PLR0917
    account: Account,
    policy: Policy,
    unfollowed: list[Item],
    on: dt.date,
    until: dt.date,
    append: Callable[[AgendaEntry], None],
    collector: str | None,
    on_hold: bool,
) -> None:
    """Append the review row of the disputed items nobody follows, when due by ``until``.

    Due on the earliest status date (the item's due date when the ERP gave none), moved
    to a business day of the policy's calendar.
    """
    due: dt.date | None = None
    amount = ZERO
    ids = []
    for item in unfollowed:
        since = item.status_date or item.due_date
        if due is None or since < due:
            due = since
        amount += item.open_amount
        ids.append(item.id)
    if due is not None and policy.calendar is not None:
        due = business_day(policy.calendar, due, account)
    if due is None or due > until:
        return
    late = (on - due).days
    append(
        _new_entry(
            AgendaEntry,
            (
                account.id,
                collector,
                due,
                late if late > 0 else 0,
                _REVIEW,
                _CALL,
                REVIEW_DISPUTE,
                item_ids_trusted(ids),
                amount,
                False,
                False,
                None,
                None,
                None,
                None,
                account.currency,
                on_hold,
                0,
            ),
        )
    )


def _collect_specific(  # noqa: PLR0917
    account: Account,
    policy: Policy,
    on: dt.date,
    until: dt.date,
    append: Callable[[AgendaEntry], None],
    collector: str | None,
    on_hold: bool,
) -> None:
    """Append the open specific actions due by ``until`` that still hold an open item.

    An open action whose items are all closed is deleted as of that date, so it
    shows no row.
    """
    open_amounts: dict[str, Decimal] | None = None
    for action in account.actions:
        if action.state is not _OPEN or action.due_on > until:
            continue
        if open_amounts is None:
            open_amounts = {item.id: item.open_amount for item in account.items}
        held = [item_id for item_id in action.item_ids if open_amounts[item_id]]
        if not held:
            continue
        late, confirm, send = timing(
            policy, action.automatic, action.to_be_confirmed, action.due_on, on, account.timezone
        )
        append(
            _new_entry(
                AgendaEntry,
                (
                    account.id,
                    collector,
                    action.due_on,
                    late,
                    _SPECIFIC,
                    action.channel,
                    action.name,
                    item_ids_trusted(held),
                    sum((open_amounts[item_id] for item_id in held), ZERO),
                    action.automatic,
                    confirm,
                    action.id,
                    None,
                    send,
                    None
                    if action.plan_id is None
                    else plan_progress_trusted(account, action.plan_id, on).arrears,
                    account.currency,
                    on_hold,
                    0,
                ),
            )
        )


@exact
def due_actions(account: Account, policy: Policy, on: dt.date) -> tuple[AgendaEntry, ...]:
    """Return the account's actions due by ``on``.

    In this order: the scenario's next step or the review of a completed scenario,
    the review of disputed items without follow-up, then the open specific actions.
    """
    check_account_policy("due_actions", account, policy)
    check_date("due_actions", "on", on)
    rows: list[AgendaEntry] = []
    _collect(account, policy, on, on, rows.append, {})
    return tuple(rows)


@exact
def agenda(
    accounts: Iterable[Account],
    policy: Policy,
    on: dt.date,
    horizon_days: int = 0,
    exposure: Exposure | None = None,
    *,
    order: str = "date",
    profiles: Mapping[str, PaymentProfile] | None = None,
    fallback: PaymentProfile | None = None,
) -> tuple[AgendaEntry, ...]:
    """Return every action due by ``on + horizon_days`` across ``accounts``.

    Rows are sorted by due date, then currency, then amount (largest first), then
    account id; an account's own rows keep the order of ``due_actions``.  ``accounts`` may be any
    iterable (a generator reading a file, say): it is read once, one account at a
    time, and only the rows are kept.  An account id seen twice is a
    ``ValidationError``.  ``on_hold`` marks the rows of accounts on credit hold: a
    step hold, or, given the portfolio's ``exposure`` of ``on``, a group above its
    credit limit (without it, group holds are not known).

    ``order="risk"`` ranks the rows by amount at risk instead (SPEC 12, 13.15), for
    the collector who can make only 40 calls today: within each currency (the
    currencies in alphabetical order), the row's amount times its expected days late,
    largest first, rows of equal risk in the date order above.  A row's expected days
    late are the ``days_late`` of ``predict_payment`` for its open debit items, with
    the account's profile (``profiles`` by account id, ``payment_profiles``; an account
    without one reads ``fallback``, the portfolio's profile), averaged weighted by
    their open amounts; a row without open debits is at no risk.  ``order="risk"``
    needs ``profiles`` (``{}`` with a ``fallback``: every account reads the
    portfolio's); ``profiles`` and ``fallback`` apply only to it.  The rows are the
    same as in the date order, only their order changes.
    """
    check_instance("agenda", "policy", policy, Policy)
    ranking = _check_order("agenda", order, profiles, fallback)
    check_date("agenda", "on", on)
    check_exposure("agenda", exposure, on)
    over_limit = exposure.over_limit if exposure is not None else None
    if type(horizon_days) is not int or horizon_days < 0:
        raise ValidationError(
            f"agenda: horizon_days must be a whole number >= 0, not {horizon_days!r}"
        )
    try:
        until = on + dt.timedelta(days=horizon_days)
    except OverflowError:
        raise ValidationError(
            f"agenda: horizon_days {horizon_days} goes past {dt.date.max}"
        ) from None
    rows: list[AgendaEntry] = []
    append = rows.append
    seen: set[str] = set()
    add_seen = seen.add
    given: object = accounts
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise ValidationError(f"agenda: accounts must be a collection of Account, not {given!r}")
    risks: dict[int, float] = {}
    days: dict[dt.date, tuple[dt.date, int]] = {}
    if ranking is not None:  # checked once: the loop below is the date order's
        accounts = _rank_as_read(accounts, rows, risks, ranking, policy, on)
    # Accounts read in id order (an export sorted by account, most often) leave their
    # rows in account order already: the sort then skips that key.
    in_order, previous = True, ""
    for count, account in enumerate(accounts, 1):
        if type(account) is not Account and not isinstance(account, Account):
            raise ValidationError(
                f"agenda: accounts[{count - 1}] must be an Account, not {account!r}"
            )
        account_id = account.id
        add_seen(account_id)
        if len(seen) != count:
            raise ValidationError(f"agenda: account {account_id!r} appears twice")
        if in_order:
            in_order = previous < account_id
            previous = account_id
        _collect(account, policy, on, until, append, days, over_limit)
    ordered = _sort_agenda(rows, by_account=not in_order)
    if ranking is None:
        return ordered
    # Stable: rows of equal risk keep the date order.
    return tuple(sorted(ordered, key=lambda row: (row[15], -risks[id(row)])))


_ORDERS = ("date", "risk")


def _check_order(
    owner: str, order: object, profiles: object, fallback: object
) -> tuple[Mapping[str, PaymentProfile], PaymentProfile | None] | None:
    """Check the agenda's ``order`` arguments; return the profiles to rank by, or ``None``."""
    if not isinstance(order, str) or order not in _ORDERS:
        raise ValidationError(f"{owner}: order must be 'date' or 'risk', not {order!r}")
    checked = check_profile(owner, "fallback", fallback)
    if order == "date":
        if profiles is not None or fallback is not None:
            what = "profiles" if profiles is not None else "fallback"
            raise ValidationError(
                f"{owner}: {what} must be None with order='date' (they rank order='risk')"
            )
        return None
    if profiles is None:
        raise ValidationError(
            f"{owner}: profiles must be a mapping account id -> PaymentProfile with "
            "order='risk', not None (payment_profiles; {} with a fallback: every account "
            "reads the portfolio's profile)"
        )
    return check_profiles(owner, profiles), checked


def _rank_as_read(
    accounts: Iterable[Account],
    rows: list[AgendaEntry],
    risks: dict[int, float],
    ranking: tuple[Mapping[str, PaymentProfile], PaymentProfile | None],
    policy: Policy,
    on: dt.date,
) -> Iterator[Account]:
    """Yield the accounts; when the agenda asks for the next one, rate the rows of the last.

    The agenda collects an account's rows between two steps of this generator, so each
    row's risk is computed while its account is at hand (``risks`` by the row's id:
    the rows are kept, so their ids stay theirs) and the accounts stay streamed.
    """
    profiles, fallback = ranking
    held = policy.held_statuses
    # The fallback's figures depend only on an item's dispute and age: read once each.
    priors: dict[tuple[bool, int], tuple[float, float, float] | None] = {}
    for account in accounts:
        start = len(rows)
        yield account
        if len(rows) == start:
            continue
        profile = profiles.get(account.id)
        for row in rows[start:]:
            # The row's amount times the open-amount-weighted days late of its debits:
            # ``predict_payment``'s, without its checks (the agenda checked its inputs).
            late = weight = 0.0
            for item_id in row[7]:
                item = account.item(item_id)
                if item.open_amount > ZERO:
                    disputed = item.status in held
                    age = (on - item.due_date).days
                    if (disputed, age) not in priors:
                        priors[disputed, age] = figures(fallback, disputed, age)
                    days = expect(figures(profile, disputed, age), priors[disputed, age], age)[0]
                    amount = float(item.open_amount)
                    late += amount * max(days, 0)
                    weight += amount
            risks[id(row)] = float(row[8]) * late / weight if weight else 0.0


@exact
def sort_agenda(entries: Iterable[AgendaEntry]) -> tuple[AgendaEntry, ...]:
    """Return ``entries`` in agenda order: due date, currency, amount (largest first), account.

    The sort is stable, so an account's rows keep their order.  Use it to combine
    agendas computed apart (per partition, per worker): sorting their concatenation
    gives the agenda of the whole portfolio.
    """
    return _sort_agenda(check_each("sort_agenda", "entries", entries, AgendaEntry))


def _sort_agenda(
    entries: Iterable[AgendaEntry], *, by_account: bool = True
) -> tuple[AgendaEntry, ...]:
    """Return ``entries`` in agenda order like ``sort_agenda``, the entries already checked.

    ``by_account=False``: the entries are in account id order already (each account's
    rows together), so the account id needs no sort.
    """
    # A portfolio's rows fall on a few hundred dates: group them by date, then sort
    # each group, which costs half of one sort of all rows on a composite key.  Most
    # portfolios have one currency: the currency joins the key only when there are two
    # (told by a set built in C, not by a test per row).
    by_due: defaultdict[dt.date, list[AgendaEntry]] = defaultdict(list)
    rows = entries if type(entries) is list else list(entries)
    for entry in rows:
        by_due[entry[2]].append(entry)
    mixed = len(set(map(_CURRENCY, rows))) > 1
    ordered: list[AgendaEntry] = []
    extend = ordered.extend
    for due in sorted(by_due):
        group = by_due[due]
        if len(group) > 1:
            # Stable sorts on C-level keys, least significant first: account id, then
            # amount (largest first, the equal ones keeping their order), then currency.
            if by_account:
                group.sort(key=_ACCOUNT_ID)
            group.sort(key=_AMOUNT, reverse=True)
            if mixed:
                group.sort(key=_CURRENCY)
        extend(group)
    return tuple(ordered)


_ACCOUNT_ID = operator.itemgetter(0)
_AMOUNT = operator.itemgetter(8)
_CURRENCY = operator.itemgetter(15)
