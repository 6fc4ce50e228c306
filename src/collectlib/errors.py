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
"""

from __future__ import annotations

__all__ = [
    "CollectError",
    "ConfigurationError",
    "LoadError",
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


class ConfigurationError(CollectError):
    """The policy is inconsistent, or a feature is used that it does not configure."""


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


class LoadError(CollectError):
    """A file that cannot be read; the message names the file and the line or path."""
