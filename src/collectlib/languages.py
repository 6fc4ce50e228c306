"""Languages, and templates given per language (a text or a mapping language -> text).

A **language** is an ISO 639-1 code, two lowercase letters (``"fr"``), optionally
followed by ``_`` and an ISO 3166 region, two capitals (``"de_CH"``, ``"en_US"``).
``Account.language`` holds one; an unknown language (``"xx"``, ``"klingon"``) is a
``ValidationError``.  The region's two capitals are not checked against ISO 3166.

A **template** is a text, or a mapping language -> text with a ``"default"`` entry
(``{"default": "...", "fr": "...", "de_CH": "..."}``), held as an immutable
``FrozenMap``.  :func:`template_for` picks the text for a language: the language
itself (``de_CH``), then its base language (``de``), then ``default``.

>>> letter = {"default": "Please pay #total_due.", "de": "Bitte zahlen Sie #total_due."}
>>> template_for(letter, "de_CH"), template_for(letter, "fr"), template_for(letter, None)
('Bitte zahlen Sie #total_due.', 'Please pay #total_due.', 'Please pay #total_due.')
>>> template_for("Please pay #total_due.", "de")
'Please pay #total_due.'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, TypeAlias

from collectlib._checks import fail, has_category
from collectlib._frozen import FrozenMap
from collectlib.errors import TemplateError

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "Template",
    "check_language",
    "check_template_texts",
    "is_language",
    "read_template",
    "resolve",
    "template_for",
    "template_problem",
    "template_texts",
    "to_template",
]

LANGUAGES: Final = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho
    hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku
    kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn
    no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm
    sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
    vo wa wo xh yi yo za zh zu
    """.split()  # noqa: SIM905  # a table of codes reads better as words
)
"""The ISO 639-1 language codes (two lowercase letters), the 183 in force."""

DEFAULT: Final = "default"
"""The key of a template mapping's text for every language it does not name."""

Template: TypeAlias = str | FrozenMap[str, str]
"""A message template: a text, or a mapping language -> text with a ``"default"`` entry."""

_SURROGATES: Final = frozenset(("Cs",))
_SHAPE: Final = re.compile(r"([a-z]{2})(?:_[A-Z]{2})?")


def is_language(value: object) -> bool:
    """Whether ``value`` is a language: ``"fr"``, ``"de_CH"`` (ISO 639-1, optional region).

    >>> is_language("de_CH"), is_language("xx"), is_language("de-CH"), is_language("FR")
    (True, False, False, False)
    """
    if not isinstance(value, str):
        return False
    shape = _SHAPE.fullmatch(value)
    return shape is not None and shape.group(1) in LANGUAGES


def _meant(value: object) -> str:
    """Return `` (did you mean 'de_CH'?)`` for a language spelt otherwise (``de-ch``), or ``""``."""
    if isinstance(value, str):
        base, _, region = value.replace("-", "_").partition("_")
        meant = base.lower() + (f"_{region.upper()}" if region else "")
        if meant != value and is_language(meant):
            return f" (did you mean {meant!r}?)"
    return ""


_WHAT: Final = "an ISO 639-1 language code, optionally with a region ('fr', 'de_CH')"


def check_language(owner: str, field: str, value: object, *, optional: bool = False) -> None:
    """Check that ``value`` is a language (or ``None`` when optional); else ``ValidationError``."""
    if optional and value is None:
        return
    if not is_language(value):
        fail(owner, f"{field} must be {_WHAT}, not {value!r}{_meant(value)}")


def to_template(value: object) -> object:
    """Read a template field: a mapping becomes a ``FrozenMap``; anything else is kept.

    The converter of every ``template`` field; what is kept is checked by the record.
    """
    if isinstance(value, Mapping) and not isinstance(value, FrozenMap):
        return FrozenMap(value)
    return value


def template_problem(field: str, value: object) -> str | None:
    """Say what is wrong with the template ``value`` (its message names ``field``), or ``None``.

    A template is a string, or a ``FrozenMap`` language -> string with a ``"default"``
    entry, every key a language or ``"default"``.  (What the texts may hold is the
    record's rule: ``check_template_texts``.)
    """
    if isinstance(value, str):
        return None
    if not isinstance(value, FrozenMap):
        return f"{field} must be a string, or a mapping language -> string, not {value!r}"
    for key, text in value.items():
        if key != DEFAULT and not is_language(key):
            return f"{field}: {key!r} is neither 'default' nor {_WHAT}{_meant(key)}"
        if not isinstance(text, str):
            return f"{field}[{key!r}] must be a string, not {text!r}"
    if DEFAULT not in value:
        return (
            f"{field}: a mapping of languages needs a 'default' text (for the other "
            f"languages), not only {sorted(value)}"
        )
    return None


def read_template(owner: str, value: object) -> Template:
    """Return ``value`` as a template (``to_template``), or raise ``TemplateError``.

    The message names ``owner`` and says what is wrong (``template_problem``): the one
    reading of a template a function is given (``render``, ``check_template``).
    """
    template = to_template(value)
    problem = template_problem("template", template)
    if problem is not None:
        raise TemplateError(f"{owner}: {problem}")
    return template  # type: ignore[return-value]


def check_template_texts(owner: str, field: str, value: object, *, optional: bool = False) -> None:
    r"""Check a record's template field; else ``ValidationError`` naming the owner and field.

    Its shape is ``template_problem``'s; no text holds a lone surrogate (``\ud800``,
    which no UTF-8 file can hold).
    """
    if optional and value is None:
        return
    problem = template_problem(field, value)
    if problem is not None:
        fail(owner, problem)
    for language, text in template_texts(value):  # type: ignore[arg-type]
        if has_category(text, _SURROGATES):
            where = field if language is None else f"{field}[{language!r}]"
            fail(owner, f"{where} must not contain lone surrogates, not {text!r}")


def template_texts(template: Template) -> tuple[tuple[str | None, str], ...]:
    """Return the texts of ``template``: ``((None, text),)``, or ``((language, text), ...)``."""
    if isinstance(template, str):
        return ((None, template),)
    return tuple(template.items())


def template_for(template: Template, language: str | None) -> str:
    """Return the text of ``template`` for ``language``: the most specific one it has.

    A text is returned as it is.  A mapping gives the text of ``language`` itself
    (``"de_CH"``), else of its base language (``"de"``), else its ``"default"``;
    ``None`` (an account without a language) gets the ``"default"``.  A base language
    never takes a regional text: for ``"de"``, a mapping with ``"de_CH"`` and
    ``"default"`` gives the default.

    >>> reminder = {"default": "Reminder", "de": "Mahnung", "de_CH": "Zahlungserinnerung"}
    >>> [template_for(reminder, lang) for lang in ("de_CH", "de_AT", "de", "fr")]
    ['Zahlungserinnerung', 'Mahnung', 'Mahnung', 'Reminder']
    >>> template_for(reminder, "klingon")
    Traceback (most recent call last):
    ...
    collectlib.errors.ValidationError: template_for: language must be an ISO 639-1 language \
code, optionally with a region ('fr', 'de_CH'), not 'klingon'
    """
    check_language("template_for", "language", language, optional=True)
    template = to_template(template)  # type: ignore[assignment]
    check_template_texts("template_for", "template", template)
    return resolve(template, language)


def resolve(template: Template, language: str | None) -> str:
    """``template_for`` on arguments already checked (a record's template, a language)."""
    if isinstance(template, str):
        return template
    if language is not None:
        text = template.get(language)
        if text is None and len(language) > 2:  # "de_CH" -> "de"
            text = template.get(language[:2])
        if text is not None:
            return text
    return template[DEFAULT]
