"""Message templates: the values of the #hashtags, and rendering them as text or HTML.

``template_context`` computes what every hashtag stands for, for an account, the
items an action is about and a date; ``render`` puts those values into a template.
The context holds values, not text (``Money``, dates, ``Statement`` tables, strings),
so one context renders an HTML e-mail, a plain-text SMS or a French letter alike:
``render`` formats them.

- **Formatting.**  By default the output does not depend on the machine: amounts as
  ``1,234.56 EUR`` (quantized half up to the currency's minor unit), dates ISO
  (``2026-02-04``).  With ``locale="fr_FR"`` (any locale Babel knows) amounts and dates
  follow the locale's own standard, from Babel's CLDR data (``1 234,56 €``,
  ``4 févr. 2026``); Babel is the optional extra ``collectlib[i18n]`` and is imported
  only when a locale is asked for.
- **Languages.**  A template may be one text per language (a mapping with a
  ``"default"``): the context carries the account's language (``"language"``), and
  ``render`` takes the text for it (``collectlib.languages.template_for``).  The
  language picks the words, never the formatting: that is ``locale``'s alone.
- **HTML mode.**  Every inserted value is escaped (``<``, ``>``, ``&``, quotes), names
  and comments included, since they come from outside; statements become ``<table>``
  elements whose cells are escaped.  The template itself is taken as HTML, untouched.
  Inside a tag, a value must stand in a quoted attribute value, never in an event
  handler; one that would make a URL attribute (``href``, ``src``...) a
  ``javascript:``, ``vbscript:`` or ``data:`` URL is prefixed with ``unsafe:``.

>>> from datetime import date
>>> from collectlib import Account, Item, Policy
>>> account = Account(id="C-7", name="Durand & Fils", items=[
...     Item(id="F-1", kind="INVOICE", issue_date=date(2026, 1, 5),
...          due_date=date(2026, 2, 4), amount="1234.5", open_amount="1234.5")])
>>> context = template_context(account, ["F-1"], Policy(), date(2026, 2, 20))
>>> render("#customer_name owes #overdue_amount (invoice ##1 of #today).", context)
'Durand & Fils owes 1,234.50 EUR (invoice #1 of 2026-02-20).'
>>> render("<p>#customer_name</p>", context, html=True)
'<p>Durand &amp; Fils</p>'
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html as html_
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final, TypeAlias

import attrs

from collectlib._checks import (
    check_amount,
    check_bool,
    check_currency,
    check_date,
    check_id,
    check_instance,
    check_instances,
    check_int,
    check_text,
    fail,
    to_frozenset,
    to_tuple,
)
from collectlib._frozen import FrozenMap, trusted_new
from collectlib.errors import ConfigurationError, TemplateError, UnknownStatusError
from collectlib.hashtags import HASHTAGS, TOKEN, position, template_problems
from collectlib.languages import Template, is_language, read_template, resolve
from collectlib.model import Account, Item, Policy
from collectlib.money import (
    ZERO,
    Money,
    exact,
    in_currency,
    money_text,
    quantize_for_people,
    to_amount,
)
from collectlib.rules.actions import checked_item_ids
from collectlib.rules.penalties import ItemPenalty, penalties_trusted
from collectlib.rules.selection import check_account_policy, scan

if TYPE_CHECKING:
    from types import ModuleType

    from babel import Locale

__all__ = [
    "LANGUAGE",
    "Statement",
    "StatementRow",
    "TemplateValue",
    "format_amount",
    "format_date",
    "render",
    "template_context",
]

_HEADINGS: Final = ("Item", "Issued", "Due", "Amount", "Open", "Days late", "Status")
_PENALTIES_HEADING: Final = "Penalties"
_RIGHT: Final = frozenset({3, 4, 5, 7})  # the columns of numbers, aligned right
_SEPARATOR: Final = "; "
LANGUAGE: Final = "language"
"""The context's key for the account's language (not a hashtag): it picks a template's text."""


@attrs.frozen(kw_only=True)
class StatementRow:
    """One line of a statement: an open item, its dates, amounts, lateness and status.

    ``days_late`` is 0 when the item is not overdue; ``status`` is the status's label
    (empty when none); ``penalties`` is what the item bears in late penalties, and
    ``None`` in a statement that shows no penalties.
    """

    item_id: str
    issue_date: dt.date
    due_date: dt.date
    amount: Decimal
    open_amount: Decimal
    days_late: int = 0
    status: str = ""
    penalties: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        check_id("statement row", "item_id", self.item_id)
        owner = f"statement row {self.item_id!r}"
        check_date(owner, "issue_date", self.issue_date)
        check_date(owner, "due_date", self.due_date)
        check_amount(owner, "amount", self.amount)
        check_amount(owner, "open_amount", self.open_amount)
        check_int(owner, "days_late", self.days_late, minimum=0)
        check_text(owner, "status", self.status)
        if self.penalties is not None:
            check_amount(owner, "penalties", self.penalties, minimum=ZERO)


@attrs.frozen(kw_only=True)
class Statement:
    """A table of open items in one currency, as ``#items_list`` and its variants show it.

    ``with_penalties`` adds a penalties column (each row's ``penalties`` is then set).
    ``render`` writes it as a text table (columns aligned, a total line) or, in HTML
    mode, as a ``<table>``; a statement with no row renders as nothing.
    """

    currency: str
    rows: tuple[StatementRow, ...] = attrs.field(default=(), converter=to_tuple)
    with_penalties: bool = False

    def __attrs_post_init__(self) -> None:
        check_currency("statement", "currency", self.currency)
        check_instances("statement", "rows", self.rows, StatementRow)
        check_bool("statement", "with_penalties", self.with_penalties)
        if self.with_penalties:
            for row in self.rows:
                if row.penalties is None:
                    fail("statement", f"row {row.item_id!r} has no penalties")

    @property
    @exact
    def total(self) -> Decimal:
        """The sum of the rows' open amounts."""
        return sum((row.open_amount for row in self.rows), ZERO)

    @property
    @exact
    def penalties_total(self) -> Decimal:
        """The sum of the rows' penalties (zero when the statement shows none)."""
        return sum((row.penalties or ZERO for row in self.rows), ZERO)


TemplateValue: TypeAlias = (
    str | Money | dt.date | Statement | tuple[str | Money | dt.date, ...] | None
)
"""What a context maps a hashtag name to.  A tuple shows its values joined by ``"; "``;
``None`` shows nothing."""


def _statement_order(item: Item) -> tuple[dt.date, dt.date, str]:
    return item.due_date, item.issue_date, item.id


@exact
def template_context(
    account: Account,
    item_ids: Iterable[str],
    policy: Policy,
    on: dt.date,
    *,
    names: Iterable[str] | None = None,
) -> FrozenMap[str, TemplateValue]:
    """Return the value of every hashtag of ``HASHTAGS`` for ``account`` on ``on``.

    ``item_ids`` are the message's *own* items (an action's items, a proposal's
    ``item_ids``); unknown ids are an ``UnknownItemError``, closed ones are left out
    (an action's message shows what is still open).  The statements cover the
    collectable items plus the message's own items (SPEC 13.9): so a scenario
    message never lists an item in a specific action or in dispute as due, and a
    specific action's message lists its own items besides.  Each statement has an
    amount hashtag over exactly its items (``STATEMENT_TOTALS``), equal to its total
    row; ``#items_list_excluded`` lists the other open items, those out of the
    scenario; a debit below ``policy.ignore_below`` is listed nowhere.  Statements
    list items by due date, then issue date, then id, and show a penalties column
    when the account has penalties enabled and the policy a rule
    (``#items_list_not_due``, ``#items_list_overdue_exclude_late_penalties`` and
    ``#items_list_excluded`` never do).  Amounts are in the account's currency.

    The context also holds, under ``"language"``, the account's language when it has
    one (``render`` picks a template's text by it), whatever ``names`` says.

    ``names`` (e.g. ``check_template(template)``) restricts the context to those
    hashtags, and the work to what they need (a message without a statement does
    not sort the items; one without penalties does not compute them); a name that
    is not in ``HASHTAGS`` is a ``TemplateError``.  Every value takes time linear in
    the account's size (a sort aside).
    """
    what = "template_context"
    check_account_policy(what, account, policy)
    check_date(what, "on", on)
    selected = checked_item_ids(account, item_ids, what, open_only=False, empty=True)
    wanted = _wanted(names)
    message = _Message(account, selected, policy, on)
    values: dict[str, TemplateValue] = {name: _VALUES[name](message) for name in wanted}
    if account.language is not None:
        values[LANGUAGE] = account.language
    return FrozenMap(values)


def _wanted(names: Iterable[str] | None) -> tuple[str, ...]:
    """Return the hashtag names asked for, in ``HASHTAGS`` order; unknown ones are errors."""
    if names is None:
        return tuple(HASHTAGS)
    asked: object = to_frozenset(names)
    if not isinstance(asked, frozenset):
        fail("template_context", f"names must be a collection of hashtag names, not {names!r}")
    unknown = sorted(str(name) for name in asked if name not in HASHTAGS)
    if unknown:
        raise TemplateError(
            "template_context: unknown hashtag " + ", ".join(f"#{name}" for name in unknown)
        )
    return tuple(name for name in HASHTAGS if name in asked)


class _Message:
    """The items one message covers and what they add up to.

    Each is worked out when first needed, then kept: a context is built from one
    ``_Message``, which is then dropped.
    """

    def __init__(
        self, account: Account, selected_ids: frozenset[str], policy: Policy, on: dt.date
    ) -> None:
        for item_id in sorted(selected_ids):
            account.item(item_id)  # an unknown id is an error, whatever the template
        self.account, self.selected_ids, self.policy, self.on = account, selected_ids, policy, on
        self.currency = account.currency
        self.ignore_below = in_currency(policy.ignore_below, account.currency)
        self.shows_penalties = account.penalties_enabled and policy.penalties is not None
        self._by_item: dict[str, ItemPenalty] = {}
        self._priced: set[str] = set()

    def listed(self, item: Item) -> bool:
        """Whether ``item`` may be listed at all: open, and not a debit below ``ignore_below``."""
        open_amount = item.open_amount
        return bool(open_amount) and not ZERO < open_amount < self.ignore_below

    @functools.cached_property
    def _groups(self) -> tuple[list[Item], list[Item]]:
        """The covered items and the other open items (excluded), in statement order."""
        _leader, _balance, collectable_ids, _unfollowed = scan(self.account, self.policy)
        collectable, selected = frozenset(collectable_ids), self.selected_ids
        covered: list[Item] = []
        excluded: list[Item] = []
        for item in self.account.items:
            if item.id in collectable:
                covered.append(item)
            elif not self.listed(item):
                continue
            elif item.id in selected:
                covered.append(item)
            else:
                excluded.append(item)
        covered.sort(key=_statement_order)
        excluded.sort(key=_statement_order)
        return covered, excluded

    @property
    def covered(self) -> list[Item]:
        """The items the statements cover: collectable, and the message's own listed items."""
        return self._groups[0]

    @property
    def excluded(self) -> list[Item]:
        """The other listed items: out of the scenario and not the message's."""
        return self._groups[1]

    @functools.cached_property
    def own(self) -> list[Item]:
        """The message's own listed items, in statement order (found without a scan)."""
        item = self.account.item
        own = [item(item_id) for item_id in self.selected_ids]
        return sorted(filter(self.listed, own), key=_statement_order)

    @functools.cached_property
    def overdue(self) -> list[Item]:
        """The covered debits overdue on the date."""
        on = self.on
        return [item for item in self.covered if item.is_overdue(on)]

    @functools.cached_property
    def not_due(self) -> list[Item]:
        """The covered items whose due date is the date or later."""
        on = self.on
        return [item for item in self.covered if item.due_date >= on]

    def penalties(self, items: list[Item]) -> Mapping[str, ItemPenalty] | None:
        """Return the penalties by item id, known at least for ``items``; None when not shown.

        Each item is priced once: a statement of every covered item prices them all in
        one ``penalties`` call, and its subsets read them from there.
        """
        if not self.shows_penalties:
            return None
        missing = [item.id for item in items if item.id not in self._priced]
        if missing:
            priced = penalties_trusted(self.account, frozenset(missing), self.policy, self.on)
            self._by_item.update(priced.by_item)
            self._priced.update(missing)
        return self._by_item

    def penalties_of(self, items: list[Item]) -> Decimal:
        """Return the total penalties of ``items``."""
        by_item = self.penalties(items)
        if by_item is None:
            return ZERO
        # Late penalties: interest and recovery costs; the step fees are ``#fees``.
        return sum((_late(by_item[item.id]) for item in items if item.id in by_item), ZERO)

    def statement(self, items: list[Item], *, with_penalties: bool = True) -> Statement:
        """Return the statement of ``items``, with the penalties column when shown."""
        shown = self.penalties(items) if with_penalties else None
        return _statement(items, self.currency, self.policy, self.on, shown)

    def money(self, amount: Decimal) -> Money:
        """Return ``amount`` in the account's currency.

        Built trusted: a sum of the account's amounts (and penalties) in its currency.
        """
        return trusted_new(Money, amount=amount, currency=self.currency)

    def amount(self, items: list[Item]) -> Money:
        """Return the open amount of ``items``."""
        return self.money(sum((item.open_amount for item in items), ZERO))

    def distinct(self, values: Iterable[str]) -> tuple[str, ...]:
        """Return the non-empty ``values``, each once, in order."""
        return tuple(dict.fromkeys(value for value in values if value))


_VALUES: Final[Mapping[str, Callable[[_Message], TemplateValue]]] = FrozenMap(
    {
        "items_list": lambda m: m.statement(m.covered),
        "items_list_overdue": lambda m: m.statement(m.overdue),
        "items_list_overdue_exclude_late_penalties": lambda m: m.statement(
            m.overdue, with_penalties=False
        ),
        "items_list_not_due": lambda m: m.statement(m.not_due, with_penalties=False),
        "items_list_selected": lambda m: m.statement(m.own),
        "items_amount_selected": lambda m: m.amount(m.own),
        "items_amount_selected_include_late_penalties": lambda m: m.money(
            m.amount(m.own).amount + m.penalties_of(m.own)
        ),
        "items_amount_selected_late_penalties": lambda m: m.money(m.penalties_of(m.own)),
        "items_amount_overdue_include_late_penalties": lambda m: m.money(
            m.amount(m.overdue).amount + m.penalties_of(m.overdue)
        ),
        "items_amount_late_penalties": lambda m: m.money(m.penalties_of(m.overdue)),
        "customer_name": lambda m: m.account.name or m.account.id,
        "account_id": lambda m: m.account.id,
        "collector": lambda m: m.account.collector or "",
        "total_due": lambda m: m.amount(m.covered),
        "overdue_amount": lambda m: m.amount(m.overdue),
        "not_due_amount": lambda m: m.amount(m.not_due),
        "items_list_excluded": lambda m: m.statement(m.excluded, with_penalties=False),
        "excluded_amount": lambda m: m.amount(m.excluded),
        "fees": lambda m: m.money(
            penalties_trusted(
                m.account, frozenset(item.id for item in m.covered), m.policy, m.on
            ).fees
        ),
        "status": lambda m: m.distinct(
            _label(item.status, m.policy) for item in m.own if item.status is not None
        ),
        "comment": lambda m: m.distinct(item.comment for item in m.own),
        "promise_date": lambda m: tuple(
            sorted({item.promise_date for item in m.own if item.promise_date is not None})
        ),
        "today": lambda m: m.on,
    }
)
"""How each hashtag's value is worked out from a message's items (one entry per name)."""


def _label(code: str, policy: Policy) -> str:
    """Return the label of the status ``code``, or the code when the policy lacks it."""
    try:
        return policy.status(code).label
    except UnknownStatusError:
        return code


def _late(entry: ItemPenalty) -> Decimal:
    """Return an item's late penalties without its step fees (they have ``#fees``)."""
    return entry.interest + entry.recovery_cost


def _statement(
    items: list[Item],
    currency: str,
    policy: Policy,
    on: dt.date,
    shown: Mapping[str, ItemPenalty] | None,
) -> Statement:
    rows = []
    for item in items:
        penalty = None
        if shown is not None:
            entry = shown.get(item.id)
            penalty = _late(entry) if entry is not None else ZERO
        rows.append(
            trusted_new(  # the fields of a validated item, its label, its penalties
                StatementRow,
                item_id=item.id,
                issue_date=item.issue_date,
                due_date=item.due_date,
                amount=item.amount,
                open_amount=item.open_amount,
                days_late=item.days_late(on) if item.is_debit else 0,
                status="" if item.status is None else _label(item.status, policy),
                penalties=penalty,
            )
        )
    return trusted_new(
        Statement, currency=currency, rows=tuple(rows), with_penalties=shown is not None
    )


@exact
def render(
    template: Template,
    context: Mapping[str, TemplateValue],
    html: bool = False,
    *,
    locale: str | None = None,
) -> str:
    """Return ``template`` with each #hashtag replaced by its value in ``context``.

    ``template`` is a text, or a mapping language -> text with a ``"default"``: then
    the text is the one for ``context["language"]`` (the account's language, which
    ``template_context`` puts there), as ``template_for`` picks it (``de_CH``, then
    ``de``, then ``default``); without a language, the ``default``.

    The token rule is ``collectlib.hashtags``'s (``##`` gives ``#``; ``invoice #12`` is
    left alone).  A hashtag that collectlib does not know, or that ``context`` has no
    value for, is a ``TemplateError`` listing every such hashtag with its line and
    column.  ``html=True`` escapes every inserted value.  Amounts and dates are
    locale-neutral (``1,234.56 EUR``, ``2026-02-04``) unless ``locale`` is given: then
    they are written the locale's way (Babel needed, else ``ConfigurationError``); the
    language of the context picks the text only, never the formatting, so the output
    does not depend on what is installed.

    >>> from collectlib import Money
    >>> render("Total: #total_due, ##1 and invoice #12", {"total_due": Money(amount=5)})
    'Total: 5.00 EUR, #1 and invoice #12'
    >>> render({"default": "Total: #total_due", "fr": "Total dû : #total_due"},
    ...        {"total_due": Money(amount=5), "language": "fr_CH"})
    'Total dû : 5.00 EUR'
    >>> render("#total_due #todya", {})
    Traceback (most recent call last):
    ...
    collectlib.errors.TemplateError: template: unknown hashtag #todya at line 1, column 12 \
(did you mean #today?); no value for #total_due at line 1, column 1
    """
    template = read_template("render", template)
    check_instance("render", "context", context, Mapping)
    check_bool("render", "html", html)
    check_text("render", "locale", locale, optional=True)
    language = context.get(LANGUAGE)
    if language is not None and not is_language(language):
        fail(
            "render",
            f"context[{LANGUAGE!r}] must be a language like 'fr' or 'de_CH', not {language!r}",
        )
    template = resolve(template, language)  # type: ignore[arg-type]
    problems = template_problems(template)
    for match in TOKEN.finditer(template):
        name = match.group(1)
        if name is not None and name in HASHTAGS and name not in context:
            problems.append(f"no value for #{name} at {position(template, match.start())}")
    if problems:
        raise TemplateError("template: " + "; ".join(problems))
    formats = _Formats(locale)
    regions = _tag_regions(template) if html else ()
    shown: dict[str, str] = {}
    parts: list[str] = []
    inside: dict[_Region, list[tuple[re.Match[str], int]]] = {}
    last = 0
    for match in TOKEN.finditer(template):
        parts.append(template[last : match.start()])
        last = match.end()
        name = match.group(1)
        region = _enclosing(regions, match.start())
        if region is not None:
            inside.setdefault(region, []).append((match, len(parts)))
        if name is None:
            parts.append("#")
            continue
        if region is not None:
            _check_in_tag(template, match, region, context[name])
        if name not in shown:
            shown[name] = formats.show(name, context[name], html)
        parts.append(shown[name])
    parts.append(template[last:])
    for region, tokens in inside.items():
        if region.attribute in _URL_ATTRIBUTES:
            _neutralise_url(template, region, tokens, parts)
    return "".join(parts)


# In HTML mode, where a hashtag stands inside a tag's attribute value, escaping is not
# enough: an ``href`` value that *begins* with the customer's name ``javascript:alert(1)``
# is a script, a value without quotes ends at the first space, and an event handler
# (``onclick``) runs whatever it holds.
_TAG: Final = re.compile(r"""<[A-Za-z][^\s/>]*((?:"[^"]*"|'[^']*'|[^'">])*)>""")
_ATTRIBUTE: Final = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_URL_ATTRIBUTES: Final = frozenset(
    {
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "formaction",
        "href",
        "longdesc",
        "poster",
        "src",
        "xlink:href",
    }
)
_UNSAFE_SCHEMES: Final = frozenset({"javascript", "vbscript", "data"})
_NEUTRAL_PREFIX: Final = "unsafe:"
_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_IGNORED: Final = re.compile("[\t\n\r]")
_C0_AND_SPACE: Final = "".join(map(chr, range(0x21)))


@attrs.frozen
class _Region:
    """A stretch of a template inside a tag.

    Either a quoted attribute value (``attribute`` is the attribute's name, lowercase)
    or the rest of the tag (``attribute`` is None).
    """

    attribute: str | None
    start: int
    end: int


def _tag_regions(template: str) -> tuple[_Region, ...]:
    """Return the regions of the template's tags, in order.

    The template is trusted HTML: this reads tags well enough to tell where a hashtag
    stands, no more.
    """
    found = []
    for tag in _TAG.finditer(template):
        start = tag.start()
        for attribute in _ATTRIBUTE.finditer(template, tag.start(1), tag.end(1)):
            for group in (2, 3):  # a value in double, or single, quotes
                if attribute.start(group) >= 0:
                    found.append(_Region(attribute=None, start=start, end=attribute.start(group)))
                    found.append(
                        _Region(
                            attribute=attribute.group(1).lower(),
                            start=attribute.start(group),
                            end=attribute.end(group),
                        )
                    )
                    start = attribute.end(group)
        found.append(_Region(attribute=None, start=start, end=tag.end()))
    return tuple(found)


def _enclosing(regions: tuple[_Region, ...], offset: int) -> _Region | None:
    """Return the region that holds ``offset``, if any."""
    at = bisect.bisect_right(regions, offset, key=lambda region: region.start) - 1
    if at >= 0 and offset < regions[at].end:
        return regions[at]
    return None


def _check_in_tag(template: str, match: re.Match[str], region: _Region, value: object) -> None:
    """Refuse a hashtag inside a tag where no escaped value is safe."""
    where = f"#{match.group(1)} at {position(template, match.start())}"
    if region.attribute is None:  # a space would end the value, "onclick=..." add one
        raise TemplateError(
            f"template: {where} is inside a tag but not in a quoted attribute value: "
            'quote it (href="#...")'
        )
    if region.attribute.startswith("on"):
        raise TemplateError(
            f"template: {where} is inside the event handler {region.attribute}= (script: "
            "escaping cannot make a value safe there)"
        )
    if isinstance(value, Statement):
        raise TemplateError(f"template: {where}: a statement cannot go inside an attribute")


def _neutralise_url(
    template: str,
    region: _Region,
    tokens: list[tuple[re.Match[str], int]],
    parts: list[str],
) -> None:
    """Make sure the URL in ``region`` has no script scheme once values are inserted.

    When it has one, the first inserted value is prefixed with ``unsafe:`` (the URL
    becomes inert, an unknown scheme); when the template itself wrote the scheme, the
    hashtag is refused.
    """
    hashtags = [(match, at) for match, at in tokens if match.group(1) is not None]
    if not hashtags or _script_scheme(_value(template, region, tokens, parts)) is None:
        return
    match, at = hashtags[0]
    parts[at] = _NEUTRAL_PREFIX + parts[at]
    scheme = _script_scheme(_value(template, region, tokens, parts))
    if scheme is not None:
        raise TemplateError(
            f"template: #{match.group(1)} at {position(template, match.start())} is inside "
            f"a {scheme}: URL ({region.attribute}=)"
        )


def _value(
    template: str,
    region: _Region,
    tokens: list[tuple[re.Match[str], int]],
    parts: list[str],
) -> str:
    """Return the attribute's value as a browser reads it: rendered, then unescaped."""
    pieces: list[str] = []
    last = region.start
    for match, at in tokens:
        pieces += (template[last : match.start()], parts[at])
        last = match.end()
    pieces.append(template[last : region.end])
    return html_.unescape("".join(pieces))


def _script_scheme(url: str) -> str | None:
    """Return the URL's scheme when it runs code (``javascript``, ``vbscript``, ``data``).

    As a browser's URL parser does: surrounding control characters and spaces are
    dropped, tabs and newlines anywhere ignored, and case does not count.
    """
    found = _SCHEME.match(_URL_IGNORED.sub("", url.strip(_C0_AND_SPACE)))
    if found is not None and found.group(1).lower() in _UNSAFE_SCHEMES:
        return found.group(1).lower()
    return None


@exact
def format_amount(amount: Decimal, currency: str, locale: str | None = None) -> str:
    """Format an amount as templates show it: ``1,234.56 EUR``, or the locale's way.

    The amount is first quantized half up to the currency's minor unit.

    >>> from decimal import Decimal
    >>> format_amount(Decimal("1234.565"), "EUR")
    '1,234.57 EUR'
    """
    value = to_amount(amount, "format_amount: amount", total=True)
    check_currency("format_amount", "currency", currency)
    check_text("format_amount", "locale", locale, optional=True)
    return _Formats(locale).amount(value, currency)


def format_date(day: dt.date, locale: str | None = None) -> str:
    """Format a date as templates show it: ISO (``2026-02-04``), or the locale's medium form.

    >>> format_date(dt.date(2026, 2, 4))
    '2026-02-04'
    """
    check_date("format_date", "day", day)
    check_text("format_date", "locale", locale, optional=True)
    return _Formats(locale).date(day)


class _Formats:
    """How amounts and dates are written: locale-neutral, or a Babel locale's way."""

    __slots__ = ("_babel", "_locale")

    def __init__(self, locale: str | None) -> None:
        self._babel: ModuleType | None = None
        self._locale: Locale | None = None
        if locale is not None:
            try:
                # Babel is optional: imported when a locale is asked for, never before.
                from collectlib import _babel  # noqa: PLC0415
            except ImportError:  # tested with Babel hidden
                raise ConfigurationError(
                    f"locale {locale!r} needs Babel: pip install 'collectlib[i18n]'"
                ) from None
            self._babel, self._locale = _babel, _babel.parse_locale(locale)

    def amount(self, amount: Decimal, currency: str) -> str:
        # A valid amount and currency: a statement's cell or total, a Money's, or checked.
        if self._babel is None:
            return money_text(amount, currency)
        shown = quantize_for_people(amount, currency)
        return self._babel.amount(shown, currency, self._locale)  # type: ignore[no-any-return]

    def date(self, day: dt.date) -> str:
        if self._babel is None:
            return day.isoformat()
        return self._babel.date(day, self._locale)  # type: ignore[no-any-return]

    def show(self, name: str, value: object, html: bool) -> str:
        """Return ``value`` as inserted for ``#name`` (escaped in HTML mode)."""
        if isinstance(value, Statement):
            return self._html_table(value) if html else self._text_table(value)
        if isinstance(value, tuple):
            text = _SEPARATOR.join(self._text(name, part) for part in value)
        else:
            text = self._text(name, value)
        return html_.escape(text) if html else text

    def _text(self, name: str, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, Money):
            return self.amount(value.amount, value.currency)
        if type(value) is dt.date:
            return self.date(value)
        raise TemplateError(
            f"#{name}: cannot insert a {type(value).__name__} "
            "(a context value is a str, Money, date, Statement, a tuple of them, or None)"
        )

    def _cells(self, statement: Statement) -> tuple[list[str], list[list[str]], list[str]]:
        currency, amount, date = statement.currency, self.amount, self.date
        headings = list(_HEADINGS)
        if statement.with_penalties:
            headings.append(_PENALTIES_HEADING)
        rows = []
        for row in statement.rows:
            cells = [
                row.item_id,
                date(row.issue_date),
                date(row.due_date),
                amount(row.amount, currency),
                amount(row.open_amount, currency),
                str(row.days_late) if row.days_late else "",
                row.status,
            ]
            if statement.with_penalties:
                cells.append(amount(row.penalties, currency) if row.penalties else "")
            rows.append(cells)
        total = ["Total", "", "", "", amount(statement.total, currency), "", ""]
        if statement.with_penalties:
            total.append(amount(statement.penalties_total, currency))
        return headings, rows, total

    def _text_table(self, statement: Statement) -> str:
        if not statement.rows:
            return ""
        headings, rows, total = self._cells(statement)
        lines = [headings, *rows, total]
        widths = [max(len(line[column]) for line in lines) for column in range(len(headings))]
        lines.insert(1, ["-" * width for width in widths])

        def line(cells: list[str]) -> str:
            padded: list[Callable[[int], str]] = [
                cell.rjust if column in _RIGHT else cell.ljust for column, cell in enumerate(cells)
            ]
            return "  ".join(pad(width) for pad, width in zip(padded, widths, strict=True)).rstrip()

        return "\n".join(line(cells) for cells in lines)

    def _html_table(self, statement: Statement) -> str:
        if not statement.rows:
            return ""
        headings, rows, total = self._cells(statement)
        escape = html_.escape

        def cells(tag: str, values: list[str]) -> str:
            return "".join(
                f'<{tag} class="amount">{escape(value)}</{tag}>'
                if column in _RIGHT
                else f"<{tag}>{escape(value)}</{tag}>"
                for column, value in enumerate(values)
            )

        body = "\n".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
        return (
            '<table class="collectlib-statement">\n'
            f"<thead><tr>{cells('th', headings)}</tr></thead>\n"
            f"<tbody>\n{body}\n</tbody>\n"
            f"<tfoot><tr>{cells('td', total)}</tr></tfoot>\n"
            "</table>"
        )
