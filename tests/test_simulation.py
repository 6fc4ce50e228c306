"""The what-if simulation (SPEC 12): stories, properties, the reference it must equal, bad input."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import account, action, d, invoice
from collectlib import (
    DEFAULT_RESPONSE,
    Account,
    ActionState,
    ActionTemplate,
    Behaviour,
    Channel,
    CollectorRule,
    ItemsSynced,
    Policy,
    Scenario,
    ScenarioActionRecorded,
    SendingWindow,
    Settlement,
    Simulation,
    Status,
    StatusCategory,
    Step,
    Trigger,
    ValidationError,
    create_plan,
    payment_profile,
    portfolio_profile,
    schedule,
    settlements_from_journal,
    simulate,
)
from collectlib import strategies as cs
from collectlib.portfolio.simulation import _Run

START = d("2026-06-01")
NO_RESPONSE = dict.fromkeys(Channel, 0.0)


def call_on(days: int, name: str = "call") -> Step:
    return Step(name=name, channel=Channel.CALL, trigger=Trigger.leader_due(days))


def calling(*days: int) -> Policy:
    """A policy whose scenario calls the customer ``days`` after the leader's due date."""
    steps = tuple(call_on(day, f"call at {day}") for day in days)
    return Policy(scenarios=[Scenario(name="calls", steps=steps)], default_scenario="calls")


def habit(account_id: str, days_late: int, count: int = 4) -> list[Settlement]:
    """A customer who paid ``count`` invoices, each ``days_late`` days late."""
    return [
        Settlement(
            account_id=account_id,
            item_id=f"H-{n}",
            issue_date=d("2025-02-01"),
            due_date=d("2025-03-01") + dt.timedelta(days=n),
            settled_on=d("2025-03-01") + dt.timedelta(days=n + days_late),
            amount=100,
        )
        for n in range(count)
    ]


def behaviour(days_late: int, *account_ids: str, **changes: object) -> Behaviour:
    profiles = {i: payment_profile(habit(i, days_late), START) for i in account_ids}
    return Behaviour(profiles=profiles, **changes)  # type: ignore[arg-type]


# Stories ---------------------------------------------------------------------------------


def test_a_customer_pays_when_its_habit_says_when_nobody_calls() -> None:
    durand = account(invoice("F-1", "2026-06-05", 1200), id="DURAND")
    result = simulate([durand], calling(), START, d("2026-07-31"), behaviour(12, "DURAND"))
    assert [(row.on, row.amount, row.items) for row in result.cash] == [
        (d("2026-06-17"), Decimal("1200"), 1)
    ]
    assert result.workload == ()
    (paid,) = settlements_from_journal(result.accounts[0])
    assert (paid.item_id, paid.settled_on, paid.days_late) == ("F-1", d("2026-06-17"), 12)


def test_a_call_makes_a_late_customer_pay_within_the_response_days() -> None:
    # Durand pays 40 days late on its own; the call on day +10 makes it pay the next day.
    durand = account(invoice("F-1", "2026-06-05", 1200), id="DURAND")
    answered = behaviour(40, "DURAND", response={Channel.CALL: 1.0}, response_days=1)
    quiet = simulate([durand], calling(10), START, d("2026-07-31"), behaviour(40, "DURAND"))
    called = simulate([durand], calling(10), START, d("2026-07-31"), answered)
    assert [row.on for row in quiet.cash] == [d("2026-07-15")]
    assert [row.on for row in called.cash] == [d("2026-06-16")]
    assert [(row.on, row.collector, row.channel, row.performed) for row in called.workload] == [
        (d("2026-06-15"), None, Channel.CALL, 1)
    ]


def test_an_earlier_call_brings_the_cash_in_earlier() -> None:
    portfolio = [account(invoice("F-1", "2026-06-05", 500), id=f"C-{n}") for n in range(20)]
    ids = [a.id for a in portfolio]
    model = behaviour(45, *ids, response={Channel.CALL: 0.5}, response_days=5, seed=3)
    late = simulate(portfolio, calling(30), START, d("2026-08-31"), model)
    early = simulate(portfolio, calling(5), START, d("2026-08-31"), model)

    def paid_by(result: Simulation, day: dt.date) -> Decimal:
        return sum((row.amount for row in result.cash if row.on <= day), Decimal(0))

    assert paid_by(early, d("2026-06-30")) > paid_by(late, d("2026-06-30"))
    assert early.cash_totals == late.cash_totals == {"EUR": Decimal("10000")}


def test_a_collector_calls_at_most_her_capacity_and_the_rest_wait() -> None:
    portfolio = [
        account(invoice("F-1", "2026-05-30", 100 * (n + 1)), id=f"C-{n}", collector="marie")
        for n in range(3)
    ]
    never = behaviour(300, *(a.id for a in portfolio))
    policy = calling(1, 60)
    result = simulate(portfolio, policy, START, d("2026-06-05"), never, capacity=1)
    # The largest balance first (agenda order), one a day.
    assert [(row.on, row.performed, row.waiting) for row in result.workload] == [
        (d("2026-06-01"), 1, 2),
        (d("2026-06-02"), 1, 1),
        (d("2026-06-03"), 1, 0),
    ]
    called = [
        (event.on, a.id)
        for a in result.accounts
        for event in a.journal
        if isinstance(event, ScenarioActionRecorded)
    ]
    assert sorted(called) == [
        (d("2026-06-01"), "C-2"),
        (d("2026-06-02"), "C-1"),
        (d("2026-06-03"), "C-0"),
    ]
    by_collector = simulate(portfolio, policy, START, d("2026-06-05"), never, capacity={"marie": 2})
    assert [row.performed for row in by_collector.workload] == [2, 1]
    others = simulate(portfolio, policy, START, d("2026-06-05"), never, capacity={"paul": 0})
    assert [row.performed for row in others.workload] == [3]


def test_the_aged_balance_and_dso_follow_the_payments() -> None:
    portfolio = [
        account(invoice("F-1", "2026-05-20", 600, issued="2026-04-20"), id="C-1"),
        account(invoice("F-2", "2026-06-20", 400, issued="2026-05-21"), id="C-2"),
    ]
    model = behaviour(20, "C-1", "C-2")
    result = simulate(portfolio, Policy(), START, d("2026-06-21"), model)
    first, *_, last = result.balances
    assert first.on == d("2026-06-07")
    assert (first.aged["not_due"], first.aged["1-30"]) == (Decimal("400"), Decimal("600"))
    assert [(row.on, row.amount) for row in result.cash] == [(d("2026-06-09"), Decimal("600"))]
    assert (last.on, last.receivables, last.overdue) == (
        d("2026-06-21"),
        Decimal(400),
        Decimal(400),
    )
    assert [p.on for p in result.balances] == [d("2026-06-07"), d("2026-06-14"),
                                                d("2026-06-21")]  # fmt: skip
    assert first.dso is not None
    assert first.dso.sales == Decimal("1000")
    assert first.dso.standard == pytest.approx(1000 / 1000 * 90)


def test_an_item_older_than_any_payment_waits_for_a_contact() -> None:
    # Nobody ever paid 31 days late: the invoice is paid only because a call makes it so.
    late = account(invoice("F-1", "2026-05-01", 250), id="C-1")
    model = behaviour(10, "C-1", response={Channel.CALL: 1.0}, response_days=3, seed=1)
    alone = simulate([late], Policy(), START, d("2026-07-31"), model)
    assert alone.cash == ()
    called = simulate([late], calling(1, 60), START, d("2026-07-31"), model)
    assert [(row.amount, START < row.on <= d("2026-06-04")) for row in called.cash] == [
        (Decimal("250"), True)
    ]
    nothing_known = simulate([late], calling(1, 60), START, START, Behaviour())
    assert (nothing_known.cash, [p.on for p in nothing_known.balances]) == ((), [START])


def test_a_dispute_without_follow_up_gets_its_status_action() -> None:
    from builders import qualifying_policy

    policy = qualifying_policy()
    disputed = attrs.evolve(
        invoice("F-1", "2026-05-01", 250), status="price-dispute", status_date=d("2026-05-20")
    )
    result = simulate([account(disputed, id="C-1")], policy, START, START, behaviour(300, "C-1"))
    (action,) = result.accounts[0].actions
    assert action.state is ActionState.OPEN
    assert action.item_ids == {"F-1"}


def test_a_payment_plan_s_follow_up_is_reviewed() -> None:
    plan_status = Status(
        code="plan",
        category=StatusCategory.PAYMENT_PLAN,
        action=ActionTemplate(name="installment check", channel=Channel.CALL),
    )
    policy = Policy(statuses=[plan_status])
    planned = create_plan(
        account(invoice("F-1", "2026-05-01", 300), invoice("F-2", "2026-06-01", 300), id="C-1"),
        ["F-1", "F-2"],
        schedule(600, 2, d("2026-06-10")),
        policy,
        d("2026-05-25"),
    )
    # F-1 is paid on 5 June (35 days late), F-2 on 6 July: the plan is on track on 10 June,
    # late on 10 July (F-2 paid, but the review was moved to 10 July).
    quiet = behaviour(35, "C-1", response={})
    result = simulate([planned], policy, START, d("2026-07-05"), quiet)
    (action,) = result.accounts[0].actions
    assert (action.state, action.due_on) == (ActionState.OPEN, d("2026-07-10"))
    assert [(row.on, row.channel, row.performed) for row in result.workload] == [
        (d("2026-06-10"), Channel.CALL, 1)
    ]
    late = simulate([planned], policy, START, d("2026-07-05"), behaviour(300, "C-1"))
    (action,) = late.accounts[0].actions
    assert (action.state, action.due_on) == (ActionState.OPEN, d("2026-07-10"))


def test_an_automatic_e_mail_goes_out_in_its_window_without_a_collector() -> None:
    mail = Step(name="reminder", channel=Channel.EMAIL, template="#total_due is due.",
                trigger=Trigger.leader_due(1), automatic=True)  # fmt: skip
    window = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(dt.time(9), dt.time(17))])
    policy = Policy(scenarios=[Scenario(name="mail", steps=[mail])], default_scenario="mail",
                    sending_window=window)  # fmt: skip
    customer = account(invoice("F-1", "2026-06-05"), id="C-1", email="ap@durand.example")
    saturday = d("2026-06-06")
    result = simulate([customer], policy, saturday, d("2026-06-08"), behaviour(300, "C-1"),
                      capacity=0)  # fmt: skip
    assert [(row.on, row.automatic, row.waiting) for row in result.workload] == [
        (saturday, 0, 1),
        (d("2026-06-07"), 0, 1),
        (d("2026-06-08"), 1, 0),
    ]


def test_a_payment_after_the_last_date_is_on_the_last_date() -> None:
    item = invoice("F-1", "9999-12-25", 100)
    start = d("9999-12-20")
    result = simulate([account(item, id="C-1")], Policy(), start, dt.date.max,
                      behaviour(30, "C-1"))  # fmt: skip
    assert [row.on for row in result.cash] == [dt.date.max]


def test_rows_left_waiting_are_the_agendas_rows_of_the_following_days() -> None:
    catch_up = Scenario(name="catch up", steps=[call_on(1, "first"), call_on(20, "second")],
                        restart="CATCH_UP")  # fmt: skip
    policy = Policy(
        scenarios=[Scenario(name="calls", steps=[call_on(1), call_on(90, "again")]), catch_up],
        default_scenario="calls",
        scenario_by_client_type={"risky": "catch up"},
        collector_rules=[CollectorRule(collector="senior", min_days_late=30),
                         CollectorRule(collector="marie")],
    )  # fmt: skip
    called = action("A1", {"F-2"}, "2026-06-03")
    portfolio = [
        # A call and a specific action, both waiting; another action coming due later.
        account(invoice("F-1", "2026-05-20"), invoice("F-2", "2026-05-25"),
                invoice("F-3", "2026-05-26"), id="C-1", collector="marie",
                actions=[called, action("A2", {"F-3"}, "2026-06-10")]),
        account(invoice("F-1", "2026-05-20"), id="C-2", collector="marie",
                client_type="risky"),  # its step depends on the date
        account(invoice("F-1", "2026-05-10"), id="C-3"),  # marie, then senior at 30 days
    ]  # fmt: skip
    never = behaviour(300, "C-1", "C-2", "C-3", response={})
    results = []
    for capacity in ({"marie": 0, "senior": 0}, {"marie": 1, "senior": 0}):
        result = simulate(portfolio, policy, START, d("2026-06-20"), never, capacity)
        reference = _Run(portfolio, policy, START, d("2026-06-20"), never, capacity).run(
            every_day=True
        )
        assert result == reference
        results.append(result)
    # C-3's call waits for Marie, then for the senior collector from 30 days late.
    assert {row.collector for row in results[0].workload} == {"marie", "senior"}


# Properties -------------------------------------------------------------------------------


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Account], Policy, dt.date, Behaviour, object]:
    policy = draw(cs.policies(min_steps=1, max_steps=3))
    portfolio = list(
        draw(
            cs.portfolios(
                policy=policy,
                max_size=4,
                max_items=4,
                with_plans=True,
                issue_dates=cs.dates(START - dt.timedelta(days=120), START + dt.timedelta(days=10)),
                currency=st.sampled_from(["EUR", "EUR", "JPY"]),
            )
        )
    )
    end = START + dt.timedelta(days=draw(st.integers(0, 40)))
    model = draw(cs.behaviours(account_ids=[a.id for a in portfolio], on=START))
    capacity = draw(
        st.none()
        | st.integers(0, 2)
        | st.dictionaries(st.sampled_from(["ana", "marie", "paul"]), st.integers(0, 2))
    )
    return portfolio, policy, end, model, capacity


def _open_amounts(accounts: tuple[Account, ...] | list[Account]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for a in accounts:
        for item in a.items:
            totals[a.currency] += item.open_amount  # type: ignore[assignment]
    return totals


@given(worlds())
def test_only_the_accounts_due_are_looked_at_with_the_whole_agendas_result(world) -> None:
    portfolio, policy, end, model, capacity = world
    fast = simulate(portfolio, policy, START, end, model, capacity)
    reference = _Run(portfolio, policy, START, end, model, capacity).run(every_day=True)
    assert fast == reference


@given(worlds())
def test_a_simulation_keeps_its_rules(world) -> None:
    portfolio, policy, end, model, capacity = world
    result = simulate(portfolio, policy, START, end, model, capacity)
    # Reproducible.
    assert simulate(portfolio, policy, START, end, model, capacity) == result
    # Conservation: what is still open plus what came in is what was open.
    after = _open_amounts(result.accounts)
    for currency, amount in result.cash_totals.items():
        after[currency] += amount  # type: ignore[assignment]
    assert {c: a for c, a in after.items() if a} == {
        c: a for c, a in _open_amounts(portfolio).items() if a
    }
    # Capacity: never more rows a day per collector than it allows.
    done: Counter[tuple[dt.date, str | None]] = Counter()
    for row in result.workload:
        done[(row.on, row.collector)] += row.performed
        assert START <= row.on <= end
    for (_day, collector), count in done.items():
        limit = (
            capacity
            if capacity is None or isinstance(capacity, int)
            else capacity.get(collector)
            if collector is not None
            else None  # type: ignore[union-attr]
        )
        assert limit is None or count <= limit
    # Unlimited capacity, no sending window: every due row is performed.
    if capacity is None and policy.sending_window is None:
        assert all(row.waiting == 0 for row in result.workload)
    # No action after an item is closed.
    for a in result.accounts:
        closed: set[str] = set()
        for event in a.journal:
            if isinstance(event, ItemsSynced):
                closed |= event.closed
            elif isinstance(event, ScenarioActionRecorded) and event.on >= START:
                assert not (event.item_ids & closed)
    # One balance point per currency at the end of each week from the start, and the last day.
    days = sorted({p.on for p in result.balances})
    weeks = [START + dt.timedelta(days=6 + 7 * n) for n in range((end - START).days // 7 + 1)]
    expected = sorted({day for day in weeks if day <= end} | {end})
    assert days == (expected if portfolio else [])
    # The accounts keep their order, and nothing of the inputs changed.
    assert [a.id for a in result.accounts] == [a.id for a in portfolio]


def test_another_seed_draws_other_days_but_the_same_again() -> None:
    portfolio = [account(invoice("F-1", "2026-06-05", 100), id=f"C-{n}") for n in range(10)]
    history = [s for days in (3, 9, 17, 30) for s in habit("C-0", days, count=1)]
    everyone = portfolio_profile(history, START)

    def days(seed: int) -> list[dt.date]:
        model = Behaviour(fallback=everyone, seed=seed)
        return [row.on for row in simulate(portfolio, Policy(), START, d("2026-08-01"), model).cash]

    assert days(1) == days(1)
    assert days(1) != days(2)


def test_one_day_is_a_simulation() -> None:
    durand = account(invoice("F-1", "2026-05-20", 100), id="C-1")
    result = simulate([durand], calling(1), START, START, behaviour(300, "C-1"))
    assert [row.on for row in result.workload] == [START]
    assert [p.on for p in result.balances] == [START]


def test_a_customer_s_history_is_blended_with_the_portfolios() -> None:
    # Whatever the seed, an item paid from the customer's or the portfolio's settlements.
    item = invoice("F-1", "2026-06-10", 100)
    own = payment_profile(habit("C-1", 5, count=1), START)
    everyone = portfolio_profile(habit("C-2", 20, count=6), START)
    days = set()
    for seed in range(30):
        model = Behaviour(profiles={"C-1": own}, fallback=everyone, seed=seed)
        result = simulate([account(item, id="C-1")], Policy(), START, d("2026-08-01"), model)
        days |= {row.on for row in result.cash}
    assert days == {d("2026-06-15"), d("2026-06-30")}


def test_a_later_habit_than_the_item_s_age_only_is_drawn() -> None:
    # The item is already 30 days late: the customer's 5-day payments cannot apply to it.
    item = invoice("F-1", "2026-05-02", 100)
    history = habit("C-1", 5) + habit("C-1", 60)
    model = Behaviour(profiles={"C-1": payment_profile(history, START)})
    result = simulate([account(item, id="C-1")], Policy(), START, d("2026-08-01"), model)
    assert [row.on for row in result.cash] == [d("2026-07-01")]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": d("2026-05-31")}, r"simulate: end 2026-05-31 is before start 2026-06-01"),
        ({"capacity": -1}, r"simulate: capacity must be None, a whole number >= 0"),
        ({"capacity": "40"}, r"simulate: capacity must be None"),
        ({"capacity": True}, r"simulate: capacity must be None"),
        ({"capacity": {"marie": -2}}, r"simulate: capacity\['marie'\] must be"),
        ({"capacity": {"": 2}}, r"simulate: capacity"),
        ({"behaviour": {"seed": 1}}, r"simulate: behaviour must be a Behaviour"),
        ({"policy": None}, r"simulate: policy must be a Policy"),
        ({"start": "2026-06-01"}, r"simulate: start must be a date"),
        ({"accounts": [None]}, r"simulate: accounts\[0\] must be an Account"),
    ],
)
def test_bad_arguments_are_refused_by_name(changes: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "accounts": [account(invoice("F-1", "2026-05-20"), id="C-1")],
        "policy": calling(1),
        "start": START,
        "end": START,
        "behaviour": Behaviour(),
        **changes,
    }
    with pytest.raises(ValidationError, match=message):
        simulate(**arguments)  # type: ignore[arg-type]


def test_an_account_twice_is_refused() -> None:
    twice = account(invoice("F-1", "2026-05-20"), id="C-1")
    with pytest.raises(ValidationError, match=r"simulate: account 'C-1' appears twice"):
        simulate([twice, twice], calling(1), START, START, Behaviour())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"profiles": ["C-1"]}, r"behaviour: profiles must be a mapping"),
        ({"profiles": {"C-1": "late"}}, r"behaviour: profiles\['C-1'\] must be a PaymentProfile"),
        ({"profiles": {"": None}}, r"behaviour: profiles"),
        ({"fallback": "late"}, r"behaviour: fallback must be a PaymentProfile"),
        ({"seed": "7"}, r"behaviour: seed must be"),
        ({"response": {"PIGEON": 0.5}}, r"behaviour: response: 'PIGEON' is not a channel"),
        ({"response": {"CALL": 1.5}}, r"behaviour: response\[CALL\] must be a probability"),
        ({"response": {"CALL": "high"}}, r"behaviour: response\[CALL\] must be a probability"),
        ({"response": 0.5}, r"behaviour: response must be a mapping"),
        ({"response_days": 0}, r"behaviour: response_days must be"),
        ({"follow_up_days": -1}, r"behaviour: follow_up_days must be"),
    ],
)
def test_a_bad_behaviour_names_its_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Behaviour(**fields)  # type: ignore[arg-type]


def test_a_behaviour_reads_channels_by_name_and_whole_probabilities() -> None:
    model = Behaviour(response={"CALL": 1, "LETTER": 0.25})
    assert model.response == {Channel.CALL: 1.0, Channel.LETTER: 0.25}
    assert type(model.response[Channel.CALL]) is float
    assert Behaviour().response == DEFAULT_RESPONSE
    assert Channel.INTERNAL_INTERACTIVE_EMAIL not in DEFAULT_RESPONSE
