"""Hypothesis strategies for collectlib's own tests: valid records by construction.

(The public ``collectlib.strategies`` module, for users, comes with its own issue; these
stay private to the test suite.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from collectlib import (
    Account,
    ActionState,
    Channel,
    Item,
    ItemKind,
    PenaltyRule,
    Policy,
    Repeat,
    Restart,
    Scenario,
    SendingWindow,
    SpecificAction,
    Step,
    Trigger,
    TriggerKind,
)

BASE = dt.date(2026, 1, 1)

dates = st.integers(min_value=-400, max_value=400).map(lambda n: BASE + dt.timedelta(days=n))
cents = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n).scaleb(-2))
ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-", min_size=1, max_size=8).filter(
    lambda s: s == s.strip()
)


_KINDS = (ItemKind.INVOICE,) * 4 + (ItemKind.CREDIT_NOTE, ItemKind.PAYMENT, ItemKind.OTHER)


@st.composite
def items(draw: st.DrawFn, item_id: str | None = None, kind: ItemKind | None = None) -> Item:
    """An item of any kind, open, partly paid or closed."""
    kind = kind or draw(st.sampled_from(_KINDS))
    size = draw(cents)
    if kind is ItemKind.INVOICE:
        amount = size
    elif kind is ItemKind.OTHER:
        amount = draw(st.sampled_from([size, -size]))
    else:
        amount = -size
    open_amount = draw(
        st.sampled_from([amount, Decimal(0), amount])
        | cents.map(lambda c: min(c, abs(amount))).map(lambda c: c if amount > 0 else -c)
    )
    issue = draw(dates)
    due = issue + dt.timedelta(days=draw(st.integers(min_value=-10, max_value=90)))
    return Item(
        id=item_id if item_id is not None else draw(ids),
        kind=kind,
        issue_date=issue,
        due_date=due,
        amount=amount,
        open_amount=open_amount,
    )


@st.composite
def item_lists(draw: st.DrawFn, min_size: int = 0, max_size: int = 8) -> tuple[Item, ...]:
    """Items with unique ids."""
    names = draw(st.lists(ids, min_size=min_size, max_size=max_size, unique=True))
    return tuple(draw(items(item_id=name)) for name in names)


def steps(index: int) -> st.SearchStrategy[Step]:
    """A valid step named after its position."""
    channel = st.sampled_from(Channel)
    return st.builds(
        lambda ch, trig, auto, conf: Step(
            name=f"step-{index}",
            channel=ch,
            trigger=trig,
            template="Dear #customer_name, you owe #total_due." if ch.is_message else None,
            automatic=auto and ch.is_message,
            to_be_confirmed=auto and conf and ch.is_message,
        ),
        channel,
        st.one_of(
            st.integers(-15, 120).map(Trigger.leader_due),
            st.integers(0, 30).map(Trigger.after_last_action),
        ),
        st.booleans(),
        st.booleans(),
    )


@st.composite
def scenarios(
    draw: st.DrawFn, name: str = "standard", min_steps: int = 0, max_steps: int = 5
) -> Scenario:
    """A valid scenario: leader_due offsets never go back in time."""
    count = draw(st.integers(min_steps, max_steps))
    raw = [draw(steps(i)) for i in range(count)]
    fixed: list[Step] = []
    latest = None
    for step in raw:
        kept = step
        if step.trigger.kind is TriggerKind.LEADER_DUE:
            if latest is not None and step.trigger.days < latest:
                kept = attrs.evolve(step, trigger=Trigger.leader_due(latest))
            latest = kept.trigger.days
        fixed.append(kept)
    return Scenario(
        name=name,
        steps=tuple(fixed),
        restart=draw(st.sampled_from(Restart)),
        repeat=draw(
            st.none()
            | st.builds(Repeat, every_days=st.integers(1, 20), max_times=st.integers(1, 3))
        ),
        review_after_days=draw(st.integers(0, 15)),
    )


@st.composite
def policies(draw: st.DrawFn, min_steps: int = 0) -> Policy:
    """A policy with one default scenario and small thresholds."""
    scenario = draw(scenarios(min_steps=min_steps))
    return Policy(
        scenarios=[scenario],
        default_scenario=scenario.name,
        minimum_amount=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(50)])),
        ignore_below=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(10)])),
    )


@st.composite
def accounts(draw: st.DrawFn, account_id: str = "C-1", with_actions: bool = True) -> Account:
    """An account with unique item ids and, optionally, open specific actions on some items."""
    item_tuple = draw(item_lists())
    actions: list[SpecificAction] = []
    if with_actions and item_tuple:
        free = [item.id for item in item_tuple]
        for number in range(draw(st.integers(0, 2))):
            if not free:
                break
            chosen = draw(st.lists(st.sampled_from(free), min_size=1, max_size=3, unique=True))
            free = [i for i in free if i not in chosen]
            actions.append(
                SpecificAction(
                    id=f"A{number + 1}",
                    name="follow-up",
                    channel=Channel.CALL,
                    item_ids=frozenset(chosen),
                    due_on=draw(dates),
                    created_on=BASE,
                    state=ActionState.OPEN,
                )
            )
    return Account(id=account_id, name="Customer", items=item_tuple, actions=tuple(actions))


STATUS_CODES = ("call", "promise", "price", "court", "settled")
"""The status codes of ``report_policy()``: ongoing, promise, dispute, litigation, resolved."""


def report_policy() -> Policy:
    """A policy whose statuses cover every category the reports read."""
    from collectlib import ActionTemplate, Status, StatusCategory

    follow_up = ActionTemplate(name="follow-up", channel=Channel.CALL)
    return Policy(
        statuses=[
            Status(code="call"),
            Status(code="promise", category=StatusCategory.PROMISE),
            Status(code="price", category=StatusCategory.DISPUTE, action=follow_up),
            Status(code="court", category=StatusCategory.LITIGATION, action=follow_up),
            Status(code="settled", category=StatusCategory.DISPUTE_RESOLVED),
        ],
        dispute_resolved_status="settled",
    )


@st.composite
def report_accounts(draw: st.DrawFn, account_id: str = "C-1", currency: str = "EUR") -> Account:
    """An account for the reports: qualified items, a collector or none, a journal of statuses.

    Item statuses and journal events use ``STATUS_CODES``; journal dates run forward
    from ``BASE`` (the journal is in operation order).
    """
    import attrs

    from collectlib import StatusApplied

    account = draw(accounts(account_id=account_id))
    statuses = st.none() | st.sampled_from(STATUS_CODES)
    item_tuple = tuple(attrs.evolve(item, status=draw(statuses)) for item in account.items)
    journal: list[StatusApplied] = []
    if item_tuple:
        day = BASE
        for _ in range(draw(st.integers(0, 6))):
            day += dt.timedelta(days=draw(st.integers(0, 40)))
            chosen = draw(
                st.lists(st.sampled_from([item.id for item in item_tuple]), min_size=1, unique=True)
            )
            journal.append(StatusApplied(on=day, item_ids=chosen, status=draw(statuses)))
    return attrs.evolve(
        account,
        currency=currency,
        collector=draw(st.none() | st.sampled_from(["ana", "bob"])),
        items=item_tuple,
        journal=tuple(journal),
    )


@st.composite
def portfolios(draw: st.DrawFn, max_size: int = 6) -> list[Account]:
    """Accounts with unique ids (``C-1``, ``C-2``...) in one currency, for the reports."""
    count = draw(st.integers(0, max_size))
    return [draw(report_accounts(account_id=f"C-{number + 1}")) for number in range(count)]


@st.composite
def sending_windows(draw: st.DrawFn) -> SendingWindow:
    """A valid sending window: some weekdays, one to four slots that never overlap."""
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    points = sorted(
        draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=8, unique=True))
    )
    slots = [
        (dt.time(start // 60, start % 60), dt.time(end // 60, end % 60))
        for start, end in zip(points[0::2], points[1::2], strict=False)
    ]
    return SendingWindow(weekdays=weekdays, slots=slots)


def local_datetimes() -> st.SearchStrategy[dt.datetime]:
    """Naive datetimes around ``BASE``, down to the microsecond."""
    return st.datetimes(
        min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.none()
    )


def penalty_rules() -> st.SearchStrategy[PenaltyRule]:
    """A penalty rule: a rate from 0 to 30 %, a recovery cost, 360, 365 or 366 days a year."""
    return st.builds(
        PenaltyRule,
        annual_rate=st.integers(0, 3000).map(lambda n: Decimal(n).scaleb(-4)),
        recovery_cost=st.sampled_from([Decimal(0), Decimal(40), Decimal("12.5")]),
        year_days=st.sampled_from([360, 365, 366]),
    )


def journal_events() -> st.SearchStrategy[object]:
    """A valid journal event of any kind, by a named user or by nobody in particular."""
    from collectlib import (
        ActionCancelled,
        ActionCompleted,
        ActionCreated,
        ActionDeleted,
        ActionRescheduled,
        ItemsReleased,
        ItemsSynced,
        OwnerAssigned,
        PlanCancelled,
        PlanCreated,
        PlanReviewed,
        PlanState,
        ScenarioActionRecorded,
        StatusApplied,
    )

    item_sets = st.frozensets(ids, min_size=1, max_size=4)
    texts = st.text(max_size=12)
    names = st.sampled_from(["ana", "bob"])
    common: dict[str, st.SearchStrategy[object]] = {"on": dates, "by": st.none() | names}
    return st.one_of(
        st.builds(
            ScenarioActionRecorded,
            **common,
            scenario=st.just("standard"),
            step_index=st.integers(0, 9),
            step_name=st.sampled_from(["reminder", "call", "letter"]),
            channel=st.sampled_from(Channel),
            leader_id=ids,
            item_ids=item_sets,
            amount=cents,
            note=texts,
        ),
        st.builds(
            StatusApplied,
            **common,
            item_ids=item_sets,
            status=st.none() | st.sampled_from(STATUS_CODES),
            comment=texts,
            owner=st.none() | names,
            promise_date=st.none() | dates,
        ),
        st.builds(OwnerAssigned, **common, item_ids=item_sets, owner=st.none() | names),
        st.builds(
            ActionCreated,
            **common,
            action_id=ids,
            name=st.just("follow-up"),
            item_ids=item_sets,
            due_on=dates,
            origin_status=st.none() | st.sampled_from(STATUS_CODES),
            plan_id=st.none() | ids,
        ),
        st.builds(ItemsReleased, **common, action_id=ids, item_ids=item_sets),
        st.builds(ActionRescheduled, **common, action_id=ids, due_on=dates, previous_due_on=dates),
        st.builds(ActionCompleted, **common, action_id=ids, note=texts),
        st.builds(ActionCancelled, **common, action_id=ids, reason=texts),
        st.builds(ActionDeleted, **common, action_id=ids),
        st.builds(
            ItemsSynced,
            **common,
            added=st.frozensets(ids, max_size=3),
            updated=st.frozensets(ids, max_size=3),
            closed=st.frozensets(ids, max_size=3),
        ),
        st.builds(
            PlanCreated, **common, plan_id=ids, item_ids=item_sets, total=cents, comment=texts
        ),
        st.builds(
            PlanReviewed,
            **common,
            plan_id=ids,
            state=st.sampled_from(PlanState),
            next_due_on=st.none() | dates,
        ),
        st.builds(PlanCancelled, **common, plan_id=ids, reason=texts),
    )
