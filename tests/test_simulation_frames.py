"""Simulations as data frames: workload, cash in and receivable tables for a notebook."""

from __future__ import annotations

from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")

from builders import account, d, invoice  # noqa: E402
from collectlib import (  # noqa: E402
    Behaviour,
    Channel,
    Policy,
    Scenario,
    Settlement,
    Step,
    Trigger,
    ValidationError,
    payment_profile,
    simulate,
)
from collectlib.frames import simulation_frames  # noqa: E402

START = d("2026-06-01")


def _simulation():
    steps = [Step(name=f"call {days}", channel=Channel.CALL, trigger=Trigger.leader_due(days))
             for days in (1, 60)]  # fmt: skip
    policy = Policy(scenarios=[Scenario(name="s", steps=steps)], default_scenario="s")
    portfolio = [
        account(invoice("F-1", "2026-05-30", 100), id="C-1", collector="marie"),
        account(invoice("F-2", "2026-06-08", 300), id="C-2"),
        account(invoice("F-3", "2026-06-20", 500, issued="2026-05-20"), id="C-3", currency="JPY"),
    ]
    paid = [
        Settlement(account_id=a.id, item_id="H-1", issue_date=d("2025-01-01"),
                   due_date=d("2025-01-31"), settled_on=d("2025-02-10"), amount=10,
                   currency=a.currency)
        for a in portfolio
    ]  # fmt: skip
    profiles = {a.id: payment_profile([p for p in paid if p.account_id == a.id], START)
                for a in portfolio}  # fmt: skip
    return simulate(portfolio, policy, START, d("2026-06-30"), Behaviour(profiles=profiles,
                    response={}))  # fmt: skip


def test_work_cash_and_receivable_by_week() -> None:
    result = _simulation()
    frames = simulation_frames(result)
    # C-1 (Marie's) is called on 1 June, C-2 on 9 June, C-3 on 21 June.
    assert frames.workload.to_dict("records") == [
        {"period": START, "collector": "marie", "channel": "CALL", "performed": 1,
         "automatic": 0, "waiting": 0},
        {"period": d("2026-06-08"), "collector": None, "channel": "CALL", "performed": 1,
         "automatic": 0, "waiting": 0},
        {"period": d("2026-06-15"), "collector": None, "channel": "CALL", "performed": 1,
         "automatic": 0, "waiting": 0},
    ]  # fmt: skip
    # Everybody pays 10 days late: on 9, 18 and 30 June.
    assert frames.cash.to_dict("records") == [
        {"period": d("2026-06-08"), "currency": "EUR", "amount": Decimal("100"), "items": 1},
        {"period": d("2026-06-15"), "currency": "EUR", "amount": Decimal("300"), "items": 1},
        {"period": d("2026-06-29"), "currency": "JPY", "amount": Decimal("500"), "items": 1},
    ]
    balances = frames.balances
    assert list(balances.columns) == ["on", "currency", "not_due", "1-30", "31-60", "61-90",
                                      "91+", "receivables", "overdue", "dso", "dso_count_back"]  # fmt: skip
    assert balances["on"].tolist() == [d(day) for day in ("2026-06-07", "2026-06-07",
        "2026-06-14", "2026-06-14", "2026-06-21", "2026-06-21", "2026-06-28", "2026-06-28",
        "2026-06-30", "2026-06-30")]  # fmt: skip
    first = balances.iloc[0].to_dict()
    assert (first["currency"], first["receivables"], first["overdue"]) == (
        "EUR",
        Decimal("400"),
        Decimal("100"),
    )
    assert first["dso"] == pytest.approx(90.0)  # 400 owed of 400 invoiced in 90 days
    assert balances["receivables"].tolist()[-2:] == [Decimal(0), Decimal(0)]


def test_by_day_and_numeric_for_charts() -> None:
    frames = simulation_frames(_simulation(), by="day", numeric=True)
    assert frames.cash["period"].tolist() == [d("2026-06-09"), d("2026-06-18"), d("2026-06-30")]
    assert frames.cash["amount"].dtype == "float64"
    assert frames.balances["receivables"].dtype == "float64"
    assert frames.workload["period"].tolist() == [START, d("2026-06-09"), d("2026-06-21")]


def test_a_simulation_without_work_or_accounts_gives_empty_tables() -> None:
    result = simulate([], Policy(), START, START, Behaviour())
    frames = simulation_frames(result, numeric=True)
    assert (len(frames.workload), len(frames.cash), len(frames.balances)) == (0, 0, 0)
    assert frames.workload["performed"].dtype == "int64"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"simulation": None}, r"simulation_frames: simulation must be a Simulation"),
        ({"by": "month"}, r"simulation_frames: by must be 'week' or 'day', not 'month'"),
        ({"numeric": "yes"}, r"simulation_frames: numeric must be"),
    ],
)
def test_bad_arguments_name_themselves(arguments: dict[str, object], message: str) -> None:
    called = {"simulation": simulate([], Policy(), START, START, Behaviour()), **arguments}
    with pytest.raises(ValidationError, match=message):
        simulation_frames(**called)  # type: ignore[arg-type]
