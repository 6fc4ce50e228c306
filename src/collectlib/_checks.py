"""Field checks shared by the model classes; each raises ``ValidationError`` naming the owner.

``owner`` is how the message names the object (``item 'F-1'``), ``field`` the attribute.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
import zoneinfo
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from collectlib.enums import (
    ActionState,
    Channel,
    ItemKind,
    PlanState,
    Restart,
    StatusCategory,
    TriggerKind,
)
from collectlib.errors import ValidationError
from collectlib.money import amount_problem, is_currency, per_currency_problem

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")


def fail(owner: str, message: str) -> NoReturn:
    """Raise the ``ValidationError`` ``"<owner>: <message>"``."""
    raise ValidationError(f"{owner}: {message}")


_SURROGATES = frozenset(("Cs",))
"""Lone surrogates: half a UTF-16 pair, which UTF-8 cannot encode."""
_CONTROLS = frozenset(("Cc", "Cs"))
"""Control characters (``\\x1b``, ``\\n``...) and lone surrogates (``\\ud800``)."""


def has_category(text: str, categories: frozenset[str]) -> bool:
    """Whether ``text`` has a character of one of the Unicode ``categories`` (``"Cc"``...).

    The ``categories`` are of non-printable characters only (``Cc``, ``Cs``), so that
    printable text, nearly all text, is answered by ``str.isprintable`` alone.
    """
    return not text.isprintable() and any(
        unicodedata.category(character) in categories for character in text
    )


def check_id(owner: str, field: str, value: object) -> None:
    r"""Check that ``value`` is a non-empty string without surrounding spaces or controls.

    An id is shown in tables and messages and written to files: a control character
    (``\x1b``, ``\n``, ``\x00``...) or a lone surrogate (``\ud800``, which no UTF-8
    file can hold) is refused.
    """
    if not isinstance(value, str) or not value or value != value.strip():
        fail(owner, f"{field} must be a non-empty string without surrounding spaces, not {value!r}")
    if has_category(value, _CONTROLS):
        fail(owner, f"{field} must not contain control characters or surrogates, not {value!r}")


def check_text(owner: str, field: str, value: object, *, optional: bool = False) -> None:
    r"""Check that ``value`` is a string (or ``None`` when optional) without lone surrogates.

    Text may hold line breaks and tabs (a comment); a lone surrogate (``\ud800``) is
    refused, since no UTF-8 file can hold it.
    """
    if optional and value is None:
        return
    if not isinstance(value, str):
        fail(owner, f"{field} must be a string, not {value!r}")
    if has_category(value, _SURROGATES):
        fail(owner, f"{field} must not contain lone surrogates, not {value!r}")


def check_date(owner: str, field: str, value: object, *, optional: bool = False) -> None:
    """Check that ``value`` is a ``datetime.date`` (not a datetime), or ``None`` when optional."""
    if optional and value is None:
        return
    if type(value) is not dt.date:
        fail(owner, f"{field} must be a date, not {value!r}")


def check_timezone(owner: str, field: str, value: object, *, optional: bool = False) -> None:
    """Check that ``value`` names an IANA time zone (``"Europe/Paris"``), or ``None`` if optional.

    The name is looked up with ``zoneinfo`` (the system's time zone database, or the
    ``tzdata`` package); ``"localtime"``, the machine's own zone, is not a customer's.
    """
    if optional and value is None:
        return
    check_id(owner, field, value)
    known = value != "localtime"
    try:
        zoneinfo.ZoneInfo(value)  # type: ignore[arg-type]  # a string: check_id said so
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        known = False
    if not known:
        fail(owner, f"{field}: unknown time zone {value!r} (an IANA name such as 'Europe/Paris')")


def check_int(owner: str, field: str, value: object, *, minimum: int | None = None) -> None:
    """Check that ``value`` is an ``int`` (not a bool), at least ``minimum`` when given."""
    if type(value) is not int:
        fail(owner, f"{field} must be a whole number, not {value!r}")
    if minimum is not None and value < minimum:
        fail(owner, f"{field} must be at least {minimum}, not {value}")


def check_bool(owner: str, field: str, value: object) -> None:
    """Check that ``value`` is a ``bool``."""
    if type(value) is not bool:
        fail(owner, f"{field} must be True or False, not {value!r}")


def check_amount(
    owner: str, field: str, value: object, *, minimum: Decimal | None = None, total: bool = False
) -> None:
    """Check that ``value`` is an amount (a finite ``Decimal`` in range), at least ``minimum``.

    The range is ``money``'s: at most 18 digits before the decimal point (30 for a
    ``total`` over a portfolio) and 18 after.
    """
    problem = amount_problem(value, total=total)
    if problem is not None:
        fail(owner, f"{field}: {problem}")
    if minimum is not None and value < minimum:  # type: ignore[operator]
        fail(owner, f"{field} must be at least {minimum}, not {value}")


def check_enum(owner: str, field: str, value: object, kind: type[enum.Enum]) -> None:
    """Check that ``value`` is a member of ``kind`` (the converter has read its value)."""
    if not isinstance(value, kind):
        names = ", ".join(m.value for m in kind)
        fail(owner, f"{field}: unknown {kind.__name__} {value!r} (one of {names})")


def check_instances(owner: str, field: str, values: object, kind: type[Any]) -> None:
    """Check that ``values`` is a tuple or frozenset whose elements are instances of ``kind``."""
    if not isinstance(values, tuple | frozenset):
        fail(owner, f"{field} must be a collection of {kind.__name__}, not {values!r}")
    for position, value in enumerate(values):
        if not isinstance(value, kind):
            fail(owner, f"{field}[{position}] must be a {kind.__name__}, not {value!r}")


def to_enum(kind: type[E], value: object) -> E:
    """Read ``value`` as a member of ``kind`` (member or value); return it unchanged if not one.

    A value left unchanged is reported by the class's validation (``check_enum``).
    """
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        return value  # type: ignore[return-value]


# The converters of the model's enum fields: one named function per enum, because the
# attrs mypy plugin types a class's ``__init__`` from a named converter only (a converter
# made by a factory would be untyped).  Each reads the member or its value.


def to_action_state(value: ActionState | str) -> ActionState:
    """``to_enum(ActionState, value)``: the converter of an action's ``state``."""
    return to_enum(ActionState, value)


def to_channel(value: Channel | str) -> Channel:
    """``to_enum(Channel, value)``: the converter of every ``channel`` field."""
    return to_enum(Channel, value)


def to_item_kind(value: ItemKind | str) -> ItemKind:
    """``to_enum(ItemKind, value)``: the converter of an item's ``kind``."""
    return to_enum(ItemKind, value)


def to_plan_state(value: PlanState | str) -> PlanState:
    """``to_enum(PlanState, value)``: the converter of a plan review's ``state``."""
    return to_enum(PlanState, value)


def to_restart(value: Restart | str) -> Restart:
    """``to_enum(Restart, value)``: the converter of a scenario's ``restart``."""
    return to_enum(Restart, value)


def to_trigger_kind(value: TriggerKind | str) -> TriggerKind:
    """``to_enum(TriggerKind, value)``: the converter of a trigger's ``kind``."""
    return to_enum(TriggerKind, value)


def to_status_category(value: StatusCategory | str) -> StatusCategory:
    """``to_enum(StatusCategory, value)``: the converter of a status's ``category``."""
    return to_enum(StatusCategory, value)


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Freeze an iterable into a tuple (a string is one value, not characters)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]  # reported by check_instances


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Freeze an iterable into a frozenset (a string is one value, not characters)."""
    if isinstance(value, frozenset):
        return value
    if isinstance(value, str):
        return frozenset((value,))
    try:
        return frozenset(value)
    except TypeError:
        return value  # type: ignore[return-value]  # reported by check_instances


def check_instance(owner: str, field: str, value: object, kind: type[Any]) -> None:
    """Check that ``value`` is an instance of ``kind``.

    The message reads ``"<owner>: <field> must be a <kind>, not <value>"``: a public
    function checks its arguments with its own name as ``owner``.
    """
    if not isinstance(value, kind):
        fail(owner, f"{field} must be {_a(kind.__name__)}, not {value!r}")


def check_currency(owner: str, field: str, value: object) -> None:
    """Check that ``value`` is an active ISO 4217 currency code (``EUR``, not ``XYZ``)."""
    if not is_currency(value):
        fail(owner, f"{field} must be an ISO 4217 code like 'EUR', not {value!r}")


def check_per_currency(owner: str, field: str, value: object) -> None:
    """Check an amount ``>= 0`` for every currency, or a mapping currency code -> such amount."""
    problem = per_currency_problem(value)
    if problem is not None:
        fail(owner, f"{field}: {problem}")


def check_each(owner: str, field: str, values: object, kind: type[T]) -> Iterator[T]:
    """Yield the elements of the collection ``values``, each checked to be a ``kind``.

    For the arguments that take any iterable of records (a portfolio's accounts, an
    extract's items), read once: ``values`` that is not iterable, or a string, fails
    on the first step; an element that is not a ``kind`` fails when it is reached,
    named by its position (``accounts[3] must be an Account``).
    """
    if isinstance(values, str | bytes):
        fail(owner, f"{field} must be a collection of {kind.__name__}, not {values!r}")
    try:
        elements = iter(values)  # type: ignore[call-overload]
    except TypeError:
        fail(owner, f"{field} must be a collection of {kind.__name__}, not {values!r}")
    for position, value in enumerate(elements):
        if not isinstance(value, kind):
            fail(owner, f"{field}[{position}] must be {_a(kind.__name__)}, not {value!r}")
        yield value


def _a(name: str) -> str:
    """Return ``name`` after its indefinite article: ``an Account``, ``a Policy``."""
    return f"{'an' if name[0] in 'AEIOU' else 'a'} {name}"


def read_date(value: object) -> dt.date | None:
    """Read an outside value as a date, or return ``None`` when it is not one.

    The one reading of dates from outside (files, tables, the command line): a
    ``date`` as is (a ``datetime`` is not a date: its time would be lost), or ISO 8601
    text (``2026-02-04``, surrounding spaces ignored).

    >>> read_date(" 2026-02-04"), read_date("04/02/2026"), read_date(dt.datetime(2026, 2, 4))
    (datetime.date(2026, 2, 4), None, None)
    """
    if type(value) is dt.date:
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
