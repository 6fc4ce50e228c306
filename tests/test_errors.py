"""The errors (SPEC §1 "Errors"): one base, the built-in each error also is, plain messages."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from collectlib.errors import MAX_PROBLEMS, Problem

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


def test_the_errors_module_exports_every_error_the_problem_record_and_its_cap() -> None:
    exported = {getattr(errors_module, name) for name in errors_module.__all__}
    assert exported == {CollectError, *ALL_ERRORS, Problem, MAX_PROBLEMS}


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


# --- Errors as data: the problems of a LoadError or a ConfigurationError ------------------

LISTING_ERRORS = (LoadError, ConfigurationError)


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem(what="boom"), "boom"),
        (Problem(file="items.csv", line=3, what="boom"), "items.csv:3: boom"),
        (
            Problem(file="p.json", path="accounts[0].id", what="boom"),
            "p.json: accounts[0].id: boom",
        ),
        (Problem(file="p.toml", line=2, path="policy", what="boom"), "p.toml:2: policy: boom"),
        (Problem(path="default_scenario", what="boom"), "default_scenario: boom"),
        (Problem(line=3, what="boom"), "line 3: boom"),
    ],
)
def test_a_problem_prints_where_then_what(problem: Problem, text: str) -> None:
    assert str(problem) == text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"what": ""}, "problem: what must be a non-empty string, not ''"),
        ({"what": None}, "problem: what must be a non-empty string, not None"),
        ({"what": "x", "file": ""}, "problem: file must be a non-empty string, not ''"),
        ({"what": "x", "path": 3}, "problem: path must be a non-empty string, not 3"),
        ({"what": "x", "line": 0}, "problem: line must be a whole number from 1, not 0"),
        ({"what": "x", "line": True}, "problem: line must be a whole number from 1, not True"),
    ],
)
def test_a_problem_is_validated(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Problem(**fields)  # type: ignore[arg-type]
    assert str(raised.value) == message


@pytest.mark.parametrize("error", LISTING_ERRORS)
def test_an_error_from_a_message_lists_the_message_as_its_one_problem(
    error: type[LoadError | ConfigurationError],
) -> None:
    made = error(MESSAGE)
    assert made.problems == (Problem(what=MESSAGE),)
    assert made.more == 0


@pytest.mark.parametrize("error", LISTING_ERRORS)
def test_an_error_of_problems_lists_them_in_order_on_one_line(
    error: type[LoadError | ConfigurationError],
) -> None:
    problems = [Problem(file="items.csv", line=n, what=f"bad {n}") for n in (2, 5, 9)]
    made = error.of(problems, prefix="")
    assert made.problems == tuple(problems)
    assert str(made) == "items.csv:2: bad 2; items.csv:5: bad 5; items.csv:9: bad 9"
    assert "\n" not in str(made)
    assert str(error.of(problems[:1], prefix="policy: ")) == "policy: items.csv:2: bad 2"


@pytest.mark.parametrize("error", LISTING_ERRORS)
def test_an_error_needs_a_problem(error: type[LoadError | ConfigurationError]) -> None:
    with pytest.raises(ValidationError, match=rf"^{error.__name__}\.of: problems must hold"):
        error.of([])


@given(st.integers(1, 3 * MAX_PROBLEMS), st.integers(0, 1000))
def test_an_error_lists_at_most_max_problems_and_counts_the_others(found: int, more: int) -> None:
    made = LoadError.of((Problem(line=n, what="bad") for n in range(1, found + 1)), more=more)
    listed = min(found, MAX_PROBLEMS)
    assert [p.line for p in made.problems] == list(range(1, listed + 1))
    assert made.more == found - listed + more
    assert listed + made.more == found + more
    assert str(made).count("bad") == listed
    if made.more:
        assert str(made).endswith(f"; ... and {made.more} more")
    else:
        assert "more" not in str(made)


@pytest.mark.parametrize("error", LISTING_ERRORS)
def test_an_error_with_problems_pickles_and_copies_with_them(
    error: type[LoadError | ConfigurationError],
) -> None:
    made = error.of([Problem(file="f.csv", line=2, what="x")], more=4)
    for again in (pickle.loads(pickle.dumps(made)), copy.copy(made)):
        assert type(again) is error
        assert (str(again), again.problems, again.more) == (str(made), made.problems, made.more)


def test_a_listing_without_prefix_starts_with_its_first_problem() -> None:
    error = ConfigurationError.of([Problem(path="default_scenario", what="no scenario 'x'")])
    assert str(error) == "default_scenario: no scenario 'x'"
