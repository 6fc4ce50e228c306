"""Every record to JSON-ready data and back, losslessly, with one cattrs converter.

Shapes: ``Decimal`` as a string (``"1200.00"``, exponent kept; a number is read too, a
float through ``str()``), dates, datetimes and times in ISO 8601 (a datetime in a
customer's time zone followed by the zone's name, RFC 9557:
``2026-03-09T09:00:00-04:00[America/New_York]``), enums by value, frozensets as sorted
lists, tuples as lists, journal events as dicts with a ``"type"`` tag (the class name),
agenda rows as dicts (``agenda_records``, the one shape of a row that the command line
and the data frames share).  Records
are rebuilt through their constructors, so everything read is validated; a problem is a
``LoadError`` whose message gives the path inside the document:

>>> from collectlib import Item
>>> structure({"id": "F-1", "kind": "INVOICE", "issue_date": "2026-01-05",
...            "due_date": "2026-13-01", "amount": "100", "open_amount": "100"}, Item)
Traceback (most recent call last):
...
collectlib.errors.LoadError: $.due_date: not a date: '2026-13-01'
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, get_args, get_type_hints
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote
from cattrs.gen import make_dict_structure_fn, override
from cattrs.strategies import configure_tagged_union, include_subclasses

from collectlib._checks import check_timezone, read_date
from collectlib._frozen import FrozenMap, ItemIds
from collectlib.calendars import calendar_for
from collectlib.errors import CollectError, LoadError
from collectlib.languages import Template
from collectlib.model import (
    BusinessCalendar,
    Fallback,
    JournalEvent,
    PenaltyRule,
    RateTimeline,
    Scenario,
)
from collectlib.money import (
    PerCurrency,
    coerce_per_currency,
    is_currency,
    per_currency_problem,
    read_amount,
)
from collectlib.portfolio import AgendaEntry

__all__ = [
    "agenda_columns",
    "agenda_records",
    "converter",
    "problem_message",
    "structure",
    "unstructure",
]

T = TypeVar("T")


class _BadValueError(ValueError):
    """A value a hook cannot read; its message is shown as is."""


def _decimal(value: object, _: type) -> Decimal:
    result = read_amount(value)
    if result is None:
        raise _BadValueError(f"not an amount: {value!r}")
    return result


_ISO_NAMES = {dt.date: "a date", dt.datetime: "a date and time", dt.time: "a time"}


def _per_currency(value: object, _: object) -> PerCurrency:
    """Read an amount for every currency, or a mapping currency code -> amount."""
    result = coerce_per_currency(value)
    problem = per_currency_problem(result, minimum=None)
    if problem is not None:
        raise _BadValueError(problem)
    return result  # type: ignore[return-value]  # a Decimal or a FrozenMap


def _iso(value: object, kind: type[Any]) -> Any:
    """Read a date, datetime or time: ISO 8601 text, or the value itself (TOML has them)."""
    if type(value) is kind:
        return value
    if kind is dt.date:
        day = read_date(value)
        if day is None:
            raise _BadValueError(f"not a date: {value!r}")
        return day
    try:
        return kind.fromisoformat(value)
    except (TypeError, ValueError):
        raise _BadValueError(f"not {_ISO_NAMES[kind]}: {value!r}") from None


def _datetime(value: object, _: type) -> dt.datetime:
    """Read a datetime: ISO 8601, with the time zone's name after it (RFC 9557) when it has one.

    ``2026-03-09T09:00:00-04:00[America/New_York]`` is that moment in that zone.
    """
    if type(value) is dt.datetime:
        return value
    text, zone = value, None
    if isinstance(value, str) and value.endswith("]") and "[" in value:
        text, _bracket, name = value[:-1].partition("[")
        try:
            check_timezone("datetime", "time zone", name)
        except CollectError:
            raise _BadValueError(f"not a date and time: unknown time zone {name!r}") from None
        zone = ZoneInfo(name)
    moment: dt.datetime = _iso(text, dt.datetime)
    if zone is None:
        return moment
    return moment.astimezone(zone) if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _datetime_text(value: dt.datetime) -> str:
    """Write a datetime in ISO 8601, with its time zone's name after it when it has one."""
    zone = value.tzinfo
    return value.isoformat() + (f"[{zone.key}]" if isinstance(zone, ZoneInfo) else "")


def _string(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _BadValueError(f"not a string: {value!r}")
    return value


def _integer(value: object, _: type) -> int:
    if type(value) is not int:
        raise _BadValueError(f"not a whole number: {value!r}")
    return value


def _boolean(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise _BadValueError(f"not true or false: {value!r}")
    return value


def _enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(m.value for m in kind)
        raise _BadValueError(f"unknown {kind.__name__} {value!r} (one of {names})") from None


def _string_keys(kind: Any) -> bool:
    """Whether a ``FrozenMap`` type has string keys (a JSON object), else pairs (a list)."""
    arguments = get_args(kind)
    return not arguments or arguments[0] is str


def _frozen_map_unstructure(made: cattrs.Converter, kind: Any) -> Callable[[Any], Any]:
    """Return the hook: string keys give a JSON object; other keys a list of pairs."""
    if _string_keys(kind):
        return lambda mapping: {
            made.unstructure(k): made.unstructure(v) for k, v in mapping.items()
        }
    return lambda mapping: [[made.unstructure(k), made.unstructure(v)] for k, v in mapping.items()]


def _frozen_map_structure(made: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    """Return the hook that reads what ``_frozen_map_unstructure`` writes for ``kind``."""
    key_type, value_type = get_args(kind) or (str, str)
    string_keys = _string_keys(kind)

    def pairs(value: object) -> Iterable[Any]:
        if string_keys:
            if not isinstance(value, Mapping):
                raise _BadValueError(f"not a mapping: {value!r}")
            return value.items()
        if not isinstance(value, list) or not all(
            isinstance(p, list | tuple) and len(p) == 2 for p in value
        ):
            raise _BadValueError(f"not a list of [key, value] pairs: {value!r}")
        return value

    return lambda value, _: FrozenMap(
        {made.structure(k, key_type): made.structure(v, value_type) for k, v in pairs(value)}
    )


def _template(value: object, _: type) -> Template | None:
    """Read a template: a text, or a table language -> text (the record checks its keys)."""
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        raise _BadValueError(f"not a text or a table of texts by language: {value!r}")
    texts = {}
    for language, text in value.items():
        if not isinstance(text, str):
            raise _BadValueError(f"{language}: not a text: {text!r}")
        texts[language] = text
    return FrozenMap(texts)


def _item_ids(value: object, _: type) -> ItemIds:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _BadValueError(f"not a list of item ids: {value!r}")
    return ItemIds(converter.structure(item_id, str) for item_id in value)


def _agenda_entry(value: object, _: type) -> AgendaEntry:
    if not isinstance(value, Mapping):
        raise _BadValueError(f"not a mapping: {value!r}")
    fields = _AGENDA_TYPES
    entry = AgendaEntry(
        **{
            name: converter.structure(value[name], fields[name])
            for name in AgendaEntry._fields
            if name in value
        }
    )
    if not is_currency(entry.currency):
        raise _BadValueError(
            f"currency must be an ISO 4217 code like 'EUR', not {entry.currency!r}"
        )
    return entry


_AGENDA_TYPES = get_type_hints(AgendaEntry)


def agenda_records(entries: Iterable[AgendaEntry]) -> list[dict[str, Any]]:
    """Return agenda rows as dicts: the one shape of a row, for tables, frames and JSON.

    One key per ``AgendaEntry`` field, in order; enums by value, ``item_ids`` as a
    sorted tuple; dates, amounts (``Decimal``, exact) and ``None`` as they are.
    ``unstructure`` of a row is its record made JSON-ready.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from collectlib import AgendaEntry, Channel, EntryKind
    >>> row = AgendaEntry("C-1", None, dt.date(2026, 3, 9), 7, EntryKind.SCENARIO, Channel.EMAIL,
    ...     "Courtesy e-mail", frozenset({"F-2", "F-1"}), Decimal("1200.00"), True, False,
    ...     None, 0)
    >>> record = agenda_records([row])[0]
    >>> record["kind"], record["item_ids"], record["amount"], record["currency"]
    ('SCENARIO', ('F-1', 'F-2'), Decimal('1200.00'), 'EUR')
    """
    rows = zip(*agenda_columns(entries).values(), strict=True)
    return [dict(zip(_AGENDA_FIELDS, cells, strict=True)) for cells in rows]


def agenda_columns(entries: Iterable[AgendaEntry]) -> dict[str, list[Any]]:
    """Return agenda rows as columns: the cells of ``agenda_records``, a list per field.

    For a data frame or an Arrow table, built a field at a time (no dict per row).

    >>> agenda_columns([])["item_ids"]
    []
    """
    rows = list(entries)
    if not rows:
        return {name: [] for name in _AGENDA_FIELDS}
    columns: dict[str, list[Any]] = {}
    for name, cells in zip(_AGENDA_FIELDS, zip(*rows, strict=True), strict=True):
        if name in _AGENDA_ENUMS:
            columns[name] = list(map(_ENUM_VALUE, cells))
        elif name == "item_ids":
            columns[name] = [tuple(sorted(ids)) for ids in cells]
        else:
            columns[name] = list(cells)
    return columns


_AGENDA_FIELDS = AgendaEntry._fields
_AGENDA_ENUMS = frozenset({"kind", "channel"})
_ENUM_VALUE = operator.attrgetter("_value_")  # a member's value, without the property's call


def _scenario(fields: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """Read a scenario, also in the old way: ``catch_up = true`` is ``restart = "CATCH_UP"``."""

    def hook(value: object, kind: type) -> Any:
        if isinstance(value, Mapping) and "catch_up" in value:
            value = dict(value)
            catch_up = value.pop("catch_up")
            if type(catch_up) is not bool:
                raise _BadValueError(f"catch_up: not true or false: {catch_up!r}")
            if "restart" in value:
                raise _BadValueError("give restart or the older catch_up, not both")
            value["restart"] = "CATCH_UP" if catch_up else "FIRST_STEP"
        return fields(value, kind)

    return hook


def _fallback(fields: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """Read a step's fallback as a table, or as a bare channel (``"CALL"``: no template)."""

    def hook(value: object, kind: type) -> Any:
        return fields({"channel": value} if isinstance(value, str) else value, kind)

    return hook


_Period = TypedDict("_Period", {"from": dt.date, "rate": Decimal})
"""A period of a rate timeline as files write it: ``{from = 2025-01-01, rate = "0.1115"}``."""


def _timeline_data(timeline: RateTimeline) -> list[dict[str, str]]:
    return [{"from": start.isoformat(), "rate": str(rate)} for start, rate in timeline.periods]


def _timeline(made: cattrs.Converter) -> Callable[[Any, Any], RateTimeline]:
    """Return the hook that reads a timeline: a list of ``{from, rate}`` tables."""

    def hook(value: object, _: type) -> RateTimeline:
        if not isinstance(value, list):
            raise _BadValueError(f"not a list of {{from, rate}} periods: {value!r}")
        periods = made.structure(value, list[_Period])
        return RateTimeline(periods=[(period["from"], period["rate"]) for period in periods])

    return hook


def _annual_rate(made: cattrs.Converter) -> Callable[[Any, Any], Decimal | RateTimeline]:
    """Return the hook that reads an annual rate: a rate, or a timeline (a list of periods)."""

    def hook(value: object, _: type) -> Decimal | RateTimeline:
        if isinstance(value, list):
            return made.structure(value, RateTimeline)
        rate = read_amount(value)
        if rate is None:
            raise _BadValueError(f"not a rate nor a list of {{from, rate}} periods: {value!r}")
        return rate

    return hook


def _calendar(fields: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """Read a business calendar, also from a country: ``country = "FR"``, ``years = [...]``.

    A ``country`` (with ``years``, a year or a list of years, and an optional ``subdiv``)
    takes its public holidays from the ``holidays`` package (``collectlib.calendars``);
    ``holidays`` listed beside it are added (the company's own closing days).  What is
    written back is the calendar itself: its weekend and every holiday, by date.
    """

    def hook(value: object, kind: type) -> Any:
        if isinstance(value, Mapping) and "country" in value:
            value = dict(value)
            country = value.pop("country")
            if "years" not in value:
                raise _BadValueError(f"country {country!r} needs years: years = [2026, 2027]")
            years, subdiv = value.pop("years"), value.pop("subdiv", None)
            if isinstance(years, list):
                years = tuple(years)
            public = calendar_for(country, years=years, subdiv=subdiv).holidays
            listed = value.get("holidays", [])
            if not isinstance(listed, list):
                raise _BadValueError(f"holidays: not a list of dates: {listed!r}")
            value["holidays"] = [*listed, *sorted(public)]
        return fields(value, kind)

    return hook


def _validated(cls: type, fields: Callable[[Any, type], Any]) -> Callable[[Any, type], Any]:
    """Wrap cattrs' structuring of ``cls`` so the record's own validation joins the path."""

    def hook(value: object, kind: type) -> Any:
        if not isinstance(value, Mapping):
            raise _BadValueError(f"not a mapping: {value!r}")
        try:
            return fields(value, kind)
        except cattrs.ClassValidationError as error:
            _public_names(error)
            raise
        except CollectError as error:
            raise cattrs.ClassValidationError(
                f"While structuring {cls.__name__}", [error], cls
            ) from None

    return hook


def _public_names(error: cattrs.ClassValidationError) -> None:
    """Name a private field (``_total``) by its public name in the paths of ``error``."""
    for leaf in error.exceptions:
        notes = getattr(leaf, "__notes__", None)
        if notes:
            leaf.__notes__ = [
                AttributeValidationNote(note, note.name.lstrip("_"), note.type)
                if isinstance(note, AttributeValidationNote)
                else note
                for note in notes
            ]


def _make_converter() -> cattrs.Converter:
    # use_alias: a field kept private behind a property (a report's amounts, which a
    # report over several currencies refuses to add up) reads and writes its public name.
    made = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True, use_alias=True)
    made.register_unstructure_hook(Decimal, str)
    made.register_structure_hook(Decimal, _decimal)
    made.register_structure_hook_func(lambda t: t == PerCurrency, _per_currency)
    made.register_unstructure_hook(dt.date, dt.date.isoformat)
    made.register_structure_hook(dt.date, _iso)
    made.register_unstructure_hook(dt.datetime, _datetime_text)
    made.register_structure_hook(dt.datetime, _datetime)
    made.register_unstructure_hook(dt.time, dt.time.isoformat)
    made.register_structure_hook(dt.time, _iso)
    made.register_structure_hook(str, _string)
    made.register_structure_hook(int, _integer)
    made.register_structure_hook(bool, _boolean)
    made.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda member: member.value
    )
    made.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum
    )
    made.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", t) is frozenset,
        lambda values: sorted(made.unstructure(v) for v in values),
    )
    made.register_unstructure_hook_factory(
        lambda t: getattr(t, "__origin__", t) is FrozenMap or t is FrozenMap,
        lambda t: _frozen_map_unstructure(made, t),
    )
    made.register_structure_hook_factory(
        lambda t: getattr(t, "__origin__", t) is FrozenMap or t is FrozenMap,
        lambda t: _frozen_map_structure(made, t),
    )
    made.register_structure_hook_func(lambda t: t in (Template, Template | None), _template)
    made.register_unstructure_hook(ItemIds, sorted)
    made.register_structure_hook(ItemIds, _item_ids)
    made.register_unstructure_hook(
        AgendaEntry, lambda entry: made.unstructure(agenda_records((entry,))[0])
    )
    made.register_structure_hook(AgendaEntry, _agenda_entry)
    include_subclasses(
        JournalEvent,
        made,
        union_strategy=functools.partial(configure_tagged_union, tag_name="type"),
    )
    made.register_structure_hook_factory(
        lambda t: attrs.has(t) and not issubclass(t, JournalEvent),
        lambda cls: _validated(
            cls, make_dict_structure_fn(cls, made, _cattrs_forbid_extra_keys=True)
        ),
    )
    read_scenario = made.get_structure_hook(Scenario)
    made.register_structure_hook(Scenario, _scenario(read_scenario))
    read_fallback = made.get_structure_hook(Fallback)
    made.register_structure_hook(Fallback, _fallback(read_fallback))
    made.register_unstructure_hook(RateTimeline, _timeline_data)
    made.register_structure_hook(RateTimeline, _timeline(made))
    made.register_structure_hook(
        PenaltyRule,
        _validated(
            PenaltyRule,
            make_dict_structure_fn(
                PenaltyRule,
                made,
                _cattrs_forbid_extra_keys=True,
                annual_rate=override(struct_hook=_annual_rate(made)),
            ),
        ),
    )
    read_calendar = made.get_structure_hook(BusinessCalendar)
    made.register_structure_hook(BusinessCalendar, _calendar(read_calendar))
    return made


converter = _make_converter()
"""The one converter for every record (a ``cattrs.Converter``)."""


def unstructure(record: Any) -> Any:
    """Return ``record`` (any collectlib record, tuple or list of them) as JSON-ready data."""
    return converter.unstructure(record)


def problem_message(error: BaseException, kind: type | None) -> str:
    """Return what one structuring error says, as a person reads it (without its path)."""
    if isinstance(error, CollectError | _BadValueError):
        return str(error)
    return cattrs.v.format_exception(error, kind)


def structure(data: Any, kind: type[T], where: str = "$") -> T:
    """Return ``data`` read as ``kind``, validated; a ``LoadError`` gives the path of every problem.

    ``where`` prefixes the paths (a file name, say).
    """
    try:
        return converter.structure(data, kind)
    except cattrs.BaseValidationError as error:
        problems = cattrs.transform_error(error, path=where, format_exception=problem_message)
    except (CollectError, ValueError, TypeError, KeyError, AttributeError) as error:
        problems = [f"{where}: {problem_message(error, kind)}"]  # the document itself is amiss
    raise LoadError("; ".join(_reword(p) for p in problems))


def _reword(problem: str) -> str:
    """``'not a date: x @ $.a.b'`` -> ``'$.a.b: not a date: x'``."""
    message, _, path = problem.rpartition(" @ ")
    if not message:
        return problem
    return message if message.startswith(f"{path}: ") else f"{path}: {message}"
