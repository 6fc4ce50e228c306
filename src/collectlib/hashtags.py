"""The #hashtags of message templates: the token rule and the names collectlib knows.

A **hashtag** is ``#`` followed by a lowercase ASCII letter, then any ASCII letters,
digits and underscores, taken as long as possible: in ``"#total_due."`` the hashtag
is ``#total_due``.  ``##`` is a literal ``#`` (so ``##fff`` in CSS gives ``#fff``).
Any other ``#`` is plain text: ``"invoice #12"``, ``"# "``, ``"#Total"`` are left as they
are.  A hashtag whose name is not in :data:`HASHTAGS` is an error, found by
:func:`check_template` before any message goes out (``Policy`` checks every template
it holds when it is built).

>>> check_template("Dear #customer_name, invoice #12 is overdue: #overdue_amount.")
('customer_name', 'overdue_amount')
>>> check_template("Pay #totl_due now")
Traceback (most recent call last):
...
collectlib.errors.TemplateError: template: unknown hashtag #totl_due at line 1, column 5 \
(did you mean #total_due?)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Final

from collectlib._frozen import FrozenMap
from collectlib.errors import TemplateError
from collectlib.languages import Template, read_template, template_texts

__all__ = [
    "HASHTAGS",
    "TOKEN",
    "check_template",
    "closest",
    "did_you_mean",
    "position",
    "template_problems",
]

TOKEN: Final = re.compile(r"##|#([a-z][A-Za-z0-9_]*)")
"""A ``##`` escape (group 1 is ``None``) or a hashtag (group 1 is its name)."""

HASHTAGS: Final[FrozenMap[str, str]] = FrozenMap(
    {
        # The seed product's names.
        "items_list": "statement of the items the message covers",
        "items_list_overdue": "statement of the overdue debit items the message covers",
        "items_list_overdue_exclude_late_penalties": (
            "statement of the overdue debit items the message covers, without the penalties column"
        ),
        "items_list_not_due": "statement of the items the message covers that are not yet due",
        "items_list_selected": "statement of the message's own open items",
        "items_amount_selected": "open amount of the message's own items",
        "items_amount_selected_include_late_penalties": (
            "open amount of the message's own items plus their late penalties"
        ),
        "items_amount_selected_late_penalties": "late penalties of the message's own items",
        "items_amount_overdue_include_late_penalties": (
            "overdue amount plus the late penalties on it"
        ),
        "items_amount_late_penalties": "late penalties on the overdue amount",
        # Ours.
        "customer_name": "the account's name (its id when it has none)",
        "account_id": "the account's id",
        "collector": "the account's collector (empty when none)",
        "total_due": (
            "open amount of the items the message covers, credits netted "
            "(the balance, in a scenario message)"
        ),
        "overdue_amount": "open amount of the overdue debit items the message covers",
        "not_due_amount": "open amount of the items the message covers that are not yet due",
        "items_list_excluded": (
            "statement of the other open items, out of the scenario (in a specific action, "
            "disputed)"
        ),
        "excluded_amount": "open amount of the items of #items_list_excluded",
        "status": "status labels of the message's own items, distinct, joined by '; '",
        "comment": "comments of the message's own items, distinct, joined by '; '",
        "promise_date": "promise dates of the message's own items, distinct, joined by '; '",
        "today": "the date the message is prepared for",
        "fees": "step fees charged so far on the items the message covers",
    }
)
"""Every hashtag name collectlib knows, with its meaning (in the order of the docs)."""

STATEMENT_TOTALS: Final[FrozenMap[str, str]] = FrozenMap(
    {
        "items_list": "total_due",
        "items_list_overdue": "overdue_amount",
        "items_list_overdue_exclude_late_penalties": "overdue_amount",
        "items_list_not_due": "not_due_amount",
        "items_list_selected": "items_amount_selected",
        "items_list_excluded": "excluded_amount",
    }
)
"""Each statement hashtag and the amount hashtag that sums exactly its items: a message
never contradicts itself, and a statement's total row is that amount."""


def template_problems(template: Template) -> list[str]:
    """Return one message per hashtag of ``template`` whose name is not in ``HASHTAGS``.

    Each message names the hashtag and where it is (line and column, from 1) and
    suggests the closest known name when there is one.  In a template given per
    language, each text is read, and a message names its text first
    (``'fr' text: unknown hashtag #totl_due at line 1, column 9``).
    """
    problems: list[str] = []
    for language, text in template_texts(template):
        where_text = "" if language is None else f"{language!r} text: "
        for match in TOKEN.finditer(text):
            name = match.group(1)
            if name is None or name in HASHTAGS:
                continue
            where = position(text, match.start())
            close = closest(name, HASHTAGS)
            hint = f" (did you mean #{close}?)" if close is not None else ""
            problems.append(f"{where_text}unknown hashtag #{name} at {where}{hint}")
    return problems


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate most like ``name`` (a typo's likely intent), or ``None``.

    Similar means ``difflib``'s ratio of at least 0.6; of equally similar candidates,
    the first wins.

    >>> closest("promis", ["dispute", "promise"]), closest("xyz", ["promise"])
    ('promise', None)
    """
    found = difflib.get_close_matches(name, list(candidates), n=1)
    return found[0] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return ``" (did you mean 'promise'?)"`` for the closest candidate, or ``""``.

    The end of a message about an unknown name: ``no status 'promis' (did you mean
    'promise'?)``.
    """
    close = closest(name, candidates)
    return f" (did you mean {close!r}?)" if close is not None else ""


def position(template: str, offset: int) -> str:
    """Say where ``offset`` is in ``template`` as ``line L, column C`` (both from 1)."""
    line = template.count("\n", 0, offset) + 1
    column = offset - (template.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def check_template(template: Template) -> tuple[str, ...]:
    """Return the hashtag names ``template`` uses (first use first, each once).

    ``template`` is a text or a mapping language -> text with a ``"default"`` entry
    (see ``collectlib.languages``): every text is checked, and the names are those of
    all the texts.  Raise ``TemplateError`` listing every unknown hashtag with its
    position, or when ``template`` is neither.

    >>> check_template("##fff, #today, #today")
    ('today',)
    >>> check_template({"default": "Due: #total_due", "fr": "Dû : #total_due au #today"})
    ('total_due', 'today')
    """
    template = read_template("check_template", template)
    problems = template_problems(template)
    if problems:
        raise TemplateError("template: " + "; ".join(problems))
    names = (
        match.group(1)
        for _language, text in template_texts(template)
        for match in TOKEN.finditer(text)
    )
    return tuple(dict.fromkeys(name for name in names if name is not None))
