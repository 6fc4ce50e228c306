"""The checks of the forecast's arguments that several layers share (profiles)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from collectlib._checks import check_instance, fail
from collectlib.forecast.profiles import PaymentProfile


def check_profile(owner: str, field: str, value: object) -> PaymentProfile | None:
    """Check that ``value`` is a ``PaymentProfile`` or ``None``; return it."""
    if value is not None:
        check_instance(owner, field, value, PaymentProfile)
    return cast("PaymentProfile | None", value)


def check_profiles(owner: str, profiles: object) -> Mapping[str, PaymentProfile]:
    """Check that ``profiles`` maps account ids to ``PaymentProfile``; return it."""
    if not isinstance(profiles, Mapping):
        fail(owner, f"profiles must be a mapping account id -> PaymentProfile, not {profiles!r}")
    for key, value in profiles.items():
        if not isinstance(key, str) or not isinstance(value, PaymentProfile):
            fail(
                owner,
                f"profiles: {key!r} must be an account id mapped to a PaymentProfile, "
                f"not {value!r}",
            )
    return profiles
