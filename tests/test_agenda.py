"""SPEC §8: due_actions and the agenda of a portfolio."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import STANDARD, account, action, d, invoice, policy
from collectlib import (
    Account,
    ActionTemplate,
    AgendaEntry,
    Channel,
    CollectorRule,
    EntryKind,
    Fallback,
    SendingWindow,
    ValidationError,
    agenda,
    create_action,
    due_actions,
    next_action,
    sort_agenda,
)
from collectlib.portfolio.agenda import REVIEW_DISPUTE
from collectlib.strategies import accounts, dates, policies


def test_scenario_row_carries_the_proposal() -> None:
    acc = account(
        invoice("F-1", "2026-01-10", 700), invoice("F-2", "2026-03-01", 300), collector="marie"
    )
    (row,) = due_actions(acc, policy(), d("2026-01-15"))
    assert row == AgendaEntry(
        account_id="C-1",
        collector="marie",
        due_on=d("2026-01-11"),
        late_days=4,
        kind=EntryKind.SCENARIO,
        channel=Channel.EMAIL,
        name="reminder e-mail",
        item_ids=frozenset({"F-1", "F-2"}),
        amount=row.amount,
        automatic=True,
        needs_confirmation=False,
        action_id=None,
        step_index=0,
    )
    assert row.amount == 1000


def test_rows_keep_no_copies() -> None:
    # SPEC 8: the rows stay small.  Rows falling due the same day share one date and one
    # count of days late; a row of one item keeps that item's amount; ids are a tuple's.
    accounts = [
        account(invoice("F-1", "2026-01-10", 700), invoice("F-2", "2026-01-10", 300)),
        account(invoice("F-3", "2026-01-10", "1E+3"), id="C-2"),
        account(invoice("F-4", "2026-01-10", 900), id="C-3"),
    ]
    first, second, third = agenda(accounts, policy(), d("2026-12-15"))
    assert [row.account_id for row in (first, second, third)] == ["C-1", "C-2", "C-3"]
    assert first.due_on is second.due_on is third.due_on
    assert first.late_days is second.late_days is third.late_days == 338
    assert second.amount is accounts[1].items[0].open_amount  # the item's, exactly as given
    assert str(second.amount) == "1E+3"
    assert third.amount is accounts[2].items[0].open_amount
    assert first.amount == 1000
    assert not hasattr(first.item_ids, "__dict__")


def test_nothing_due_before_the_due_date() -> None:
    acc = account(invoice("F-1", "2026-01-10"))
    assert due_actions(acc, policy(), d("2026-01-10")) == ()
    assert len(due_actions(acc, policy(), d("2026-01-11"))) == 1


def test_specific_row_amount_is_the_open_amount_of_its_open_items() -> None:
    acc = account(
        invoice("F-1", "2026-01-10", 700, open_amount=200),
        invoice("F-2", "2026-02-10", 300, open_amount=0),
        invoice("F-3", "2026-03-10", 100),
        actions=(action("A1", {"F-1", "F-2"}, "2026-03-01"),),
    )
    rows = due_actions(acc, policy(), d("2026-03-12"))
    assert [(r.kind, r.name, r.amount, r.item_ids) for r in rows] == [
        (EntryKind.SCENARIO, "reminder e-mail", 100, {"F-3"}),
        (EntryKind.SPECIFIC, "follow-up call", 200, {"F-1"}),
    ]
    assert rows[1].action_id == "A1"
    assert rows[1].step_index is None
    assert rows[1].late_days == 11


def test_each_open_action_shows_on_its_due_date_whatever_the_actions_before_it() -> None:
    acc = account(
        invoice("F-1", "2026-01-10", 700),
        invoice("F-2", "2026-01-10", 300, open_amount=0),
        invoice("F-3", "2026-01-10", 100),
        actions=(
            action("A1", {"F-1"}, "2026-03-13"),  # not yet due
            action("A2", {"F-2"}, "2026-03-01"),  # its item closed
            action("A3", {"F-3"}, "2026-03-12"),  # due today
        ),
    )
    rows = due_actions(acc, policy(), d("2026-03-12"))
    assert [(r.action_id, r.due_on, r.late_days) for r in rows] == [("A3", d("2026-03-12"), 0)]


def test_an_automatic_specific_row_goes_out_in_the_customer_s_time_zone_unless_confirmed() -> None:
    letter = ActionTemplate(
        name="letter", channel="EMAIL", template="#total_due", delay_days=3, automatic=True
    )
    office = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(dt.time(9), dt.time(12))])
    pol = policy(sending_window=office, collector_rules=[CollectorRule(collector="desk")])
    acc = account(invoice("F-1", "2026-03-10"), timezone="America/Montreal", collector="marie")
    sent = create_action(acc, ["F-1"], letter, d("2026-01-05"))
    montreal = dt.datetime(2026, 1, 12, 9, tzinfo=zoneinfo.ZoneInfo("America/Montreal"))
    row = AgendaEntry(
        account_id="C-1", collector="marie", due_on=d("2026-01-08"), late_days=4,
        kind=EntryKind.SPECIFIC, channel=Channel.EMAIL, name="letter", item_ids=frozenset({"F-1"}),
        amount=Decimal(100), automatic=True, needs_confirmation=False, action_id="A1",
        step_index=None, send_at=montreal, repeat=0,
    )  # fmt: skip
    assert due_actions(sent, pol, d("2026-01-12")) == (row,)
    confirmed = attrs.evolve(letter, to_be_confirmed=True)
    to_confirm = create_action(acc, ["F-1"], confirmed, d("2026-01-05"))
    assert due_actions(to_confirm, pol, d("2026-01-12")) == (
        row._replace(needs_confirmation=True, send_at=None),
    )


def test_a_row_names_the_account_s_collector_else_the_first_rule_that_matches() -> None:
    pol = policy(collector_rules=[CollectorRule(collector="escalations", min_days_late=30),
                                  CollectorRule(collector="desk")])  # fmt: skip
    portfolio = [
        account(invoice("F-1", "2026-01-10"), id="C-1"),  # 36 days late on 15 February
        account(invoice("F-2", "2026-02-01"), id="C-2"),  # 14 days late
        account(invoice("F-3", "2026-01-10"), id="C-3", collector="marie"),
    ]
    rows = agenda(portfolio, pol, d("2026-02-15"))
    assert [(row.account_id, row.collector) for row in rows] == [
        ("C-1", "escalations"), ("C-3", "marie"), ("C-2", "desk"),
    ]  # fmt: skip


def test_a_scenario_row_counts_its_days_late_and_waits_for_a_person_past_the_limit() -> None:
    acc = account(invoice("F-1", "2026-01-10"))  # the e-mail, automatic, due 11 January
    (row,) = due_actions(acc, policy(), d("2026-01-12"))
    assert (row.late_days, row.automatic, row.needs_confirmation) == (1, True, False)
    (row,) = due_actions(acc, policy(), d("2026-02-11"))  # 31 days: past the 30 allowed
    assert (row.late_days, row.automatic, row.needs_confirmation) == (31, True, True)


def test_a_scenario_row_goes_out_in_the_window_in_the_customer_s_time_zone() -> None:
    office = SendingWindow(weekdays={0, 1, 2, 3, 4}, slots=[(dt.time(9), dt.time(12))])
    pol = policy(sending_window=office)
    montreal = account(invoice("F-1", "2026-01-10"), timezone="America/Montreal")
    (row,) = due_actions(montreal, pol, d("2026-01-12"))  # due Sunday 11: Monday 9:00 there
    zone = zoneinfo.ZoneInfo("America/Montreal")
    assert (row.late_days, row.needs_confirmation) == (1, False)
    assert row.send_at == dt.datetime(2026, 1, 12, 9, tzinfo=zone)
    (row,) = due_actions(account(invoice("F-1", "2026-01-10")), pol, d("2026-01-12"))
    assert (row.send_at, row.send_at.tzinfo) == (dt.datetime(2026, 1, 12, 9), None)
    # 30 days late is not past the 30 allowed; the formal notice waits for a person.
    (row,) = due_actions(account(invoice("F-1", "2026-01-10")), pol, d("2026-02-10"))
    assert (row.late_days, row.needs_confirmation, row.send_at) == (
        30, False, dt.datetime(2026, 2, 10, 9),
    )  # fmt: skip
    notice = policy(
        sending_window=office, scenarios=(attrs.evolve(STANDARD, steps=STANDARD.steps[3:]),)
    )
    (row,) = due_actions(account(invoice("F-1", "2026-01-10")), notice, d("2026-02-24"))
    assert (row.name, row.late_days, row.automatic) == ("formal notice", 0, True)
    assert (row.needs_confirmation, row.send_at) == (True, None)


def test_a_scenario_row_on_its_fallback_channel_is_never_automatic() -> None:
    letter = Fallback(channel="LETTER", template="Dear #customer_name, #total_due is due.")
    steps = (attrs.evolve(STANDARD.steps[0], fallback=letter), *STANDARD.steps[1:])
    pol = policy(scenarios=(attrs.evolve(STANDARD, steps=steps),))
    (row,) = due_actions(account(invoice("F-1", "2026-01-10")), pol, d("2026-01-12"))
    assert (row.channel, row.automatic, row.needs_confirmation) == (Channel.LETTER, False, False)


def test_action_whose_items_are_all_closed_is_deleted_as_of_its_date() -> None:
    acc = account(
        invoice("F-1", "2026-01-10", 700, open_amount=0),
        actions=(action("A1", {"F-1"}, "2026-03-01"),),
    )
    assert due_actions(acc, policy(), d("2026-03-12")) == ()


def test_agenda_sorts_by_due_date_then_amount_descending_then_account() -> None:
    pol = policy()
    portfolio = [
        account(invoice("F-1", "2026-01-10", 100), id="C-3"),
        account(invoice("F-1", "2026-01-10", 900), id="C-2"),
        account(invoice("F-1", "2026-01-05", 50), id="C-4"),
        account(invoice("F-1", "2026-01-10", 100), id="C-1"),
    ]
    rows = agenda(portfolio, pol, d("2026-02-01"))
    assert [(r.account_id, r.due_on.day, r.amount) for r in rows] == [
        ("C-4", 6, 50),
        ("C-2", 11, 900),
        ("C-1", 11, 100),
        ("C-3", 11, 100),
    ]


def test_horizon_shows_what_falls_due_in_the_next_days() -> None:
    portfolio = [account(invoice("F-1", "2026-01-10"))]
    assert agenda(portfolio, policy(), d("2026-01-05")) == ()
    (row,) = agenda(portfolio, policy(), d("2026-01-05"), horizon_days=6)
    assert row.due_on == d("2026-01-11")
    assert row.late_days == 0


def test_agenda_reads_any_iterable_once() -> None:
    reads = []

    def portfolio() -> Iterator[Account]:
        for number in range(3):
            reads.append(number)
            yield account(invoice("F-1", "2026-01-10"), id=f"C-{number}")

    assert len(agenda(portfolio(), policy(), d("2026-02-01"))) == 3
    assert reads == [0, 1, 2]


def test_an_account_twice_in_the_portfolio_is_an_error() -> None:
    acc = account(invoice("F-1", "2026-01-10"))
    with pytest.raises(ValidationError, match="agenda: account 'C-1' appears twice"):
        agenda([acc, acc], policy(), d("2026-02-01"))


@pytest.mark.parametrize("horizon", [-1, 1.5, True, "3"])
def test_horizon_must_be_a_whole_number_of_days(horizon: object) -> None:
    with pytest.raises(ValidationError, match="horizon_days must be a whole number >= 0"):
        agenda([], policy(), d("2026-02-01"), horizon_days=horizon)


# --- properties -----------------------------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=400), BASE + dt.timedelta(days=400))
"""The dates drawn: within 400 days of ``BASE``."""
TERMS = st.integers(-10, 90)
"""The items' payment terms: due up to 10 days before their issue, up to 90 days after."""

on_dates = st.integers(min_value=-30, max_value=500).map(lambda n: BASE + dt.timedelta(days=n))


@st.composite
def portfolios(draw: st.DrawFn) -> list[Account]:
    count = draw(st.integers(0, 6))
    return [
        draw(accounts(id=f"C-{number}", issue_dates=NEAR_BASE, payment_terms=TERMS))
        for number in range(count)
    ]


def _order(row: AgendaEntry) -> tuple[object, ...]:
    return (row.due_on, row.currency, -row.amount, row.account_id)


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates)
def test_scenario_rows_keep_no_copies(portfolio, pol, on) -> None:
    # SPEC 8, the rows stay small: the scenario rows (and reviews of completed scenarios)
    # of one due date share that date; a row of one item keeps that item's amount itself.
    by_id = {acc.id: acc for acc in portfolio}
    first_of: dict[dt.date, dt.date] = {}
    for row in agenda(portfolio, pol, on):
        if row.action_id is not None or row.name == REVIEW_DISPUTE:
            continue
        assert row.due_on is first_of.setdefault(row.due_on, row.due_on)
        if len(row.item_ids) == 1:
            (item_id,) = row.item_ids
            assert row.amount is by_id[row.account_id].item(item_id).open_amount


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates)
def test_agenda_is_every_accounts_due_actions_in_order(portfolio, pol, on) -> None:
    rows = agenda(portfolio, pol, on)
    expected = [row for acc in portfolio for row in due_actions(acc, pol, on)]
    assert sorted(rows, key=_order) == list(rows)
    assert sorted(rows, key=repr) == sorted(expected, key=repr)


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates, st.data())
def test_agenda_does_not_depend_on_the_order_of_accounts(portfolio, pol, on, data) -> None:
    shuffled = data.draw(st.permutations(portfolio))
    assert agenda(shuffled, pol, on) == agenda(portfolio, pol, on)
    # In id order, the accounts' rows need no sort by account id: the same agenda.
    by_id = sorted(portfolio, key=lambda account: account.id)
    assert (
        agenda(by_id, pol, on)
        == agenda(portfolio, pol, on)
        == sort_agenda(row for account in shuffled for row in due_actions(account, pol, on))
    )


@given(
    portfolios(),
    policies(min_steps=1, with_default=True),
    on_dates,
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_a_longer_horizon_only_adds_rows(portfolio, pol, on, short, extra) -> None:
    near = set(agenda(portfolio, pol, on, short))
    far = set(agenda(portfolio, pol, on, short + extra))
    assert near <= far
    for row in far:
        assert row.due_on <= on + dt.timedelta(days=short + extra)
        assert row.late_days == max(0, (on - row.due_on).days)


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates)
def test_scenario_rows_match_next_action(portfolio, pol, on) -> None:
    snapshot = [(acc, hash(acc)) for acc in portfolio]
    rows = {
        row.account_id: row for row in agenda(portfolio, pol, on) if row.kind is EntryKind.SCENARIO
    }
    for acc in portfolio:
        proposal = next_action(acc, pol, on)
        if proposal is None or proposal.due_on > on:
            assert acc.id not in rows
        else:
            row = rows[acc.id]
            assert (row.due_on, row.step_index, row.item_ids, row.amount) == (
                proposal.due_on,
                proposal.step_index,
                proposal.item_ids,
                proposal.balance,
            )
            assert (row.automatic, row.needs_confirmation) == (
                proposal.automatic,
                proposal.needs_confirmation,
            )
    assert snapshot == [(acc, hash(acc)) for acc in portfolio]


@given(portfolios(), policies(with_default=True), on_dates)
def test_specific_rows_never_name_closed_items(portfolio, pol, on) -> None:
    for row in agenda(portfolio, pol, on):
        acc = next(a for a in portfolio if a.id == row.account_id)
        for item_id in row.item_ids:
            assert acc.item(item_id).is_open
        assert row.amount == sum(acc.item(i).open_amount for i in row.item_ids)
        if row.kind is EntryKind.SPECIFIC:
            assert attrs.evolve(acc.action(row.action_id)).is_open


def test_agenda_and_due_actions_need_a_date() -> None:
    with pytest.raises(ValidationError, match="agenda: on must be a date"):
        agenda([], policy(), "2026-02-01")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="due_actions: on must be a date"):
        due_actions(account(), policy(), None)  # type: ignore[arg-type]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C-1", "C-2", "C-3"]),
            st.sampled_from([d("2026-03-01"), d("2026-03-02")]),
            st.sampled_from(["EUR", "JPY"]),
            st.sampled_from([Decimal(5), Decimal(7), Decimal("7.00")]),
            st.integers(0, 3),
        ),
        max_size=30,
    )
)
def test_sort_agenda_is_a_stable_sort_on_the_documented_key(cells) -> None:
    rows = [
        AgendaEntry(account_id=account_id, collector=None, due_on=due, late_days=0,
                    kind=EntryKind.SPECIFIC, channel=Channel.CALL, name=f"row {n}",
                    item_ids=frozenset({"F"}), amount=amount, automatic=False,
                    needs_confirmation=False, action_id=f"A{n}", step_index=None,
                    currency=currency)
        for n, (account_id, due, currency, amount, _x) in enumerate(cells)
    ]  # fmt: skip
    assert list(sort_agenda(rows)) == sorted(rows, key=_order)
