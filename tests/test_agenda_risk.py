"""SPEC 12, 13.15: the agenda ranked by amount at risk (``order="risk"``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import CALL_BACK, account, credit, d, invoice, policy, qualifying_policy
from collectlib import (
    Account,
    AgendaEntry,
    EntryKind,
    PaymentProfile,
    Policy,
    Settlement,
    ValidationError,
    agenda,
    create_action,
    payment_profile,
    payment_profiles,
    portfolio_profile,
    predict_payment,
)
from collectlib import strategies as cs
from collectlib.strategies import accounts, dates, policies

ON = d("2026-03-02")


def paid(account_id: str, number: int, late: int, amount: int = 1000) -> Settlement:
    """An invoice of ``account_id`` due on the 1st of a past month, paid ``late`` days late."""
    due = dt.date(2025, number, 1)
    return Settlement(
        account_id=account_id, item_id=f"P-{account_id}-{number}",
        issue_date=due - dt.timedelta(days=30), due_date=due,
        settled_on=due + dt.timedelta(days=late), amount=amount,
    )  # fmt: skip


# Martin pays on time; Durand about 40 days late.
HISTORY = [
    *(paid("MARTIN", n, late) for n, late in ((3, 0), (4, -1), (5, 2))),
    *(paid("DURAND", n, late) for n, late in ((3, 38), (4, 40), (5, 42))),
]
PROFILES = payment_profiles(HISTORY, ON)


def customers() -> list[Account]:
    """Martin owes 5,000 and Durand 2,000, both due on 20 February, 10 days late on ``ON``."""
    return [
        account(invoice("F-1", "2026-02-20", 5000), id="MARTIN"),
        account(invoice("G-1", "2026-02-20", 2000), id="DURAND"),
    ]


def test_the_habitually_late_customer_comes_first() -> None:
    by_date = agenda(customers(), policy(), ON)
    assert [row.account_id for row in by_date] == ["MARTIN", "DURAND"]  # the larger amount
    ranked = agenda(customers(), policy(), ON, order="risk", profiles=PROFILES)
    # Durand: 2,000 x 40 days = 80,000; Martin, 10 days late already and never later
    # before, is expected today: 5,000 x 10 days = 50,000.
    assert [row.account_id for row in ranked] == ["DURAND", "MARTIN"]
    assert sorted(ranked) == sorted(by_date)


def test_a_customer_without_a_profile_reads_the_fallback() -> None:
    # Nobody has a profile of its own: both read the portfolio's, whose invoices paid
    # 10 days late or more were paid 40 days late: the amounts decide.
    portfolio = portfolio_profile(HISTORY, ON)
    ranked = agenda(customers(), policy(), ON, order="risk", profiles={}, fallback=portfolio)
    assert [row.account_id for row in ranked] == ["MARTIN", "DURAND"]
    # Without a fallback, a customer without a profile is expected today (10 days late).
    ranked = agenda(
        customers(), policy(), ON, order="risk", profiles={"DURAND": PROFILES["DURAND"]}
    )
    assert [row.account_id for row in ranked] == ["DURAND", "MARTIN"]


def test_rows_are_ranked_within_each_currency() -> None:
    swiss = account(invoice("H-1", "2026-02-20", 900_000), id="ZURICH", currency="CHF")
    ranked = agenda([*customers(), swiss], policy(), ON, order="risk", profiles=PROFILES)
    assert [(row.currency, row.account_id) for row in ranked] == [
        ("CHF", "ZURICH"),
        ("EUR", "DURAND"),
        ("EUR", "MARTIN"),
    ]


def test_rows_at_no_risk_keep_the_date_order() -> None:
    # Not yet overdue, and both customers pay on time: no risk, the date order stays.
    early = {"MARTIN": PROFILES["MARTIN"], "DURAND": attrs.evolve(PROFILES["MARTIN"])}
    rows = [
        account(invoice("F-1", "2026-03-20", 100), id="MARTIN"),
        account(invoice("G-1", "2026-03-10", 100), id="DURAND"),
    ]
    by_date = agenda(rows, policy(), ON, horizon_days=30)
    ranked = agenda(rows, policy(), ON, horizon_days=30, order="risk", profiles=early)
    assert ranked == by_date
    assert [row.account_id for row in ranked] == ["DURAND", "MARTIN"]


def test_risk_order_without_profiles_says_what_to_give() -> None:
    with pytest.raises(ValidationError) as raised:
        agenda(customers(), policy(), ON, order="risk")
    assert str(raised.value) == (
        "agenda: profiles must be a mapping account id -> PaymentProfile with order='risk', "
        "not None (payment_profiles; {} with a fallback: every account reads the portfolio's "
        "profile)"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"order": "amount"}, "agenda: order must be 'date' or 'risk', not 'amount'"),
        ({"order": None}, "agenda: order must be 'date' or 'risk', not None"),
        ({"order": "risk"}, "agenda: profiles must be a mapping .* with order='risk', not None"),
        ({"profiles": {}}, "agenda: profiles must be None with order='date'"),
        (
            {"fallback": portfolio_profile(HISTORY, ON)},
            "agenda: fallback must be None with order='date'",
        ),
        (
            {"order": "risk", "profiles": [PROFILES["MARTIN"]]},
            "agenda: profiles must be a mapping account id -> PaymentProfile",
        ),
        (
            {"order": "risk", "profiles": {"MARTIN": None}},
            "agenda: profiles: 'MARTIN' must be an account id mapped to a PaymentProfile",
        ),
        (
            {"order": "risk", "profiles": {}, "fallback": HISTORY[0]},
            "agenda: fallback must be a PaymentProfile",
        ),
    ],
)
def test_bad_order_arguments_name_the_argument(changes: dict[str, object], message: str) -> None:
    portfolio = customers()
    before = list(portfolio)
    with pytest.raises(ValidationError, match=message):
        agenda(portfolio, policy(), ON, **changes)  # type: ignore[arg-type]
    assert portfolio == before


# --- properties -----------------------------------------------------------------------

BASE = dt.date(2026, 1, 1)
NEAR_BASE = dates(BASE - dt.timedelta(days=200), BASE + dt.timedelta(days=200))
on_dates = st.integers(min_value=-30, max_value=300).map(lambda n: BASE + dt.timedelta(days=n))


@st.composite
def portfolios(draw: st.DrawFn) -> list[Account]:
    count = draw(st.integers(0, 5))
    return [
        draw(
            accounts(
                id=f"C-{number}",
                issue_dates=NEAR_BASE,
                currency=st.sampled_from(("EUR", "EUR", "CHF")),
                max_items=6,
            )
        )
        for number in range(count)
    ]


@st.composite
def histories(draw: st.DrawFn, portfolio: list[Account]) -> dict[str, PaymentProfile]:
    """Draw a profile for some of the accounts, from a few settlements each."""
    profiles = {}
    for acc in portfolio:
        if draw(st.booleans()):
            paid = draw(
                st.lists(
                    cs.settlements(
                        account_ids=acc.id,
                        ids=st.integers(1, 999).map(lambda n: f"P-{n}"),
                        issue_dates=NEAR_BASE,
                        currencies=acc.currency,
                    ),
                    max_size=5,
                )
            )
            profiles[acc.id] = payment_profile(paid, BASE, half_life_days=90)
    return profiles


def _risk(
    row: AgendaEntry,
    acc: Account,
    profiles: dict[str, PaymentProfile],
    fallback: PaymentProfile | None,
    pol: Policy,
    on: dt.date,
) -> float:
    """The documented risk: the amount times the open-amount-weighted expected days late."""
    debits = [i for i in acc.items if i.id in row.item_ids and i.is_debit]
    weight = sum(float(i.open_amount) for i in debits)
    late = sum(
        float(i.open_amount) * predict_payment(i, profiles.get(acc.id), pol, on, fallback).days_late
        for i in debits
    )
    return float(row.amount) * late / weight if weight else 0.0


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates, st.data())
def test_risk_order_is_the_date_order_ranked_by_risk_within_each_currency(
    portfolio: list[Account], pol: Policy, on: dt.date, data: st.DataObject
) -> None:
    profiles = data.draw(histories(portfolio))
    fallback = data.draw(st.sampled_from((None, portfolio_profile([], on))))
    by_date = agenda(portfolio, pol, on, 15)
    ranked = agenda(portfolio, pol, on, 15, order="risk", profiles=profiles, fallback=fallback)
    # The same rows, only their order changes.
    assert sorted(ranked, key=repr) == sorted(by_date, key=repr)
    by_id = {acc.id: acc for acc in portfolio}
    risks = [_risk(row, by_id[row.account_id], profiles, fallback, pol, on) for row in ranked]
    for (row, risk), (after, later_risk) in zip(
        zip(ranked, risks, strict=True), zip(ranked[1:], risks[1:], strict=False), strict=False
    ):
        # Currency first, then risk descending, then the date order.
        assert row.currency <= after.currency
        if row.currency == after.currency:
            assert risk >= later_risk
            if risk == later_risk:
                assert by_date.index(row) < by_date.index(after)


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates, st.data())
def test_risk_order_does_not_depend_on_the_order_of_accounts(
    portfolio: list[Account], pol: Policy, on: dt.date, data: st.DataObject
) -> None:
    profiles = data.draw(histories(portfolio))
    shuffled = data.draw(st.permutations(portfolio))
    ranked = agenda(portfolio, pol, on, 15, order="risk", profiles=profiles)
    assert agenda(iter(shuffled), pol, on, 15, order="risk", profiles=profiles) == ranked


@given(portfolios(), policies(min_steps=1, with_default=True), on_dates, st.data())
def test_each_currency_is_ranked_as_if_it_were_alone(
    portfolio: list[Account], pol: Policy, on: dt.date, data: st.DataObject
) -> None:
    profiles = data.draw(histories(portfolio))
    ranked = agenda(portfolio, pol, on, 15, order="risk", profiles=profiles)
    for currency in {acc.currency for acc in portfolio}:
        alone = [acc for acc in portfolio if acc.currency == currency]
        assert agenda(alone, pol, on, 15, order="risk", profiles=profiles) == tuple(
            row for row in ranked if row.currency == currency
        )


def test_the_amount_at_risk_is_exact_for_a_row_of_two_items() -> None:
    # One row over two invoices, 3,000 expected 40 days late and 1,000 (not yet due)
    # 40 days late too: risk 4,000 x 40.
    acc = account(
        invoice("G-1", "2026-02-20", 3000), invoice("G-2", "2026-03-20", 1000), id="DURAND"
    )
    (row,) = agenda([acc], policy(), ON)
    assert _risk(row, acc, dict(PROFILES), None, policy(), ON) == 4000 * 40
    assert row.amount == Decimal(4000)


def test_a_row_without_open_debits_is_at_no_risk() -> None:
    # A call about a credit note, due 25 March, after a row at no risk due 21 March.
    refund = create_action(
        account(credit("C-1", "2026-02-01")), ["C-1"], CALL_BACK, d("2026-03-22")
    )
    rows = [refund, account(invoice("E-1", "2026-03-20", 100), id="EARLY")]
    ranked = agenda(
        rows, policy(), ON, horizon_days=30, order="risk", profiles={"EARLY": PROFILES["MARTIN"]}
    )
    assert [(row.account_id, row.due_on) for row in ranked] == [
        ("EARLY", d("2026-03-21")), ("C-1", d("2026-03-25")),
    ]  # fmt: skip


def test_a_row_of_two_items_weighs_both_by_their_open_amounts() -> None:
    # Durand's row: 3,000 and 1,000, both expected 40 days late: 4,000 x 40 = 160,000,
    # between two on-time payers 10 days late, 18,000 x 10 and 14,000 x 10.
    portfolio = [
        account(
            invoice("G-1", "2026-02-20", 3000), invoice("G-2", "2026-03-20", 1000), id="DURAND"
        ),
        account(invoice("X-1", "2026-02-20", 14000), id="X"),
        account(invoice("Y-1", "2026-02-20", 18000), id="Y"),
    ]
    profiles = {"DURAND": PROFILES["DURAND"], "X": PROFILES["MARTIN"], "Y": PROFILES["MARTIN"]}
    ranked = agenda(portfolio, policy(), ON, order="risk", profiles=profiles)
    assert [row.account_id for row in ranked] == ["Y", "DURAND", "X"]


def test_the_fallback_is_read_by_kind_disputed_or_not() -> None:
    # The portfolio's disputed invoices were paid 70 days late, its others 10 days late
    # or more 40 days late.  Acme's disputed 1,500 (no profile of its own): 1,500 x 70;
    # New's 2,000 (no profile): 2,000 x 40; Durand's 1,000, its own 40 days blended with
    # the portfolio's 40: 1,000 x 40.
    disputed = [attrs.evolve(paid("OTHER", n, 70), disputed=True) for n in (6, 7, 8)]
    fallback = portfolio_profile([*HISTORY, *disputed], ON)
    acme = attrs.evolve(
        invoice("A-1", "2026-02-20", 1500), status="price-dispute", status_date=d("2026-02-20")
    )
    portfolio = [
        account(invoice("N-1", "2026-02-20", 2000), id="NEW"),
        account(invoice("G-1", "2026-02-20", 1000), id="DURAND"),
        account(acme, id="ACME"),
    ]
    ranked = agenda(
        portfolio, qualifying_policy(), ON, order="risk",
        profiles={"DURAND": PROFILES["DURAND"]}, fallback=fallback,
    )  # fmt: skip
    assert [(row.account_id, row.kind) for row in ranked] == [
        ("ACME", EntryKind.REVIEW), ("NEW", EntryKind.SCENARIO), ("DURAND", EntryKind.SCENARIO),
    ]  # fmt: skip
    # A customer's own profile too: Acme pays on time, but its disputes 70 days late.
    disputes = [attrs.evolve(paid("ACME", n, 70), disputed=True) for n in (6, 7, 8)]
    own = payment_profile([*(paid("ACME", n, 0) for n in (3, 4, 5)), *disputes], ON)
    profiles = {"DURAND": PROFILES["DURAND"], "ACME": own}
    ranked = agenda(portfolio[1:], qualifying_policy(), ON, order="risk", profiles=profiles)
    assert [row.account_id for row in ranked] == ["ACME", "DURAND"]  # 1,500 x 70, 1,000 x 40
