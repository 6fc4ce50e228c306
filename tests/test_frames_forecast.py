"""collectlib.frames: the cash forecast and the payment predictions as data frames."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pandas")

from collectlib import (
    Policy,
    ValidationError,
    cash_forecast,
    demo,
    payment_profiles,
    portfolio_profile,
    predict_payment,
)
from collectlib.frames import cash_forecast_frame, predictions_frame


def _forecast(weeks: int = 3):
    history = demo.history()
    return cash_forecast(
        demo.portfolio().accounts, payment_profiles(history, demo.AS_OF), demo.policy(),
        demo.AS_OF, weeks, portfolio_profile(history, demo.AS_OF),
    )  # fmt: skip


def test_the_weeks_then_later_exact_float_or_text() -> None:
    forecast = _forecast()
    frame = cash_forecast_frame(forecast)
    assert list(frame.columns) == ["week", "start", "currency", "amount", "items"]
    assert frame["week"].tolist() == [row.week for row in forecast.rows] + ["later"]
    assert frame["amount"].tolist() == [row.amount for row in forecast.rows] + [
        forecast.later["EUR"]
    ]
    assert sum(frame["amount"], Decimal(0)) == forecast.totals["EUR"]
    assert frame["items"].tolist()[-1] is None
    numeric = cash_forecast_frame(forecast, numeric=True)
    assert numeric["amount"].dtype == "float64"
    text = cash_forecast_frame(forecast, formatted=True)
    assert text["amount"].tolist()[0].endswith(" EUR")


def test_an_empty_forecast_is_an_empty_frame() -> None:
    frame = cash_forecast_frame(cash_forecast([], {}, Policy(), demo.AS_OF))
    assert frame.empty
    assert list(frame.columns) == ["week", "start", "currency", "amount", "items"]


def test_predictions_one_row_each() -> None:
    account = demo.portfolio().accounts[0]
    forecasts = [
        predict_payment(item, None, demo.policy(), demo.AS_OF)
        for item in account.items
        if item.is_debit
    ]
    frame = predictions_frame(forecasts)
    assert list(frame.columns) == [
        "item_id", "expected_on", "days_late", "late_probability", "basis", "disputed"
    ]  # fmt: skip
    assert frame["item_id"].tolist() == [f.item_id for f in forecasts]
    assert frame["days_late"].tolist() == [f.days_late for f in forecasts]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cash_forecast_frame([]), "cash_forecast_frame: forecast must be a CashForecast"),
        (
            lambda: cash_forecast_frame(_forecast(), numeric=True, formatted=True),
            "numeric and formatted: choose one",
        ),
        (lambda: cash_forecast_frame(_forecast(), numeric=1), "numeric must be"),
        (lambda: predictions_frame([None]), r"predictions_frame: forecasts\[0\] must be"),
        (lambda: predictions_frame(3), "predictions_frame: forecasts must be"),
    ],
)
def test_bad_arguments_name_the_argument(call, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        call()
