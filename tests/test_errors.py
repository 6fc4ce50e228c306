"""The errors (SPEC §1 "Errors"): one base, the built-in each error also is, plain messages."""

from __future__ import annotations

import pytest

import collectlib
from collectlib import (
    CollectError,
    ConfigurationError,
    LoadError,
    RuleViolation,
    TemplateError,
    UnknownActionError,
    UnknownItemError,
    UnknownPlanError,
    UnknownStatusError,
    ValidationError,
)
from collectlib import errors as errors_module

ALL_ERRORS = (
    ValidationError,
    ConfigurationError,
    UnknownItemError,
    UnknownActionError,
    UnknownStatusError,
    UnknownPlanError,
    RuleViolation,
    TemplateError,
    LoadError,
)
UNKNOWN_ERRORS = (UnknownItemError, UnknownActionError, UnknownStatusError, UnknownPlanError)
MESSAGE = "account 'C-1': no item 'F-9'"


@pytest.mark.parametrize("error", ALL_ERRORS)
def test_every_error_derives_from_collect_error(error: type[CollectError]) -> None:
    assert issubclass(error, CollectError)
    assert issubclass(error, Exception)


def test_the_errors_module_exports_every_error_and_only_errors() -> None:
    exported = {getattr(errors_module, name) for name in errors_module.__all__}
    assert exported == {CollectError, *ALL_ERRORS}


@pytest.mark.parametrize("error", ALL_ERRORS)
def test_every_error_is_public_from_collectlib(error: type[CollectError]) -> None:
    assert getattr(collectlib, error.__name__) is error
    assert error.__name__ in collectlib.__all__


def test_a_validation_error_is_a_value_error() -> None:
    assert issubclass(ValidationError, ValueError)
    with pytest.raises(ValueError, match="bad field"):
        raise ValidationError("item 'F-1': bad field")


@pytest.mark.parametrize("error", UNKNOWN_ERRORS)
def test_an_unknown_id_error_is_a_key_error(error: type[CollectError]) -> None:
    assert issubclass(error, KeyError)
    with pytest.raises(KeyError):
        raise error(MESSAGE)


@pytest.mark.parametrize("error", UNKNOWN_ERRORS)
def test_an_unknown_id_error_prints_its_plain_message_without_quotes(
    error: type[CollectError],
) -> None:
    # A bare KeyError would print "\"account 'C-1': no item 'F-9'\"".
    assert str(error(MESSAGE)) == MESSAGE
    assert str(KeyError(MESSAGE)) != MESSAGE


@pytest.mark.parametrize("error", ALL_ERRORS)
def test_every_error_prints_its_message_as_given(error: type[CollectError]) -> None:
    assert str(error(MESSAGE)) == MESSAGE


@pytest.mark.parametrize("error", ALL_ERRORS)
def test_pytest_raises_match_reads_the_plain_message(error: type[CollectError]) -> None:
    with pytest.raises(error, match=r"^account 'C-1': no item 'F-9'$"):
        raise error(MESSAGE)


def test_an_error_without_message_prints_empty() -> None:
    assert str(CollectError()) == ""
    assert str(UnknownItemError()) == ""


@pytest.mark.parametrize(
    ("error", "other"),
    [
        (ConfigurationError, ValueError),
        (RuleViolation, ValueError),
        (TemplateError, KeyError),
        (LoadError, KeyError),
        (ValidationError, KeyError),
        (UnknownItemError, ValueError),
    ],
)
def test_errors_are_only_the_builtins_the_spec_names(
    error: type[CollectError], other: type[Exception]
) -> None:
    assert not issubclass(error, other)


def test_except_collect_error_catches_every_error() -> None:
    for error in ALL_ERRORS:
        with pytest.raises(CollectError, match="boom"):
            raise error("boom")
