"""The #hashtag token rule, the known names, and the policy's template checks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectlib import (
    HASHTAGS,
    ActionTemplate,
    ConfigurationError,
    Policy,
    Scenario,
    Status,
    Step,
    TemplateError,
    Trigger,
    ValidationError,
    check_template,
)
from collectlib.hashtags import STATEMENT_TOTALS, did_you_mean


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("Dear #customer_name,", ("customer_name",)),
        ("#total_due.", ("total_due",)),
        ("#today#today", ("today",)),
        ("invoice #12 and #1st", ()),
        ("#Total is not a hashtag", ()),
        ("# alone, #_x, #-x", ()),
        ("color: ##fff", ()),
        ("###today", ("today",)),
        ("####", ()),
        ("#items_amount_selected_include_late_penalties", (
            "items_amount_selected_include_late_penalties",
        )),
        ("", ()),
    ],
)  # fmt: skip
def test_a_hashtag_is_a_hash_then_a_lowercase_letter_then_word_characters(
    template: str, names: tuple[str, ...]
) -> None:
    assert check_template(template) == names


def test_the_longest_name_is_taken() -> None:
    with pytest.raises(TemplateError, match="unknown hashtag #total_dueEUR"):
        check_template("#total_dueEUR")


def test_an_unknown_hashtag_is_named_with_its_line_and_column() -> None:
    with pytest.raises(TemplateError) as caught:
        check_template("Dear #customer_name,\nyou owe #totl_due.")
    assert str(caught.value) == (
        "template: unknown hashtag #totl_due at line 2, column 9 (did you mean #total_due?)"
    )


def test_every_unknown_hashtag_is_reported_at_once() -> None:
    with pytest.raises(TemplateError) as caught:
        check_template("#nope and #todya")
    assert str(caught.value) == (
        "template: unknown hashtag #nope at line 1, column 1; "
        "unknown hashtag #todya at line 1, column 11 (did you mean #today?)"
    )


def test_a_template_must_be_text() -> None:
    with pytest.raises(TemplateError, match="must be a string"):
        check_template(None)  # type: ignore[arg-type]


def test_every_known_name_follows_the_token_rule_and_has_a_meaning() -> None:
    for name, meaning in HASHTAGS.items():
        assert check_template(f"#{name}") == (name,)
        assert meaning
        assert "\n" not in meaning


def test_the_seed_product_s_names_are_known() -> None:
    seed = {
        "items_list",
        "items_list_overdue",
        "items_list_overdue_exclude_late_penalties",
        "items_list_not_due",
        "items_list_selected",
        "items_amount_selected",
        "items_amount_selected_include_late_penalties",
        "items_amount_selected_late_penalties",
        "items_amount_overdue_include_late_penalties",
        "items_amount_late_penalties",
    }
    ours = {
        "customer_name",
        "account_id",
        "collector",
        "total_due",
        "overdue_amount",
        "not_due_amount",
        "items_list_excluded",
        "excluded_amount",
        "status",
        "comment",
        "promise_date",
        "today",
        "fees",
    }
    assert set(HASHTAGS) == seed | ours


def test_every_statement_has_an_amount_hashtag_over_its_items() -> None:
    statements = {name for name in HASHTAGS if name.startswith("items_list")}
    assert set(STATEMENT_TOTALS) == statements
    assert set(STATEMENT_TOTALS.values()) <= set(HASHTAGS) - statements
    assert STATEMENT_TOTALS["items_list"] == "total_due"
    assert STATEMENT_TOTALS["items_list_not_due"] == "not_due_amount"
    assert STATEMENT_TOTALS["items_list_excluded"] == "excluded_amount"


def test_the_registry_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        HASHTAGS["my_tag"] = "mine"  # type: ignore[index]


# --- the policy checks every template it holds ----------------------------------------------


def _step(name: str, template: str) -> Step:
    return Step(name=name, channel="EMAIL", template=template, trigger=Trigger.leader_due(5))


def test_a_typo_in_a_step_template_fails_when_the_policy_is_built() -> None:
    scenario = Scenario(name="standard", steps=[_step("reminder", "Pay #totl_due")])
    with pytest.raises(ConfigurationError) as caught:
        Policy(scenarios=[scenario])
    assert str(caught.value) == (
        "policy: scenario 'standard' step 'reminder': unknown hashtag #totl_due at line 1, "
        "column 5 (did you mean #total_due?)"
    )


def test_a_typo_in_a_status_action_template_fails_when_the_policy_is_built() -> None:
    action = ActionTemplate(name="Dispute mail", channel="EMAIL", template="#items_lst_selected")
    status = Status(code="dispute", category="DISPUTE", action=action)
    with pytest.raises(ConfigurationError, match="status 'dispute' action 'Dispute mail': unknown"):
        Policy(statuses=[status])


def test_the_policy_reports_every_problem_at_once() -> None:
    scenario = Scenario(
        name="standard",
        steps=[_step("one", "#a1"), _step("two", "#today"), _step("three", "#b2 #c3")],
    )
    with pytest.raises(ConfigurationError) as caught:
        Policy(scenarios=[scenario], default_scenario="missing")
    message = str(caught.value)
    assert message.startswith("policy: default_scenario: no scenario 'missing'; ")
    for where in ("step 'one': unknown hashtag #a1", "step 'three': unknown hashtag #b2",
                  "step 'three': unknown hashtag #c3"):  # fmt: skip
        assert where in message
    assert "step 'two'" not in message


def test_a_policy_whose_templates_use_known_hashtags_is_built() -> None:
    scenario = Scenario(name="standard", steps=[_step("one", "#items_list_overdue ##1")])
    assert Policy(scenarios=[scenario]).scenario("standard").steps[0].name == "one"


@pytest.mark.parametrize("template", ["", "   "])
def test_an_empty_template_is_refused_where_one_is_required(template: str) -> None:
    with pytest.raises(ValidationError, match="need a template"):
        _step("empty", template)
    with pytest.raises(ValidationError, match="need a template"):
        ActionTemplate(name="empty", channel="LETTER", template=template)


# --- properties ---------------------------------------------------------------------------

names = st.sampled_from(sorted(HASHTAGS))
plain = st.text(st.characters(blacklist_characters="#"))


@given(plain)
def test_text_without_a_hash_has_no_hashtag(text: str) -> None:
    assert check_template(text) == ()


@given(st.lists(st.tuples(plain, names)), plain)
def test_known_hashtags_between_any_text_are_found_in_order(
    parts: list[tuple[str, str]], tail: str
) -> None:
    # A separator that cannot continue a name keeps each hashtag whole.
    template = "".join(f"{text}#{name} " for text, name in parts) + tail
    expected = tuple(dict.fromkeys(name for _, name in parts))
    assert check_template(template) == expected


@given(st.text(alphabet="#abz_AZ09 \n.é"))
def test_check_template_lists_the_known_names_or_names_the_unknown_ones(text: str) -> None:
    tokens = re.findall(r"##|#([a-z][A-Za-z0-9_]*)", text)
    unknown = [name for name in tokens if name and name not in HASHTAGS]
    if unknown:
        with pytest.raises(TemplateError, match=f"unknown hashtag #{unknown[0]} at"):
            check_template(text)
    else:
        assert set(check_template(text)) == {name for name in tokens if name}


@pytest.mark.parametrize(
    ("template", "where"),
    [
        ("\n#nme", "line 2, column 1"),
        ("#nme\nDear client", "line 1, column 1"),
        ("Dear\nclient,\nyou owe #nme", "line 3, column 9"),
        ("Dear #nme,\n\nyou owe #total_due", "line 1, column 6"),
    ],
)
def test_an_unknown_hashtag_is_placed_at_its_line_and_column(template: str, where: str) -> None:
    with pytest.raises(TemplateError) as raised:
        check_template(template)
    assert str(raised.value) == f"template: unknown hashtag #nme at {where}"


def test_an_unknown_hashtag_in_one_language_names_that_text() -> None:
    with pytest.raises(TemplateError) as raised:
        check_template({"default": "Due #total_due", "fr": "Dû #totl_due"})
    assert str(raised.value) == (
        "template: 'fr' text: unknown hashtag #totl_due at line 1, column 4 "
        "(did you mean #total_due?)"
    )


def test_what_is_not_a_template_is_named_by_check_template() -> None:
    with pytest.raises(TemplateError) as raised:
        check_template(3)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "check_template: template must be a string, or a mapping language -> string, not 3"
    )


def test_did_you_mean_suggests_the_closest_name_or_nothing() -> None:
    assert did_you_mean("promis", ["dispute", "promise"]) == " (did you mean 'promise'?)"
    assert did_you_mean("xyz", ["promise"]) == ""
