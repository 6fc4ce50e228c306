"""The portfolio reports (SPEC section 8): examples with written-out numbers, then properties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import reduce
from operator import add
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    Account,
    ActionState,
    ActionTemplate,
    AgedBalance,
    Channel,
    DisputeResolutionTime,
    Item,
    ItemKind,
    OverdueRatio,
    Policy,
    QualificationRate,
    RuleViolation,
    SalesPeriod,
    SpecificAction,
    Status,
    StatusApplied,
    StatusCategory,
    Tally,
    UnknownStatusError,
    ValidationError,
    aged_balance,
    balance,
    dispute_resolution_time,
    dso,
    overdue_ratio,
    qualification_rate,
)
from collectlib.strategies import accounts, dates, portfolios

ON = dt.date(2026, 4, 30)
D = Decimal

STATUS_CODES = ("call", "promise", "price", "court", "settled")
"""The status codes of ``report_policy()``: ongoing, promise, dispute, litigation, resolved."""


def report_policy() -> Policy:
    """A policy whose statuses cover every category the reports read."""
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


def late(days: int) -> dt.date:
    """The due date of an item ``days`` late on ``ON`` (negative: not yet due)."""
    return ON - dt.timedelta(days=days)


def item(
    item_id: str, days_late: int, open_amount: int | str, *, status: str | None = None
) -> Item:
    """An item: a credit note when the amount is negative, else an invoice (closed at 0)."""
    amount = D(open_amount)
    return Item(
        id=item_id,
        kind=ItemKind.CREDIT_NOTE if amount < 0 else ItemKind.INVOICE,
        issue_date=late(days_late),
        due_date=late(days_late),
        amount=amount if amount else D(1),
        open_amount=amount,
        status=status,
    )


class ReadOnce(Iterator[Account]):
    """An iterator of accounts that fails if anybody reads it again after its end."""

    def __init__(self, accounts: Iterable[Account]) -> None:
        self._accounts = iter(accounts)
        self.done = False

    def __next__(self) -> Account:
        if self.done:
            raise AssertionError("the accounts were read twice")
        try:
            return next(self._accounts)
        except StopIteration:
            self.done = True
            raise


# -- qualification rate -------------------------------------------------------------------


def qualified_portfolio() -> list[Account]:
    return [
        Account(
            id="C-1",
            collector="ana",
            items=[
                item("F-1", 40, 300, status="promise"),
                item("F-2", 10, 100),
                item("F-3", 0, 500, status="call"),  # due today: not overdue
                item("AV-1", 40, -50, status="call"),  # a credit is never overdue
            ],
        ),
        Account(
            id="C-2",
            items=[
                item("F-4", 95, 200, status="price"),
                item("F-5", 95, 0, status="promise"),  # closed
            ],
        ),
    ]


def test_qualification_rate_counts_overdue_debits_carrying_a_status() -> None:
    report = qualification_rate(qualified_portfolio(), ON)
    assert (report.overdue_count, report.overdue_amount) == (3, D(600))
    assert (report.qualified_count, report.qualified_amount) == (2, D(500))
    assert report.rate_by_count == 2 / 3
    assert report.rate_by_amount == 500 / 600
    assert report.by_status == {
        "price": Tally(count=1, amount=D(200)),
        "promise": Tally(count=1, amount=D(300)),
    }
    assert report.currency == "EUR"


def test_qualification_rate_by_collector_restricts_to_their_accounts() -> None:
    by_collector = qualification_rate(qualified_portfolio(), ON).by_collector
    assert list(by_collector) == ["ana", None]
    ana, nobody = by_collector["ana"], by_collector[None]
    assert (ana.overdue_count, ana.overdue_amount, ana.qualified_amount) == (2, D(400), D(300))
    assert ana.rate_by_amount == 0.75
    assert (nobody.overdue_count, nobody.rate_by_count) == (1, 1.0)


def test_qualification_rate_rows_are_one_per_collector_and_status() -> None:
    rows = qualification_rate(qualified_portfolio(), ON).rows()
    assert [(r["collector"], r["status"], r["count"], r["amount"]) for r in rows] == [
        ("ana", "promise", 1, D(300)),
        ("ana", None, 1, D(100)),
        (None, "price", 1, D(200)),
    ]
    assert {(r["on"], r["currency"]) for r in rows} == {(ON, "EUR")}


def test_qualification_rate_rows_sort_collectors_then_statuses_by_name() -> None:
    # Read in the order zoe (promise, call), adam (price): rows come out by name.
    accounts = [
        Account(
            id="C-1",
            collector="zoe",
            items=[item("F-1", 40, 10, status="promise"), item("F-2", 40, 20, status="call")],
        ),
        Account(id="C-2", collector="adam", items=[item("F-3", 40, 30, status="price")]),
    ]
    rows = qualification_rate(accounts, ON).rows()
    assert [(r["collector"], r["status"]) for r in rows] == [
        ("adam", "price"),
        ("zoe", "call"),
        ("zoe", "promise"),
    ]


def test_qualification_rate_of_an_empty_portfolio_is_none() -> None:
    report = qualification_rate([], ON)
    assert (report.overdue_count, report.overdue_amount, report.qualified_count) == (0, 0, 0)
    assert (report.rate_by_count, report.rate_by_amount) == (None, None)
    assert (report.rows(), report.currency) == ([], None)


def test_qualification_rate_is_none_when_nothing_is_overdue() -> None:
    accounts = [Account(id="C-1", items=[item("F-1", 0, 100, status="call")])]
    assert qualification_rate(accounts, ON).rate_by_amount is None


# -- aged balance -------------------------------------------------------------------------


def test_aged_balance_edges_are_inclusive_as_written() -> None:
    account = Account(
        id="C-1",
        items=[
            item("due-later", -10, 1),
            item("due-today", 0, 2),
            item("late-1", 1, 4),
            item("late-30", 30, 8),
            item("late-31", 31, 16),
            item("late-60", 60, 32),
            item("late-61", 61, 64),
            item("late-90", 90, 128),
            item("late-91", 91, 256),
            item("late-400", 400, 512),
        ],
    )
    report = aged_balance([account], ON)
    expected = {"not_due": 3, "1-30": 12, "31-60": 48, "61-90": 192, "91+": 768}
    assert report.total == expected
    assert list(report.total) == list(expected) == list(report.labels)
    assert report.by_account["C-1"] == expected
    assert report.balance == D(1023)


def test_aged_balance_shows_credits_apart_from_debits() -> None:
    account = Account(id="C-1", items=[item("F-1", 45, 250), item("AV-1", 40, "-50.00")])
    report = aged_balance([account], ON)
    assert report.total["31-60"] == D("200.00")
    assert report.credits["31-60"] == D("-50.00")
    assert report.credits_by_account["C-1"]["31-60"] == D("-50.00")
    assert report.total["31-60"] - report.credits["31-60"] == D(250)  # the debits
    row = next(r for r in report.rows() if r["bucket"] == "31-60")
    assert row == {
        "on": ON,
        "currency": "EUR",
        "account_id": "C-1",
        "bucket": "31-60",
        "balance": D("200.00"),
        "debits": D("250.00"),
        "credits": D("-50.00"),
    }


def test_aged_balance_counts_excluded_and_ignored_items() -> None:
    account = Account(
        id="C-1",
        items=[item("F-1", 45, 250), item("F-2", 5, 3)],
        actions=[
            SpecificAction(
                id="A1",
                name="dispute follow-up",
                channel=Channel.CALL,
                item_ids={"F-1"},
                due_on=ON,
                created_on=ON,
                state=ActionState.OPEN,
            )
        ],
    )
    assert aged_balance([account], ON).balance == D(253)
    assert balance(account, Policy(ignore_below=5)) == 0  # the scenario's balance differs


def test_aged_balance_takes_custom_bucket_edges() -> None:
    account = Account(
        id="C-1", items=[item("F-1", 15, 10), item("F-2", 16, 20), item("F-3", 46, 40)]
    )
    report = aged_balance([account], ON, buckets=[15, 45])
    assert report.total == {"not_due": 0, "1-15": 10, "16-45": 20, "46+": 40}
    assert aged_balance([account], ON, buckets=()).total == {"not_due": 0, "1+": 70}
    # The smallest edge is 1 day late.
    assert aged_balance([], ON, buckets=(1, 2)).labels == ("not_due", "1-1", "2-2", "3+")


@pytest.mark.parametrize(
    ("buckets", "message"),
    [
        ((60, 30), "aged_balance: bucket edges must increase, not 60 then 30 in (60, 30)"),
        ((30, 30), "aged_balance: bucket edges must increase, not 30 then 30 in (30, 30)"),
        ((0, 30), "aged_balance: buckets must be whole numbers of days late above 0, not (0, 30)"),
        ((30.0,), "aged_balance: buckets must be whole numbers of days late above 0, not (30.0,)"),
        (30, "aged_balance: buckets must be whole numbers of days late above 0, not 30"),
    ],
)
def test_aged_balance_rejects_bad_bucket_edges(buckets: Any, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        aged_balance([], ON, buckets=buckets)
    assert str(raised.value) == message


def test_aged_balance_rejects_an_account_seen_twice() -> None:
    account = Account(id="C-1", items=[item("F-1", 5, 10)])
    with pytest.raises(ValidationError, match="aged_balance: account 'C-1' appears twice"):
        aged_balance([account, account], ON)
    report = aged_balance([account], ON)
    with pytest.raises(ValidationError, match="aged balance: account 'C-1' is in both reports"):
        report.merge(report)


def test_aged_balance_of_an_empty_portfolio_is_all_zero() -> None:
    report = aged_balance([], ON)
    assert report.total == dict.fromkeys(("not_due", "1-30", "31-60", "61-90", "91+"), 0)
    assert (report.balance, report.rows(), report.currency) == (0, [], None)


# -- overdue ratio ------------------------------------------------------------------------


def test_overdue_ratio_is_the_overdue_share_of_open_debits() -> None:
    account = Account(
        id="C-1",
        items=[item("F-1", 45, 600), item("F-2", 0, 400), item("AV-1", 45, -300)],
    )
    assert overdue_ratio([account], ON).ratio == 0.6
    report = overdue_ratio([account], ON, beyond=30)
    assert (report.receivables, report.overdue, report.ratio) == (D(1000), D(600), 0.6)
    assert overdue_ratio([account], ON, beyond=45).ratio == 0.0
    assert report.rows() == [
        {
            "on": ON,
            "currency": "EUR",
            "beyond": 30,
            "receivables": D(1000),
            "overdue": D(600),
            "ratio": 0.6,
        }
    ]


def test_overdue_ratio_of_nothing_receivable_is_none() -> None:
    assert overdue_ratio([], ON).ratio is None
    assert overdue_ratio([Account(id="C-1", items=[item("AV-1", 9, -5)])], ON).ratio is None


def test_overdue_ratio_rejects_a_negative_threshold() -> None:
    with pytest.raises(ValidationError, match="overdue_ratio: beyond must be at least 0, not -1"):
        overdue_ratio([], ON, beyond=-1)


# -- dispute resolution time --------------------------------------------------------------


def applied(day: str, status: str | None, *item_ids: str) -> StatusApplied:
    return StatusApplied(on=dt.date.fromisoformat(day), item_ids=item_ids, status=status)


def disputed_account(journal: list[StatusApplied]) -> Account:
    return Account(
        id="C-1",
        items=[item(item_id, 50, 100) for item_id in ("F-1", "F-2", "F-3", "F-4")],
        journal=journal,
    )


def test_dispute_resolution_time_runs_from_a_dispute_to_the_next_status() -> None:
    account = disputed_account(
        [
            applied("2026-02-01", "price", "F-1", "F-4"),
            applied("2026-02-05", "price", "F-2"),
            applied("2026-02-07", None, "F-2"),  # cleared: 2 days
            applied("2026-02-10", "court", "F-1"),  # litigation continues the dispute
            applied("2026-02-20", "price", "F-3"),  # still open on 2026-03-15
            applied("2026-03-03", "settled", "F-1"),  # 30 days from 2026-02-01
            applied("2026-03-04", "call", "F-2"),  # F-2 is no longer in dispute
            applied("2026-04-01", "settled", "F-4"),  # after the report date
        ]
    )
    report = dispute_resolution_time([account], report_policy(), dt.date(2026, 3, 15))
    assert (report.resolved, report.days, report.open) == (2, 32, 2)
    assert report.average_days == 16.0
    assert report.rows() == [
        {"on": dt.date(2026, 3, 15), "resolved": 2, "days": 32, "open": 2, "average_days": 16.0}
    ]


def test_dispute_resolution_time_without_resolved_dispute_is_none() -> None:
    account = disputed_account([applied("2026-02-01", "price", "F-1")])
    report = dispute_resolution_time([account], report_policy(), ON)
    assert (report.resolved, report.open, report.average_days) == (0, 1, None)
    assert dispute_resolution_time([], report_policy(), ON).average_days is None


def test_dispute_resolution_times_add_up_when_merged() -> None:
    first = DisputeResolutionTime(on=ON, resolved=1, days=12, open=2)
    second = DisputeResolutionTime(on=ON, resolved=2, days=3, open=1)
    assert first + second == DisputeResolutionTime(on=ON, resolved=3, days=15, open=3)
    assert (first + second).average_days == 5.0


def test_dispute_resolution_time_names_an_unknown_status() -> None:
    account = disputed_account([applied("2026-02-01", "lost", "F-1")])
    with pytest.raises(UnknownStatusError) as raised:
        dispute_resolution_time([account], report_policy(), ON)
    assert str(raised.value) == "account 'C-1': journal: policy: no status 'lost'"


# -- DSO ----------------------------------------------------------------------------------


def test_count_back_dso_matches_the_published_example() -> None:
    # https://support.benjipays.com/support/solutions/articles/150000179580-mastering-dso-calculation-the-count-back-method-explained
    # Receivables 212,000; monthly sales 70,000, 80,000, 100,000 (30-day months):
    # 30 + 30 + 32,000 / 70,000 x 30 = 73.7 days.
    months = [SalesPeriod(days=30, sales=sales) for sales in (70_000, 80_000, 100_000)]
    report = dso(212_000, months)
    assert report.count_back == 516 / 7  # 73.714...
    assert round(report.count_back, 1) == 73.7
    assert report.standard == 212_000 / 250_000 * 90  # 76.32
    assert (report.sales, report.days) == (D(250_000), 90)


def test_standard_dso_matches_the_published_example() -> None:
    # https://trymesha.com/blog/the-2-dso-calculation-formulas-simple-vs-countback-method-explained/
    # (150,000 / 1,800,000) x 365 = 30.4 days.
    report = dso(150_000, [SalesPeriod(days=365, sales=1_800_000)])
    assert report.standard == 365 / 12
    assert round(report.standard, 1) == 30.4


def test_count_back_uses_calendar_months() -> None:
    months = [
        SalesPeriod.month(2026, 1, 700_000),
        SalesPeriod.month(2026, 2, 800_000),
        SalesPeriod.month(2026, 3, 900_000),
    ]
    assert [m.days for m in months] == [31, 28, 31]
    assert dso(2_100_000, months).count_back == 31 + 28 + 400_000 / 700_000 * 31  # 76.71


def test_count_back_splits_current_and_overdue_dso() -> None:
    months = [SalesPeriod(days=30, sales=sales) for sales in (70_000, 80_000, 100_000)]
    report = dso(212_000, months, overdue_receivables=32_000)
    assert report.current == 30 + 30 == 60.0  # 180,000 not yet due: two months of sales
    assert report.overdue == 96 / 7  # 73.71 - 60
    partial = dso(212_000, months, overdue_receivables=132_000)
    assert partial.current == 30 * 80_000 / 100_000 == 24.0
    assert partial.rows()[0]["overdue_receivables"] == D(132_000)


def test_count_back_is_none_beyond_the_history_given() -> None:
    report = dso(300, [SalesPeriod(days=30, sales=100), SalesPeriod(days=31, sales=100)])
    assert (report.count_back, report.overdue) == (None, None)
    assert report.standard == 300 / 200 * 61


def test_dso_with_zero_sales() -> None:
    no_sales = [SalesPeriod(days=30, sales=0)]
    report = dso(100, no_sales)
    assert (report.standard, report.count_back) == (None, None)
    assert dso(0, no_sales).count_back == 0.0
    # A month without sales counts whole: the receivables are older.
    months = [SalesPeriod(days=31, sales=100), SalesPeriod(days=30, sales=0)]
    assert dso(50, months).count_back == 30 + 15.5


@pytest.mark.parametrize(
    ("receivables", "sales", "overdue", "message"),
    [
        (-1, [SalesPeriod(days=30, sales=1)], 0, "dso: receivables must be at least 0, not -1"),
        (
            10,
            [SalesPeriod(days=30, sales=1)],
            11,
            "dso: overdue_receivables 11 exceed receivables 10",
        ),
        (10, [], 0, "dso: sales must hold at least one period"),
        (10, [(30, 100)], 0, "dso: sales[0] must be a SalesPeriod, not (30, 100)"),
        ("ten", [SalesPeriod(days=30, sales=1)], 0, "dso: receivables: not an amount: 'ten'"),
    ],
)
def test_dso_rejects_bad_input(receivables: Any, sales: Any, overdue: Any, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        dso(receivables, sales, overdue_receivables=overdue)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SalesPeriod(days=0, sales=1), "sales period: days must be at least 1, not 0"),
        (
            lambda: SalesPeriod(days=30, sales=-1, label="2026-01"),
            "sales period '2026-01': sales must be at least 0, not -1",
        ),
        (lambda: SalesPeriod.month(2026, 13, 1), "sales period: month must be 1 to 12, not 13"),
        (lambda: SalesPeriod.month(0, 1, 1), "sales period: year must be 1 to 9999, not 0"),
        (
            lambda: SalesPeriod(days=30, sales=1, label=7),
            "sales period 7: label must be a string, not 7",
        ),
        (
            lambda: SalesPeriod(days=30, sales=D("1E+30")),
            "sales period: sales: out of range: at most 30 digits before the decimal point "
            "and 18 after: 1E+30",
        ),
    ],
)
def test_sales_period_rejects_bad_values(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        make()
    assert str(raised.value) == message


def test_sales_period_of_a_month_has_its_length_and_label() -> None:
    assert SalesPeriod.month(2026, 12, 5) == SalesPeriod(days=31, sales=5, label="2026-12")
    assert SalesPeriod.month(9999, 2, 0) == SalesPeriod(days=28, sales=0, label="9999-02")
    # The sales of a period are a total: 30 digits before the point, not 18.
    assert SalesPeriod(days=30, sales=D("1E+20")).sales == D("1E+20")


# -- what all the portfolio reports share -------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=400), BASE + dt.timedelta(days=400))
"""The dates drawn: within 400 days of ``BASE``."""
_REPORT_ACCOUNT_OPTIONS: dict[str, Any] = {
    "policy": report_policy(),
    "issue_dates": NEAR_BASE,
    "payment_terms": st.integers(-10, 90),
    "with_journal": True,
}
REPORT_ACCOUNTS = accounts(**_REPORT_ACCOUNT_OPTIONS)
"""An account for the reports: items issued near ``BASE``, qualified with ``STATUS_CODES``,
a collector or none, a journal of status changes."""
PORTFOLIOS = portfolios(max_size=6, **_REPORT_ACCOUNT_OPTIONS)
"""Report accounts with unique ids, in one currency."""
CURRENCIES = ("EUR", "JPY", "KWD")
MIXED_PORTFOLIOS = portfolios(
    max_size=6, currency=st.sampled_from(CURRENCIES), **_REPORT_ACCOUNT_OPTIONS
)
"""Report accounts with unique ids, in EUR, JPY and KWD."""

WHAT = {
    QualificationRate: "qualification rate",
    AgedBalance: "aged balance",
    OverdueRatio: "overdue ratio",
    DisputeResolutionTime: "dispute resolution time",
}
"""How the error messages name each report."""

REPORTS: dict[str, Callable[[Iterable[Account], dt.date], Any]] = {
    "qualification_rate": qualification_rate,
    "aged_balance": aged_balance,
    "aged_balance_15_45": lambda accounts, on: aged_balance(accounts, on, buckets=(15, 45)),
    "overdue_ratio": overdue_ratio,
    "overdue_ratio_beyond_60": lambda accounts, on: overdue_ratio(accounts, on, beyond=60),
    "dispute_resolution_time": lambda accounts, on: dispute_resolution_time(
        accounts, report_policy(), on
    ),
}
report_names = st.sampled_from(sorted(REPORTS))


# -- accounts in several currencies: one figure per currency (SPEC 8) ---------------------


def eur_jpy_kwd() -> list[Account]:
    """Ana's euro and yen customers and an unassigned Kuwaiti one, on ``ON``."""
    return [
        Account(id="C-1", collector="ana", items=[
            item("F-1", 10, "1200.00", status="promise"), item("F-2", -5, "300.00"),
            item("AV-1", 40, "-50.00")]),
        Account(id="C-2", currency="JPY", collector="ana", items=[
            item("F-7", 45, 120_000), item("F-8", 95, 30_000, status="price")]),
        Account(id="C-3", currency="KWD", items=[item("F-9", 5, "1200.125")]),
    ]  # fmt: skip


def test_aged_balance_keeps_a_total_per_currency() -> None:
    report = aged_balance(eur_jpy_kwd(), ON)
    assert report.currency is None
    assert report.currencies == ("EUR", "JPY", "KWD")
    zero = dict.fromkeys(report.labels, D(0))
    assert report.for_currency("EUR").total == {
        **zero, "not_due": D("300.00"), "1-30": D("1200.00"), "31-60": D("-50.00")}  # fmt: skip
    assert report.for_currency("EUR").credits == {**zero, "31-60": D("-50.00")}
    assert report.for_currency("EUR").balance == D("1450.00")
    assert report.by_currency["JPY"].total == {**zero, "31-60": D(120_000), "91+": D(30_000)}
    assert report.by_currency["KWD"].balance == D("1200.125")
    assert report.by_account["C-2"] == report.by_currency["JPY"].total  # in its own currency
    assert [(r["account_id"], r["currency"]) for r in report.rows() if r["bucket"] == "1-30"] == [
        ("C-1", "EUR"), ("C-2", "JPY"), ("C-3", "KWD")]  # fmt: skip
    for figure in ("total", "credits", "balance"):
        with pytest.raises(RuleViolation) as raised:
            getattr(report, figure)
        assert str(raised.value) == (
            "aged balance: the accounts are in EUR, JPY and KWD, and amounts of two "
            f"currencies are never added: read {figure} in each, e.g. "
            f"report.for_currency('EUR').{figure}"
        )


def test_qualification_rate_counts_across_currencies_and_adds_amounts_within_one() -> None:
    report = qualification_rate(eur_jpy_kwd(), ON)
    assert (report.overdue_count, report.qualified_count, report.rate_by_count) == (4, 2, 0.5)
    euros, yen = report.for_currency("EUR"), report.for_currency("JPY")
    assert (euros.overdue_amount, euros.qualified_amount, euros.rate_by_amount) == (
        D("1200.00"), D("1200.00"), 1.0)  # fmt: skip
    assert (yen.overdue_amount, yen.qualified_amount, yen.rate_by_amount) == (
        D(150_000), D(30_000), 0.2)  # fmt: skip
    assert yen.by_status == {"price": Tally(count=1, amount=D(30_000))}
    assert report.for_currency("KWD").rate_by_amount == 0.0
    ana = report.by_collector["ana"]
    assert ana.currencies == ("EUR", "JPY")
    assert ana.overdue_count == 3
    assert report.by_collector[None] == report.for_currency("KWD")
    assert list(report.by_collector) == ["ana", None]
    assert [(r["currency"], r["status"], r["amount"]) for r in report.rows()] == [
        ("EUR", "promise", D("1200.00")), ("JPY", "price", D(30_000)),
        ("JPY", None, D(120_000)), ("KWD", None, D("1200.125"))]  # fmt: skip
    for figure in ("cells", "overdue_amount", "qualified_amount", "rate_by_amount", "by_status"):
        with pytest.raises(RuleViolation, match=f"never added: read {figure} in each"):
            getattr(report, figure)


def test_overdue_ratio_is_a_ratio_per_currency() -> None:
    report = overdue_ratio(eur_jpy_kwd(), ON)
    assert [(r["currency"], r["receivables"], r["overdue"], r["ratio"]) for r in report.rows()] == [
        ("EUR", D("1500.00"), D("1200.00"), 0.8), ("JPY", D(150_000), D(150_000), 1.0),
        ("KWD", D("1200.125"), D("1200.125"), 1.0)]  # fmt: skip
    beyond_30 = overdue_ratio(eur_jpy_kwd(), ON, beyond=30)
    assert [(c, part.ratio) for c, part in beyond_30.by_currency.items()] == [
        ("EUR", 0.0), ("JPY", 1.0), ("KWD", 0.0)]  # fmt: skip
    for figure in ("receivables", "overdue", "ratio"):
        with pytest.raises(RuleViolation, match=f"read {figure} in each"):
            getattr(report, figure)


def test_dispute_resolution_time_counts_days_whatever_the_currency() -> None:
    euros, yen, dinars = eur_jpy_kwd()
    euros = attrs.evolve(euros, journal=[
        StatusApplied(on=dt.date(2026, 2, 1), item_ids={"F-1"}, status="price"),
        StatusApplied(on=dt.date(2026, 2, 21), item_ids={"F-1"}, status="settled")])  # fmt: skip
    yen = attrs.evolve(yen, journal=[
        StatusApplied(on=dt.date(2026, 3, 1), item_ids={"F-7"}, status="price"),
        StatusApplied(on=dt.date(2026, 3, 11), item_ids={"F-7"}, status="settled")])  # fmt: skip
    report = dispute_resolution_time([euros, yen, dinars], report_policy(), ON)
    assert (report.resolved, report.days, report.average_days) == (2, 30, 15.0)


def test_a_report_for_a_currency_it_does_not_hold_is_empty() -> None:
    report = aged_balance(eur_jpy_kwd(), ON)
    usd = report.for_currency("USD")
    assert (usd.currency, usd.balance, usd.by_account) == ("USD", 0, {})
    assert overdue_ratio([], ON).for_currency("JPY") == OverdueRatio(on=ON, currency="JPY")
    assert qualification_rate([], ON).currencies == ()
    with pytest.raises(ValidationError, match=r"^for_currency: currency must be an ISO 4217"):
        report.for_currency("XYZ")


def test_a_one_currency_report_is_its_own_only_part() -> None:
    euros = aged_balance(eur_jpy_kwd()[:1], ON)
    assert euros.currency == "EUR"
    assert euros.parts == {}
    assert euros.by_currency == {"EUR": euros}
    assert euros.for_currency("EUR") is euros
    assert euros.total["1-30"] == D("1200.00")


def test_reports_in_two_currencies_merge_into_one_per_currency() -> None:
    euros, yen, dinars = ([account] for account in eur_jpy_kwd())
    for name in ("qualification_rate", "aged_balance", "overdue_ratio"):
        report = REPORTS[name]
        merged = report(euros, ON) + report(yen, ON) + report(dinars, ON) + report([], ON)
        assert merged == report(eur_jpy_kwd(), ON)
        assert merged.for_currency("JPY") == report(yen, ON)
    with pytest.raises(ValidationError, match="account 'C-2' is in both reports"):
        aged_balance(eur_jpy_kwd(), ON) + aged_balance(yen, ON)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: OverdueRatio(on=ON, currency="XYZ"), "currency must be an ISO 4217 code"),
        (
            lambda: OverdueRatio(on=ON, parts={"EUR": OverdueRatio(on=ON, currency="EUR")}),
            "parts are for a report in two currencies or more, with currency None",
        ),
        (
            lambda: QualificationRate(
                on=ON,
                parts={
                    "EUR": QualificationRate(on=ON, currency="EUR"),
                    "JPY": QualificationRate(on=ON, currency="EUR"),
                },
            ),
            r"parts\['JPY'\] must be its JPY report",
        ),
        (
            lambda: OverdueRatio(
                on=ON,
                parts={
                    "EUR": OverdueRatio(on=ON, currency="EUR", beyond=30),
                    "JPY": OverdueRatio(on=ON, currency="JPY", beyond=30),
                },
            ),
            "cannot merge reports whose beyond differ: 0 and 30",
        ),
        (lambda: OverdueRatio(on=ON, parts=[1]), "parts must be a mapping currency -> report"),
    ],
)
def test_a_report_record_checks_its_currencies(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        make()


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_reports_of_different_dates_do_not_merge(name: str) -> None:
    report = REPORTS[name]([], ON)
    with pytest.raises(ValidationError) as raised:
        report.merge(REPORTS[name]([], BASE))
    assert str(raised.value) == (
        f"{WHAT[type(report)]}: cannot merge reports whose on differ: 2026-04-30 and 2026-01-01"
    )
    with pytest.raises(TypeError):
        report + 1


def test_reports_with_different_parameters_do_not_merge() -> None:
    with pytest.raises(ValidationError, match=r"buckets differ: \(30, 60, 90\) and \(15, 45\)"):
        aged_balance([], ON) + aged_balance([], ON, buckets=(15, 45))
    with pytest.raises(ValidationError, match="beyond differ: 0 and 60"):
        overdue_ratio([], ON) + overdue_ratio([], ON, beyond=60)


@given(report_names, MIXED_PORTFOLIOS, NEAR_BASE, st.data())
def test_reports_over_a_concatenation_are_the_merge_of_the_parts(
    name: str, accounts: list[Account], on: dt.date, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(accounts)))
    report = REPORTS[name]
    whole, first, second = (
        report(accounts, on),
        report(accounts[:cut], on),
        report(accounts[cut:], on),
    )
    assert first.merge(second) == whole
    assert first + second == whole
    assert (first + second).rows() == whole.rows()


@given(report_names, MIXED_PORTFOLIOS, NEAR_BASE)
def test_reports_read_any_iterable_once(name: str, accounts: list[Account], on: dt.date) -> None:
    once = ReadOnce(accounts)
    assert REPORTS[name](once, on) == REPORTS[name](accounts, on)
    assert once.done
    assert REPORTS[name]((account for account in accounts), on) == REPORTS[name](accounts, on)


@given(report_names, MIXED_PORTFOLIOS, NEAR_BASE)
def test_report_rows_are_plain_dicts(name: str, accounts: list[Account], on: dt.date) -> None:
    for row in REPORTS[name](accounts, on).rows():
        assert type(row) is dict
        assert all(isinstance(key, str) for key in row)
        assert all(
            value is None or isinstance(value, str | int | float | Decimal | dt.date)
            for value in row.values()
        )


CURRENCY_REPORTS = sorted(name for name in REPORTS if not name.startswith("dispute"))


@given(st.sampled_from(CURRENCY_REPORTS), MIXED_PORTFOLIOS, NEAR_BASE)
def test_each_currency_s_figures_are_the_report_on_its_accounts_alone(
    name: str, accounts: list[Account], on: dt.date
) -> None:
    report = REPORTS[name](accounts, on)
    held = sorted({account.currency for account in accounts})
    assert list(report.currencies) == held
    assert report.currency == (held[0] if len(held) == 1 else None)
    for currency in CURRENCIES:
        alone = REPORTS[name]([a for a in accounts if a.currency == currency], on)
        assert report.for_currency(currency) == (
            alone if currency in held else alone._empty(currency)
        )
    for row in report.rows():
        assert row["currency"] in held or (row["currency"] is None and not held)
    if held:
        assert [row for c in held for row in report.by_currency[c].rows()] == report.rows()


@given(MIXED_PORTFOLIOS, NEAR_BASE)
def test_counts_add_up_across_currencies(accounts: list[Account], on: dt.date) -> None:
    report = qualification_rate(accounts, on)
    parts = report.by_currency.values()
    assert report.overdue_count == sum(part.overdue_count for part in parts)
    assert report.qualified_count == sum(part.qualified_count for part in parts)
    for currency in report.currencies:
        own = (rate.for_currency(currency) for rate in report.by_collector.values())
        empty = QualificationRate(on=on, currency=currency)
        assert reduce(add, own, empty) == report.for_currency(currency)


@given(MIXED_PORTFOLIOS, NEAR_BASE)
def test_aged_balance_by_account_is_in_each_account_s_currency(
    accounts: list[Account], on: dt.date
) -> None:
    report = aged_balance(accounts, on)
    assert sorted(report.by_account) == sorted(account.id for account in accounts)
    for account in accounts:
        own = report.for_currency(account.currency)
        assert report.by_account[account.id] == own.by_account[account.id]
        assert sum(report.by_account[account.id].values(), D(0)) == sum(
            open_amounts([account]), D(0)
        )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: QualificationRate(on=None), "qualification rate: on must be a date, not None"),
        (lambda: OverdueRatio(on="2026"), "overdue ratio: on must be a date, not '2026'"),
        (
            lambda: OverdueRatio(on=ON, beyond=-1),
            "overdue ratio: beyond must be at least 0, not -1",
        ),
        (
            lambda: DisputeResolutionTime(on=None),
            "dispute resolution time: on must be a date, not None",
        ),
        (
            lambda: AgedBalance(on=None, buckets=(30,), total={}, credits={}),
            "aged balance: on must be a date, not None",
        ),
        (
            lambda: AgedBalance(on=ON, buckets=(0,), total={}, credits={}),
            "aged balance: buckets must be whole numbers of days late above 0, not (0,)",
        ),
    ],
)
def test_a_report_built_by_hand_checks_its_fields(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        make()
    assert str(raised.value) == message


# -- properties of each report ------------------------------------------------------------


def open_amounts(accounts: Iterable[Account]) -> list[Decimal]:
    return [item.open_amount for account in accounts for item in account.items if item.is_open]


@given(PORTFOLIOS, NEAR_BASE)
def test_qualification_rate_is_a_share(accounts: list[Account], on: dt.date) -> None:
    report = qualification_rate(accounts, on)
    overdue = [i for a in accounts for i in a.items if i.is_overdue(on)]
    assert report.overdue_count == len(overdue)
    assert report.overdue_amount == sum((i.open_amount for i in overdue), D(0))
    assert report.qualified_count == sum(1 for i in overdue if i.status is not None)
    assert 0 <= report.qualified_amount <= report.overdue_amount
    for rate in (report.rate_by_count, report.rate_by_amount):
        assert (rate is None) is (report.overdue_count == 0)
        assert rate is None or 0 <= rate <= 1
    assert set(report.by_status) <= set(STATUS_CODES)
    assert reduce(add, report.by_status.values(), Tally()) == Tally(
        count=report.qualified_count, amount=report.qualified_amount
    )
    empty = QualificationRate(on=on, currency=report.currency)
    assert reduce(add, report.by_collector.values(), empty) == report


@given(PORTFOLIOS, NEAR_BASE, st.lists(st.integers(1, 200), unique=True, max_size=4).map(sorted))
def test_aged_balance_buckets_sum_to_the_balance(
    accounts: list[Account], on: dt.date, edges: list[int]
) -> None:
    report = aged_balance(accounts, on, buckets=edges)
    assert list(report.total) == list(report.credits) == list(report.labels)
    assert report.balance == sum(open_amounts(accounts), D(0))
    assert list(report.by_account) == [account.id for account in accounts]
    for account in accounts:
        line = report.by_account[account.id]
        assert list(line) == list(report.labels)
        assert sum(line.values(), D(0)) == sum(open_amounts([account]), D(0))
        assert all(credit <= 0 for credit in report.credits_by_account[account.id].values())
    for label in report.labels:
        assert report.total[label] == sum(
            (line[label] for line in report.by_account.values()), D(0)
        )
        assert report.credits[label] <= 0 <= report.total[label] - report.credits[label]


@given(PORTFOLIOS, NEAR_BASE, st.lists(st.integers(1, 200), unique=True, max_size=4).map(sorted))
def test_aged_buckets_past_an_edge_are_the_debits_overdue_beyond_it(
    accounts: list[Account], on: dt.date, edges: list[int]
) -> None:
    report = aged_balance(accounts, on, buckets=edges)
    debits = [report.total[label] - report.credits[label] for label in report.labels]
    for position, edge in enumerate([0, *edges]):
        assert sum(debits[position + 1 :], D(0)) == overdue_ratio(accounts, on, beyond=edge).overdue


@given(PORTFOLIOS, NEAR_BASE, st.integers(0, 120))
def test_overdue_ratio_is_a_share_that_falls_with_the_threshold(
    accounts: list[Account], on: dt.date, beyond: int
) -> None:
    report = overdue_ratio(accounts, on, beyond=beyond)
    assert report.receivables == sum((a for a in open_amounts(accounts) if a > 0), D(0))
    further = overdue_ratio(accounts, on, beyond=beyond + 1).ratio
    if report.receivables:
        assert report.ratio is not None
        assert further is not None
        assert 0 <= further <= report.ratio <= 1
    else:
        assert (report.ratio, further) == (None, None)


@given(REPORT_ACCOUNTS, NEAR_BASE)
def test_every_dispute_started_is_resolved_or_open(account: Account, on: dt.date) -> None:
    policy = report_policy()
    report = dispute_resolution_time([account], policy, on)
    disputed: set[str] = set()
    starts = 0
    for event in account.journal:
        if not isinstance(event, StatusApplied) or event.on > on:
            continue
        if event.status is not None and policy.status(event.status).is_dispute:
            starts += len(event.item_ids - disputed)
            disputed |= event.item_ids
        else:
            disputed -= event.item_ids
    assert report.resolved + report.open == starts
    assert report.open == len(disputed)
    assert report.days >= 0
    assert report.average_days is None if not report.resolved else report.average_days >= 0


sales_amounts = st.integers(0, 10_000_000).map(lambda cents: D(cents).scaleb(-2))
periods = st.lists(
    st.builds(SalesPeriod, days=st.integers(28, 31), sales=sales_amounts), min_size=1, max_size=12
)


@given(periods, sales_amounts, sales_amounts, sales_amounts)
def test_count_back_grows_with_the_receivables_and_splits_in_two(
    months: list[SalesPeriod], first: Decimal, second: Decimal, third: Decimal
) -> None:
    overdue, receivables, more = sorted((first, second, third))
    report = dso(receivables, months, overdue_receivables=overdue)
    larger = dso(more, months).count_back
    total_sales = sum((m.sales for m in months), D(0))
    assert (report.count_back is None) is (receivables > total_sales)
    if report.count_back is not None:
        assert 0 <= report.count_back <= report.days
        assert report.current is not None
        assert report.overdue is not None
        assert 0 <= report.current <= report.count_back
        assert report.overdue >= 0
        assert larger is None or larger >= report.count_back


@given(st.integers(1, 12), st.integers(28, 31), sales_amounts.filter(bool), st.data())
def test_count_back_equals_standard_when_sales_are_steady(
    count: int, days: int, sales: Decimal, data: st.DataObject
) -> None:
    receivables = data.draw(st.integers(0, int(sales * 100) * count).map(lambda c: D(c).scaleb(-2)))
    report = dso(receivables, [SalesPeriod(days=days, sales=sales)] * count)
    assert report.count_back == report.standard


def test_merge_of_no_part_is_the_empty_report() -> None:
    assert qualification_rate([], ON) == QualificationRate(on=ON)
    assert overdue_ratio([], ON) == OverdueRatio(on=ON)
    assert dispute_resolution_time([], Policy(), ON) == DisputeResolutionTime(on=ON)
    report = aged_balance([Account(id="C-1", items=[item("F-1", 5, 10)])], ON)
    assert report + aged_balance([], ON) == report == aged_balance([], ON) + report
    assert isinstance(report, AgedBalance)


def test_tallies_add_up_and_nothing_else_adds_to_them() -> None:
    assert Tally(count=1, amount=D("2.50")) + Tally(count=2, amount=D(3)) == Tally(
        count=3, amount=D("5.50")
    )
    with pytest.raises(TypeError):
        Tally() + 1  # type: ignore[operator]


def test_a_tally_reads_amounts_and_refuses_what_is_not_one() -> None:
    assert Tally(count=2, amount="300.00") == Tally(count=2, amount=D("300.00"))
    # A tally's amount is a total over a portfolio: 30 digits before the point, not 18.
    assert Tally(count=1, amount=D("1E+20")).amount == D("1E+20")
    for bad, message in (
        ({"count": -1}, "tally: count must be at least 0, not -1"),
        ({"count": True}, "tally: count must be a whole number, not True"),
        ({"amount": "NaN"}, "tally: amount: not an amount: 'NaN'"),
        ({"amount": "lots"}, "tally: amount: not an amount: 'lots'"),
    ):
        with pytest.raises(ValidationError) as error:
            Tally(**bad)
        assert str(error.value) == message


def test_every_public_report_name_is_in_the_reference() -> None:
    import pathlib

    import collectlib
    from collectlib.portfolio import reports

    page = pathlib.Path(__file__).parent.parent / "docs" / "reference" / "reports.md"
    text = page.read_text(encoding="utf-8")
    assert [name for name in reports.__all__ if f"`{name}" not in text] == []
    assert set(reports.__all__) <= set(collectlib.__all__)
