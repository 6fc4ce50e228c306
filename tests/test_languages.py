"""Languages and templates per language (SPEC 1 Account.language, 6 last bullet, 13.14)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import account, d, invoice
from collectlib import (
    Account,
    ActionTemplate,
    ConfigurationError,
    Fallback,
    FrozenMap,
    LoadError,
    Money,
    Policy,
    Scenario,
    SpecificAction,
    Status,
    Step,
    TemplateError,
    Trigger,
    ValidationError,
    check_template,
    next_action,
    render,
    template_context,
    template_for,
)
from collectlib.io.converters import structure, unstructure
from collectlib.io.files import load_policy, save_policy
from collectlib.languages import (
    DEFAULT,
    LANGUAGES,
    check_language,
    is_language,
    resolve,
    template_texts,
)

ON = d("2026-03-02")
LETTER = {
    "default": "Dear #customer_name, #overdue_amount is overdue.",
    "fr": "Madame, Monsieur, #overdue_amount est échu.",
    "de": "Sehr geehrte Damen und Herren, #overdue_amount ist überfällig.",
    "de_CH": "Grüezi, #overdue_amount ist überfällig.",
}


def step(template: object = None, channel: str = "EMAIL", **fields: Any) -> Step:
    return Step(name="reminder", channel=channel, trigger=Trigger.leader_due(3),
                template=template, **fields)  # fmt: skip


# --- Account.language -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "de", "de_CH", "en_US", "pt_BR", "zh"])
def test_an_account_speaks_a_language_with_an_optional_region(language: str) -> None:
    assert Account(id="C-1", language=language).language == language


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("xx", ""),
        ("klingon", ""),
        ("FR", " (did you mean 'fr'?)"),
        ("de-CH", " (did you mean 'de_CH'?)"),
        ("de_ch", " (did you mean 'de_CH'?)"),
        ("de_CHE", ""),
        ("fra", ""),
        ("", ""),
        (" fr", ""),
        (7, ""),
    ],
)
def test_an_unknown_language_names_the_account_and_the_field(language: object, hint: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Account(id="C-1", language=language)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "account 'C-1': language must be an ISO 639-1 language code, optionally with a "
        f"region ('fr', 'de_CH'), not {language!r}{hint}"
    )


def test_the_language_comes_after_the_email() -> None:
    names = [field.name for field in attrs.fields(Account)]
    assert names.index("language") == names.index("email") + 1


def test_the_iso_639_1_codes_are_two_lowercase_letters() -> None:
    assert len(LANGUAGES) == 183
    assert all(len(code) == 2 and code.isascii() and code.islower() for code in LANGUAGES)
    assert {"fr", "de", "en", "it", "es", "nl", "pt", "ja", "zh"} <= LANGUAGES
    assert is_language("de_CH")
    assert not is_language("xx_CH")
    assert not is_language(None)


# --- Templates per language -----------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        step,
        lambda template: step("x", fallback=Fallback(channel="LETTER", template=template)),
        lambda template: ActionTemplate(name="reminder", channel="EMAIL", template=template),
        lambda template: SpecificAction(
            id="A1",
            name="reminder",
            channel="EMAIL",
            item_ids={"F-1"},
            due_on=ON,
            created_on=ON,
            template=template,
        ),
    ],
    ids=["step", "fallback", "action template", "specific action"],
)
def test_a_template_may_be_a_mapping_stored_frozen(build: Any) -> None:
    record = build(dict(LETTER))
    template = record.fallback.template if isinstance(record, Step) and record.fallback else None
    template = template or record.template
    assert isinstance(template, FrozenMap)
    assert template == LETTER
    hash(record)  # a frozen record holds no mutable container


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ({"fr": "Bonjour"}, "template: a mapping of languages needs a 'default' text (for the "
                            "other languages), not only ['fr']"),
        ({"default": "x", "xx": "y"}, "template: 'xx' is neither 'default' nor an ISO 639-1 "
                                      "language code, optionally with a region ('fr', 'de_CH')"),
        ({"default": "x", "de-CH": "y"}, "(did you mean 'de_CH'?)"),
        ({"default": "x", "fr": None}, "template['fr'] must be a string, not None"),
        ({"default": "x", "fr": "\ud800"}, "template['fr'] must not contain lone surrogates"),
        ({"default": "x", "fr": "  "}, "EMAIL actions need a template (its 'fr' text is empty)"),
        ({"default": ""}, "EMAIL actions need a template (its 'default' text is empty)"),
        ({}, "a mapping of languages needs a 'default' text"),
        (["default"], "template must be a string, or a mapping language -> string, not"),
    ],
)  # fmt: skip
def test_a_bad_template_mapping_names_the_step_and_the_field(template: Any, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        step(template)
    assert str(raised.value).startswith("step 'reminder': ")
    assert message in str(raised.value)


def test_a_call_may_have_no_template_but_a_mapping_is_checked_all_the_same() -> None:
    assert step(None, channel="CALL").template is None
    with pytest.raises(ValidationError, match="needs a 'default' text"):
        step({"fr": "x"}, channel="CALL")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de_CH", "Grüezi, #overdue_amount ist überfällig."),
        ("de_AT", "Sehr geehrte Damen und Herren, #overdue_amount ist überfällig."),
        ("de", "Sehr geehrte Damen und Herren, #overdue_amount ist überfällig."),
        ("fr_CH", "Madame, Monsieur, #overdue_amount est échu."),
        ("it_CH", "Dear #customer_name, #overdue_amount is overdue."),
        (None, "Dear #customer_name, #overdue_amount is overdue."),
    ],
)
def test_template_for_takes_the_region_then_the_language_then_the_default(
    language: str | None, text: str
) -> None:
    assert template_for(LETTER, language) == text
    assert template_for(FrozenMap(LETTER), language) == text


def test_a_base_language_never_takes_a_regional_text() -> None:
    assert template_for({"default": "Hello", "de_CH": "Grüezi"}, "de") == "Hello"


def test_a_text_is_the_text_whatever_the_language() -> None:
    assert template_for("Pay #total_due", "fr") == "Pay #total_due"


def test_template_for_checks_its_arguments() -> None:
    with pytest.raises(ValidationError, match=r"^template_for: language must be an ISO 639-1"):
        template_for(LETTER, "french")
    with pytest.raises(ValidationError, match=r"^template_for: template: a mapping of languages"):
        template_for({"fr": "x"}, "fr")
    with pytest.raises(ValidationError, match=r"^template_for: template must be a string"):
        template_for(None, "fr")  # type: ignore[arg-type]


LANGUAGE_CODES = st.sampled_from(sorted(LANGUAGES))
REGIONS = st.sampled_from(["CH", "AT", "BE", "CA", "US", "GB", "FR", "DE", "BR"])
LANGUAGE_TAGS = st.one_of(LANGUAGE_CODES, st.tuples(LANGUAGE_CODES, REGIONS).map("_".join))


@given(
    st.dictionaries(LANGUAGE_TAGS, st.text(min_size=1, max_size=5), max_size=6),
    st.none() | LANGUAGE_TAGS,
)
def test_the_text_picked_is_the_most_specific_one_present(
    texts: dict[str, str], language: str | None
) -> None:
    template = {**texts, DEFAULT: "default text"}
    picked = template_for(template, language)
    if language is not None and language in texts:
        assert picked == texts[language]
    elif language is not None and language[:2] in texts:
        assert picked == texts[language[:2]]
    else:
        assert picked == "default text"
    # the same whatever the order of the mapping, and as resolve does on checked data
    reordered = dict(reversed(list(template.items())))
    assert template_for(reordered, language) == picked == resolve(FrozenMap(template), language)


# --- Checking and rendering -----------------------------------------------------------


def test_check_template_reads_every_text() -> None:
    assert check_template(LETTER) == ("customer_name", "overdue_amount")
    with pytest.raises(TemplateError) as raised:
        check_template({"default": "#total_due", "fr": "#totl_due", "de": "##x #nope"})
    assert str(raised.value) == (
        "template: 'fr' text: unknown hashtag #totl_due at line 1, column 1 (did you mean "
        "#total_due?); 'de' text: unknown hashtag #nope at line 1, column 5"
    )
    with pytest.raises(TemplateError, match=r"^check_template: template: a mapping of languages"):
        check_template({"fr": "#total_due"})


def test_a_policy_reports_a_bad_hashtag_in_any_language() -> None:
    bad = step({"default": "#total_due", "de": "#totl_due"})
    status = Status(code="dispute", category="DISPUTE", action=ActionTemplate(
        name="check", channel="EMAIL", template={"default": "#total_due", "fr": "#nope"}))  # fmt: skip
    with pytest.raises(ConfigurationError) as raised:
        Policy(scenarios=[Scenario(name="s", steps=[bad])], statuses=[status])
    assert [problem.what for problem in raised.value.problems] == [
        "'de' text: unknown hashtag #totl_due at line 1, column 1 (did you mean #total_due?)",
        "'fr' text: unknown hashtag #nope at line 1, column 1",
    ]


def _policy() -> Policy:
    return Policy(scenarios=[Scenario(name="s", steps=[step(LETTER)])], default_scenario="s")


@pytest.mark.parametrize(
    ("language", "opening"),
    [("de_CH", "Grüezi"), ("de", "Sehr geehrte"), ("fr_BE", "Madame"), (None, "Dear Durand SA")],
)
def test_the_context_carries_the_language_and_render_picks_the_text(
    language: str | None, opening: str
) -> None:
    customer = account(invoice("F-1", "2026-01-10", 1200), language=language)
    proposal = next_action(customer, _policy(), ON)
    assert proposal is not None
    assert proposal.template == LETTER
    context = template_context(customer, proposal.item_ids, _policy(), ON)
    assert context.get("language") == language
    message = render(proposal.template, context)
    assert message.startswith(opening)
    assert "1,200.00 EUR" in message  # the language picks the words, not the formatting
    names = check_template(proposal.template)
    assert render(
        proposal.template, template_context(customer, [], _policy(), ON, names=names)
    ) == (message)


def test_the_formatting_follows_the_locale_only() -> None:
    context = {"overdue_amount": Money(amount="1200.5"), "customer_name": "X", "language": "de"}
    assert render(LETTER, context) == (
        "Sehr geehrte Damen und Herren, 1,200.50 EUR ist überfällig."
    )
    assert render(LETTER, context, locale="de_DE") == (
        "Sehr geehrte Damen und Herren, 1.200,50\xa0€ ist überfällig."
    )
    assert render(LETTER, {**context, "language": "fr"}, locale="de_DE").startswith("Madame")


@pytest.mark.parametrize("language", ["french", 7, ""])
def test_a_context_language_that_is_not_a_language_is_refused(language: object) -> None:
    with pytest.raises(ValidationError, match=r"^render: context\['language'\] must be a language"):
        render(LETTER, {"overdue_amount": Money(amount=1), "language": language})


def test_render_refuses_a_bad_mapping_as_a_template_error() -> None:
    with pytest.raises(TemplateError, match=r"^render: template: a mapping of languages"):
        render({"fr": "x"}, {})
    with pytest.raises(TemplateError, match=r"^render: template must be a string"):
        render(None, {})  # type: ignore[arg-type]


def test_the_texts_of_a_template() -> None:
    assert template_texts("x") == ((None, "x"),)
    assert template_texts(FrozenMap({"default": "x", "fr": "y"})) == (("default", "x"), ("fr", "y"))


# --- Files ----------------------------------------------------------------------------


def test_a_toml_policy_reads_a_template_per_language_and_json_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        'format = 1\ndefault_scenario = "s"\n[[scenarios]]\nname = "s"\n'
        '[[scenarios.steps]]\nname = "reminder"\nchannel = "EMAIL"\n'
        'trigger = { kind = "LEADER_DUE", days = 3 }\n'
        '[scenarios.steps.template]\ndefault = "Hello #customer_name"\nfr = "Bonjour #customer_name"\n'
        '[[scenarios.steps]]\nname = "letter"\nchannel = "LETTER"\n'
        'trigger = { kind = "LEADER_DUE", days = 30 }\ntemplate = "#total_due"\n',
        encoding="utf-8",
    )
    policy = load_policy(path)
    first, second = policy.scenarios[0].steps
    assert first.template == {"default": "Hello #customer_name", "fr": "Bonjour #customer_name"}
    assert isinstance(first.template, FrozenMap)
    assert second.template == "#total_due"
    saved = tmp_path / "policy.json"
    save_policy(policy, saved)
    written = json.loads(saved.read_text(encoding="utf-8"))
    assert written["scenarios"][0]["steps"][0]["template"] == {
        "default": "Hello #customer_name", "fr": "Bonjour #customer_name"
    }  # fmt: skip
    assert load_policy(saved) == policy


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{ fr = "Bonjour" }', "needs a 'default' text"),
        ('{ default = "x", klingon = "y" }', "'klingon' is neither 'default' nor"),
        ("{ default = 7 }", "steps[0].template: default: not a text: 7"),
        ("7", "template: not a text or a table of texts by language: 7"),
        ('{ default = "#totl_due" }', "unknown hashtag #totl_due"),
    ],
)
def test_a_bad_template_in_a_policy_file_names_the_step(
    tmp_path: Path, template: str, message: str
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        'format = 1\n[[scenarios]]\nname = "s"\n[[scenarios.steps]]\nname = "reminder"\n'
        f'channel = "EMAIL"\ntrigger = {{ kind = "LEADER_DUE", days = 3 }}\ntemplate = {template}\n',
        encoding="utf-8",
    )
    with pytest.raises(LoadError, match=r"reminder|steps\[0\]") as raised:
        load_policy(path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_an_account_s_language_and_a_mapping_template_round_trip() -> None:
    customer = account(invoice("F-1", "2026-01-10", 100), language="de_CH")
    action = SpecificAction(id="A1", name="letter", channel="LETTER", item_ids={"F-1"},
                            due_on=ON, created_on=ON, template=LETTER)  # fmt: skip
    proposal = next_action(customer, _policy(), ON)
    assert proposal is not None
    assert structure(json.loads(json.dumps(unstructure(proposal))), type(proposal)) == proposal
    customer = attrs.evolve(customer, actions=(action,))
    data = unstructure(customer)
    assert data["language"] == "de_CH"
    assert data["actions"][0]["template"] == LETTER
    assert structure(json.loads(json.dumps(data)), Account) == customer


def test_the_demo_speaks_three_languages() -> None:
    from collectlib import demo

    courtesy = demo.policy().scenarios[0].steps[0]
    assert isinstance(courtesy.template, FrozenMap)
    assert set(courtesy.template) == {"default", "fr", "de"}
    languages = {a.language for a in demo.portfolio().accounts}
    assert languages == {None, "fr", "de_CH"}


_NOT_A_LANGUAGE = (
    "account 'C-1': language must be an ISO 639-1 language code, optionally with a region "
    "('fr', 'de_CH'), not "
)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("XX", _NOT_A_LANGUAGE + "'XX'"),  # 'xx' is no language either: nothing suggested
        ("DE-ch", _NOT_A_LANGUAGE + "'DE-ch' (did you mean 'de_CH'?)"),
    ],
)
def test_a_language_spelt_otherwise_is_suggested_only_when_it_is_one(
    language: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        Account(id="C-1", language=language)
    assert str(raised.value) == message


def test_a_language_is_required_unless_optional() -> None:
    with pytest.raises(ValidationError) as raised:
        check_language("account 'C-1'", "language", None)
    assert str(raised.value) == _NOT_A_LANGUAGE + "None"
    check_language("account 'C-1'", "language", None, optional=True)


def test_a_lone_surrogate_in_one_language_names_that_text() -> None:
    with pytest.raises(ValidationError) as raised:
        ActionTemplate(name="mail", channel="EMAIL", template={"default": "Hi", "fr": "\ud800"})
    assert str(raised.value) == (
        "action template 'mail': template['fr'] must not contain lone surrogates, not '\\ud800'"
    )


def test_a_lone_surrogate_in_a_single_text_names_the_field() -> None:
    with pytest.raises(ValidationError) as raised:
        ActionTemplate(name="mail", channel="EMAIL", template="Hi \ud800")
    assert str(raised.value) == (
        "action template 'mail': template must not contain lone surrogates, not 'Hi \\ud800'"
    )
