"""Groups and credit limits (SPEC §1 Account.group, §10 credit hold, §11 Groups, §13.5).

The story: the Durand group buys through Durand Paris (EUR, limit 10,000), Durand Lyon
(EUR, no limit of its own) and Durand Inc. (USD, limit 5,000).  Then Hypothesis
properties: a group's exposure is the sum of its accounts', every account of a group
above its limit is on hold, and nothing but a step holds an account without exposure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import account, credit, d, invoice, policy
from collectlib import (
    Account,
    Exposure,
    GroupExposure,
    ScenarioActionRecorded,
    ValidationError,
    aged_balance,
    agenda,
    credit_hold,
    exposure,
    holds,
    release_hold,
)
from collectlib._frozen import FrozenMap
from collectlib.rules.cadence import step_hold
from collectlib.strategies import dates, portfolios

ON = d("2026-03-16")
POLICY = policy()


def durand() -> tuple[Account, Account, Account]:
    paris = account(
        invoice("F-1", "2026-02-01", "8000.00"),
        credit("AV-1", "2026-02-10", "-500.00"),
        id="C-1",
        group="Durand",
        credit_limit="10000",
    )
    lyon = account(invoice("F-7", "2026-04-01", "5000.00"), id="C-2", group="Durand")
    inc = account(
        invoice("F-9", "2026-03-01", "3000"), id="C-3", currency="USD", group="Durand",
        credit_limit="5000",
    )  # fmt: skip
    return paris, lyon, inc


def test_a_group_owes_per_currency_against_the_largest_limit() -> None:
    paris, lyon, inc = durand()
    report = exposure([paris, lyon, inc], ON)
    euros = report.by_group["Durand"]["EUR"]
    assert (euros.balance, euros.overdue, euros.not_due, euros.credits) == (
        Decimal("12500.00"), Decimal("8000.00"), Decimal("5000.00"), Decimal("-500.00")
    )  # fmt: skip
    assert euros.account_ids == ("C-1", "C-2")
    assert euros.credit_limit == Decimal(10000)
    assert euros.over_limit
    dollars = report.by_group["Durand"]["USD"]
    assert (dollars.balance, dollars.credit_limit, dollars.over_limit) == (
        Decimal(3000),
        Decimal(5000),
        False,
    )
    assert report.over_limit == {"Durand": (euros,)}


def test_every_account_of_a_group_over_its_limit_is_on_hold() -> None:
    paris, lyon, inc = durand()
    report = exposure([paris, lyon, inc], ON)
    hold = credit_hold(inc, POLICY, ON, report)  # the USD account too: the group is one customer
    assert hold is not None
    assert hold.since is None
    assert hold.reason == (
        "group 'Durand' over its credit limit: 12,500.00 EUR owed, limit 10,000.00 EUR"
    )
    assert (hold.amount, hold.currency, hold.item_ids) == (Decimal(3000), "USD", {"F-9"})
    paris_hold = credit_hold(paris, POLICY, ON, report)
    assert (paris_hold.amount, paris_hold.item_ids) == (Decimal("8000.00"), {"F-1"})  # debits
    assert [h.account_id for h in holds([paris, lyon, inc], POLICY, ON)] == ["C-1", "C-2", "C-3"]


def test_without_the_exposure_only_step_holds_are_known() -> None:
    paris, lyon, inc = durand()
    assert credit_hold(paris, POLICY, ON) is None
    assert not any(row.on_hold for row in agenda([paris, lyon, inc], POLICY, ON, 30))
    report = exposure([paris, lyon, inc], ON)
    rows = agenda([paris, lyon, inc], POLICY, ON, 30, report)
    assert {row.account_id for row in rows} == {"C-1", "C-2", "C-3"}
    assert all(row.on_hold for row in rows)


def test_at_the_limit_is_not_over_it() -> None:
    paris, _lyon, _ = durand()
    at_limit = attrs.evolve(paris, credit_limit="7500.00")  # 8,000 - 500 = 7,500
    report = exposure([at_limit], ON)
    assert not report.by_group["Durand"]["EUR"].over_limit
    assert credit_hold(at_limit, POLICY, ON, report) is None
    assert holds([at_limit], POLICY, ON) == ()


def test_an_account_without_a_group_is_its_own_group() -> None:
    alone = account(invoice("F-1", "2026-02-01", 900), credit_limit=500)
    report = exposure([alone], ON)
    assert list(report.by_group) == ["C-1"]
    assert credit_hold(alone, POLICY, ON, report).reason.startswith("group 'C-1'")
    other = account(invoice("F-2", "2026-02-01", 900), id="C-2")
    assert credit_hold(other, POLICY, ON, report) is None  # another group


def notice_recorded(acc: Account, day: str) -> Account:
    """``acc`` with a formal notice that set a credit hold, recorded on ``day``."""
    notice = ScenarioActionRecorded(
        on=d(day), scenario="standard", step_index=3, step_name="formal notice",
        channel="REGISTERED_LETTER", leader_id=acc.items[0].id,
        item_ids={item.id for item in acc.items}, amount=1, credit_hold=True,
    )  # fmt: skip
    return attrs.evolve(acc, journal=(*acc.journal, notice))


def test_a_step_hold_and_a_group_hold_give_both_reasons() -> None:
    paris, lyon, inc = durand()
    paris = notice_recorded(paris, "2026-03-02")
    report = exposure([paris, lyon, inc], ON)
    hold = credit_hold(paris, POLICY, ON, report)
    assert hold.since == d("2026-03-02")
    assert hold.reason.startswith("step 'formal notice' recorded on 2026-03-02; group 'Durand'")
    # Releasing lifts the step hold; the group hold stays while the group is over its limit.
    released = release_hold(paris, ON, "guarantee")
    assert credit_hold(released, POLICY, ON) is None
    assert credit_hold(released, POLICY, ON, report).since is None


def test_the_exposure_must_be_of_the_same_date() -> None:
    paris, lyon, inc = durand()
    report = exposure([paris, lyon, inc], ON)
    later = ON + dt.timedelta(days=1)
    message = r"exposure is of 2026-03-16, not of 2026-03-17: compute it on the same date"
    with pytest.raises(ValidationError, match=r"credit_hold: " + message):
        credit_hold(paris, POLICY, later, report)
    with pytest.raises(ValidationError, match=r"agenda: " + message):
        agenda([paris], POLICY, later, 0, report)
    with pytest.raises(ValidationError, match=r"agenda: exposure must be an Exposure, not 3"):
        agenda([paris], POLICY, ON, 0, 3)  # type: ignore[arg-type]


def test_holds_reads_a_generator_once() -> None:
    paris, lyon, inc = durand()
    read: list[str] = []

    def stream():
        for acc in (paris, lyon, inc):
            read.append(acc.id)
            yield acc

    assert len(holds(stream(), POLICY, ON)) == 3
    assert read == ["C-1", "C-2", "C-3"]
    with pytest.raises(ValidationError, match=r"exposure: account 'C-1' appears twice"):
        holds([paris, paris], POLICY, ON)


def test_exposures_of_partitions_merge_into_the_whole() -> None:
    paris, lyon, inc = durand()
    whole = exposure([paris, lyon, inc], ON)
    merged = exposure([paris], ON) + exposure([lyon, inc], ON)
    assert merged == whole
    assert merged.over_limit == whole.over_limit
    with pytest.raises(ValidationError, match=r"cannot merge exposures of 2026-03-16 and"):
        exposure([paris], ON).merge(exposure([lyon], ON + dt.timedelta(days=1)))
    with pytest.raises(ValidationError, match=r"exposure: account 'C-1' appears twice"):
        exposure([paris], ON).merge(exposure([paris], ON))
    with pytest.raises(ValidationError, match=r"merge takes an Exposure, not 3"):
        whole.merge(3)  # type: ignore[arg-type]
    assert whole.__add__(3) is NotImplemented  # type: ignore[operator]


def test_rows_are_one_per_group_and_currency() -> None:
    rows = exposure(durand(), ON).rows()
    assert [(row["group"], row["currency"], row["accounts"]) for row in rows] == [
        ("Durand", "EUR", 2),
        ("Durand", "USD", 1),
    ]
    assert rows[0]["over_limit"] is True
    assert rows[0]["account_ids"] == ("C-1", "C-2")


def test_bad_exposures_name_the_field() -> None:
    fields = {
        "group": "Durand", "currency": "EUR", "account_ids": ["C-1"], "balance": "100",
        "overdue": "80", "not_due": "30", "credits": "-10",
    }  # fmt: skip
    line = GroupExposure(**fields)
    assert not line.over_limit  # no limit
    for change, message in [
        ({"balance": "90"}, r"balance 90 is not overdue \+ not_due \+ credits \(80 \+ 30 \+ -10\)"),
        ({"credits": "10", "balance": "120"}, r"credits must be zero or negative, not 10"),
        ({"account_ids": []}, r"account_ids must name at least one account"),
        ({"currency": "euro"}, r"currency must be an ISO 4217 code"),
        ({"credit_limit": "-1"}, r"credit_limit must be at least 0, not -1"),
        ({"overdue": "-80", "balance": "-60"}, r"overdue must be at least 0"),
    ]:
        with pytest.raises(ValidationError, match=r"exposure of group 'Durand': " + message):
            GroupExposure(**{**fields, **change})
    with pytest.raises(ValidationError, match=r"group exposure: group must be"):
        GroupExposure(**{**fields, "group": ""})
    usd = attrs.evolve(line, currency="USD")
    for by_group, message in [
        ({"Durand": {"EUR": line}}, r"by_group must be a FrozenMap"),
        (FrozenMap({"Durand": {"EUR": line}}), r"by_group\['Durand'\] must be a FrozenMap"),
        (FrozenMap({"Durand": FrozenMap({"EUR": 3})}), r"\['EUR'\] must be a GroupExposure"),
        (FrozenMap({"Durand": FrozenMap({"EUR": usd})}), r"is the line of 'Durand' in USD"),
        (
            FrozenMap({"Durand": FrozenMap({"EUR": line, "USD": usd})}),
            r"account 'C-1' appears twice",
        ),
    ]:
        with pytest.raises(ValidationError, match=r"^exposure: .*" + message):
            Exposure(on=ON, by_group=by_group)  # type: ignore[arg-type]


def test_a_credit_limit_is_an_amount_of_zero_or_more() -> None:
    with pytest.raises(ValidationError, match=r"account 'C-1': credit_limit must be at least 0"):
        account(credit_limit=-5)
    with pytest.raises(ValidationError, match=r"account 'C-1': credit_limit: not an amount"):
        account(credit_limit="ten")
    with pytest.raises(ValidationError, match=r"account 'C-1': group must be"):
        account(group="")
    assert account(credit_limit=0).credit_limit == Decimal(0)


def test_the_aged_balance_per_group() -> None:
    paris, lyon, _ = durand()
    alone = account(invoice("F-3", "2026-01-02", 70), id="C-9")
    report = aged_balance([paris, lyon, alone], ON)
    assert dict(report.by_group["Durand"]["EUR"]) == {
        "not_due": Decimal("5000.00"), "1-30": Decimal("0"), "31-60": Decimal("7500.00"),
        "61-90": Decimal("0"), "91+": Decimal("0"),
    }  # fmt: skip
    assert report.by_group["C-9"]["EUR"]["61-90"] == Decimal(70)
    merged = aged_balance([paris], ON) + aged_balance([lyon, alone], ON)
    assert merged.by_group == report.by_group


# --- Properties ------------------------------------------------------------------------------


@st.composite
def held_portfolios(draw: st.DrawFn) -> tuple[tuple[Account, ...], dt.date]:
    """Accounts sharing groups, with limits, some with a formal notice that set a hold."""
    portfolio = draw(portfolios(policy=POLICY, max_size=6))
    on = draw(dates(dt.date(2024, 1, 1), dt.date(2031, 6, 1)))
    noticed = []
    for acc in portfolio:
        if acc.items and draw(st.booleans()):
            day = draw(dates(dt.date(2020, 1, 1), on))
            acc = notice_recorded(acc, day.isoformat())  # noqa: PLW2901
        noticed.append(acc)
    return tuple(noticed), on


@given(held_portfolios())
def test_a_group_exposure_is_the_sum_of_its_accounts(case) -> None:
    portfolio, on = case
    whole = exposure(portfolio, on)
    for group, lines in whole.by_group.items():
        for currency, line in lines.items():
            members = [
                a for a in portfolio if (a.group or a.id) == group and a.currency == currency
            ]
            assert line.account_ids == tuple(a.id for a in members)
            alone = [exposure([a], on).by_group[group][currency] for a in members]
            for field in ("balance", "overdue", "not_due", "credits"):
                assert getattr(line, field) == sum(
                    (getattr(part, field) for part in alone), Decimal(0)
                )
            assert line.balance == sum(
                (item.open_amount for a in members for item in a.items), Decimal(0)
            )
            limits = [a.credit_limit for a in members if a.credit_limit is not None]
            assert line.credit_limit == (max(limits) if limits else None)


@given(held_portfolios())
def test_a_group_over_its_limit_holds_every_account_and_holds_lists_each(case) -> None:
    portfolio, on = case
    report = exposure(portfolio, on)
    listed = {hold.account_id: hold for hold in holds(portfolio, POLICY, on)}
    for acc in portfolio:
        over = (acc.group or acc.id) in report.over_limit
        stepped = step_hold(acc, on) is not None
        hold = credit_hold(acc, POLICY, on, report)
        assert (hold is not None) == (over or stepped)
        assert listed.get(acc.id) == hold
        if over:
            assert all(line.over_limit for line in report.over_limit[acc.group or acc.id])
            assert (hold.since is None) == (not stepped)
            assert f"group {acc.group or acc.id!r} over its credit limit" in hold.reason


@given(held_portfolios(), st.integers(0, 30))
def test_no_hold_without_exposure_unless_a_step_set_one(case, horizon) -> None:
    portfolio, on = case
    for acc in portfolio:
        assert (credit_hold(acc, POLICY, on) is not None) == (step_hold(acc, on) is not None)
    plain = agenda(portfolio, POLICY, on, horizon)
    for row in plain:
        assert row.on_hold == (step_hold(next(a for a in portfolio if a.id == row.account_id),
                                         on) is not None)  # fmt: skip
    report = exposure(portfolio, on)
    held = {hold.account_id for hold in holds(portfolio, POLICY, on)}
    grouped = agenda(portfolio, POLICY, on, horizon, report)
    assert [row._replace(on_hold=False) for row in grouped] == [
        row._replace(on_hold=False) for row in plain
    ]
    for row in grouped:
        assert row.on_hold == (row.account_id in held)


_LINE = {
    "group": "Durand", "currency": "EUR", "account_ids": ["C-1", "C-2"], "balance": "12500.00",
    "overdue": "9000.00", "not_due": "4000.00", "credits": "-500.00", "credit_limit": "10000",
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"account_ids": [3]}, "account_ids[0] must be a str, not 3"),
        ({"account_ids": [" C-1"]},
         "account_ids must be a non-empty string without surrounding spaces, not ' C-1'"),
        ({"balance": "x"}, "balance: not an amount: 'x'"),
        ({"overdue": "x"}, "overdue: not an amount: 'x'"),
        ({"not_due": "-1"}, "not_due must be at least 0, not -1"),
        ({"not_due": "x"}, "not_due: not an amount: 'x'"),
        ({"credits": "x"}, "credits: not an amount: 'x'"),
        ({"credit_limit": "x"}, "credit_limit: not an amount: 'x'"),
        ({"currency": "eur"}, "currency must be an ISO 4217 code like 'EUR', not 'eur'"),
    ],
)  # fmt: skip
def test_a_bad_exposure_line_names_the_group_and_the_field(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        GroupExposure(**{**_LINE, **change})  # type: ignore[arg-type]
    assert str(raised.value) == f"exposure of group 'Durand': {message}"


def test_a_group_s_amounts_may_be_totals_past_one_item_s_range() -> None:
    total = "9" * 25  # 25 digits: a sum over many accounts, not one item
    line = GroupExposure(
        **{**_LINE, "balance": total, "overdue": total, "not_due": total, "credits": "-" + total}
    )  # type: ignore[arg-type]
    assert line.balance == Decimal(total)
    assert line.credit_limit == Decimal(10000)
    assert GroupExposure(**{**_LINE, "credit_limit": None}).credit_limit is None  # type: ignore[arg-type]


def test_a_row_holds_every_figure_of_its_line() -> None:
    assert exposure(durand(), ON).rows()[0] == {
        "on": ON, "group": "Durand", "currency": "EUR", "accounts": 2,
        "account_ids": ("C-1", "C-2"), "balance": Decimal("12500.00"),
        "overdue": Decimal("8000.00"), "not_due": Decimal("5000.00"),
        "credits": Decimal("-500.00"), "credit_limit": Decimal(10000), "over_limit": True,
    }  # fmt: skip


def test_a_group_without_any_limit_has_none_whatever_its_accounts() -> None:
    paris, lyon, _ = durand()
    unlimited = attrs.evolve(paris, credit_limit=None)
    line = exposure([unlimited, lyon], ON).by_group["Durand"]["EUR"]
    assert line.credit_limit is None
    assert not line.over_limit


def test_an_exposure_s_date_is_named() -> None:
    with pytest.raises(ValidationError) as raised:
        Exposure(on="2026-03-16", by_group=FrozenMap())  # type: ignore[arg-type]
    assert str(raised.value) == "exposure: on must be a date, not '2026-03-16'"


def test_merging_the_lines_of_a_group_without_any_limit_keeps_none() -> None:
    paris, lyon, _ = durand()
    unlimited = attrs.evolve(paris, credit_limit=None)
    merged = exposure([unlimited], ON) + exposure([lyon], ON)
    assert merged == exposure([unlimited, lyon], ON)
    assert merged.by_group["Durand"]["EUR"].credit_limit is None
