"""Payment behaviour and the cash forecast (SPEC 12): settlements, profiles, predictions."""

from collectlib.forecast.predictions import (
    PRIOR_SETTLEMENTS,
    CashForecast,
    CashWeek,
    PaymentForecast,
    cash_forecast,
    predict_payment,
)
from collectlib.forecast.profiles import (
    PaymentFigures,
    PaymentProfile,
    payment_profile,
    payment_profiles,
    portfolio_profile,
)
from collectlib.forecast.settlements import Settlement, settlements_from_journal

__all__ = [
    "PRIOR_SETTLEMENTS",
    "CashForecast",
    "CashWeek",
    "PaymentFigures",
    "PaymentForecast",
    "PaymentProfile",
    "Settlement",
    "cash_forecast",
    "payment_profile",
    "payment_profiles",
    "portfolio_profile",
    "predict_payment",
    "settlements_from_journal",
]
