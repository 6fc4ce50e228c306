"""The errors collectlib raises on purpose.

Every error derives from :class:`CollectError` and its message says what is wrong and
where: the item, action, field, or file line concerned.  Some errors also derive from
the built-in exception a Python programmer would expect (``ValueError`` for a bad
value, ``KeyError`` for an unknown id), so existing ``except`` clauses keep working.

>>> from collectlib import CollectError, UnknownItemError
>>> err = UnknownItemError("account 'C-1': no item 'F-9'")
>>> isinstance(err, CollectError), isinstance(err, KeyError)
(True, True)
>>> str(err)
"account 'C-1': no item 'F-9'"

A ``LoadError`` (a file) and a ``ConfigurationError`` (a policy) report every problem
at once, not only the first: ``error.problems`` holds them as :class:`Problem` records
(where and what, for programs), and the message lists them on one line, joined by
``"; "``, each naming its file and line or path, the first ``MAX_PROBLEMS`` of them.

>>> err = LoadError.of([Problem(file="items.csv", line=3, what="amount: not an amount: 'x'"),
...                     Problem(file="items.csv", line=7, what="issue_date: not a date: ''")])
>>> [(problem.line, problem.what) for problem in err.problems]
[(3, "amount: not an amount: 'x'"), (7, "issue_date: not a date: ''")]
>>> print(err)
items.csv:3: amount: not an amount: 'x'; items.csv:7: issue_date: not a date: ''
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any, Final, TypeVar

import attrs

__all__ = [
    "MAX_PROBLEMS",
    "CollectError",
    "ConfigurationError",
    "LoadError",
    "Problem",
    "RuleViolation",
    "TemplateError",
    "UnknownActionError",
    "UnknownItemError",
    "UnknownPlanError",
    "UnknownStatusError",
    "ValidationError",
]


class CollectError(Exception):
    """Base class of every error collectlib raises on purpose."""

    def __str__(self) -> str:
        # KeyError would wrap the message in quotes; the message is meant for people.
        return str(self.args[0]) if self.args else ""


class ValidationError(CollectError, ValueError):
    """A field has a bad value: wrong type, out of range, inconsistent with another."""


MAX_PROBLEMS: Final = 100
"""The most problems an error lists; the message counts the others (``... and 7 more``)."""


def _text(problem: Problem, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(
            f"problem: {attribute.name} must be a non-empty string, not {value!r}"
        )


def _optional_text(problem: Problem, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(problem, attribute, value)


def _line(problem: Problem, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (type(value) is not int or value < 1):
        raise ValidationError(f"problem: line must be a whole number from 1, not {value!r}")


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in a file or a policy: where it is, and what is wrong.

    ``file`` is the file's name, ``line`` the line in it (from 1; a CSV row, a syntax
    error), ``path`` the place inside the document or the record
    (``policy.statuses[2].category``, ``quick_promise.status``); each is ``None`` when
    it does not apply.  ``str()`` gives ``file:line: path: what`` without the parts that
    are ``None`` (a line without a file: ``line 3: what``).

    >>> str(Problem(file="policy.toml", path="policy.default_scenario", what="no scenario 'x'"))
    "policy.toml: policy.default_scenario: no scenario 'x'"
    """

    what: str = attrs.field(validator=_text)
    file: str | None = attrs.field(default=None, validator=_optional_text)
    line: int | None = attrs.field(default=None, validator=_line)
    path: str | None = attrs.field(default=None, validator=_optional_text)

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}" if where else f"line {self.line}"
        if self.path is not None:
            where += f": {self.path}" if where else self.path
        return f"{where}: {self.what}" if where else self.what


_Listing = TypeVar("_Listing", bound="_ProblemsError")


class _ProblemsError(CollectError):
    """An error that lists problems: ``problems``, and ``more`` beyond ``MAX_PROBLEMS``.

    Built from a message alone (``LoadError("policy.toml: cannot read")``), it lists that
    message as its one problem, without a place.
    """

    def __init__(self, message: str, problems: Iterable[Problem] = (), more: int = 0) -> None:
        listed = tuple(problems)
        # the arguments are the state: the error pickles and copies as it is
        super().__init__(message, listed or (Problem(what=message),), more)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The problems, in the order found (at most ``MAX_PROBLEMS``)."""
        return self.args[1]  # type: ignore[no-any-return]

    @property
    def more(self) -> int:
        """How many more problems were found than ``problems`` lists."""
        return self.args[2]  # type: ignore[no-any-return]

    @classmethod
    def of(
        cls: type[_Listing], problems: Iterable[Problem], *, more: int = 0, prefix: str = ""
    ) -> _Listing:
        """Return the error listing ``problems`` (at least one), with ``more`` not listed.

        The message is ``prefix`` then the problems, ``"; "``-joined; past
        ``MAX_PROBLEMS``, the rest are counted: ``...; ... and 7 more``.
        """
        remaining = iter(problems)
        listed = tuple(itertools.islice(remaining, MAX_PROBLEMS))
        if not listed:
            raise ValidationError(f"{cls.__name__}.of: problems must hold at least one problem")
        more += sum(1 for _ in remaining)
        message = prefix + "; ".join(map(str, listed))
        if more:
            message += f"; ... and {more} more"
        return cls(message, listed, more)


class ConfigurationError(_ProblemsError):
    """The policy is inconsistent, or a feature is used that it does not configure.

    A policy lists every wrong reference at once in ``problems``.
    """


class UnknownItemError(CollectError, KeyError):
    """An item id that the account does not hold."""


class UnknownActionError(CollectError, KeyError):
    """A specific-action id that the account does not hold."""


class UnknownStatusError(CollectError, KeyError):
    """A status code that the policy does not define."""


class UnknownPlanError(CollectError, KeyError):
    """A payment-plan id that the account does not hold."""


class RuleViolation(CollectError):  # noqa: N818  # the name SPEC gives
    """An operation that the collection rules forbid (e.g. qualifying a closed item)."""


class TemplateError(CollectError):
    """A message template that cannot be rendered (e.g. an unknown #hashtag)."""


class LoadError(_ProblemsError):
    """A file that cannot be read; the message names the file and the line or path.

    ``problems`` lists every problem found, each with its file, line or path.
    """
