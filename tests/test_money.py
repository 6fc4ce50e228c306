"""Amounts (SPEC §0 "Money is Decimal"): coercion, the currency's minor unit, half-up rounding."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    getcontext,
    localcontext,
)
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from collectlib import Money, ValidationError, minor_unit_digits, quantize, to_amount
from collectlib._frozen import FrozenMap
from collectlib.money import (
    CONTEXT,
    CURRENCIES,
    MAX_INTEGER_DIGITS,
    MAX_PLACES,
    ZERO,
    amount_problem,
    coerce_amount,
    coerce_per_currency,
    exact,
    in_currency,
    is_amount,
    is_currency,
    per_currency_problem,
    per_currency_text,
    quantize_in_context,
    quantize_ratio,
    read_amount,
)

finite_decimals = st.decimals(allow_nan=False, allow_infinity=False)
# Amounts: finite decimals with at most 18 digits before the point and 18 after it.
in_range_decimals = st.builds(
    lambda units, places: Decimal(f"{units}E-{places}"),  # exact: scaleb would round
    st.integers(
        -(10 ** (MAX_INTEGER_DIGITS + MAX_PLACES)) + 1, 10 ** (MAX_INTEGER_DIGITS + MAX_PLACES) - 1
    ),
    st.integers(0, MAX_PLACES),
).filter(lambda d: d.adjusted() < MAX_INTEGER_DIGITS)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
currencies = st.sampled_from(["EUR", "USD", "GBP", "CHF", "JPY", "KRW", "KWD", "BHD", "TND", "CLF"])
# Realistic amounts (up to a thousand billion), with up to 18 decimal places.
money_decimals = st.decimals(
    min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False
).filter(is_amount)


# --- Coercion -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, "100"),
        (-7, "-7"),
        (0, "0"),
        (10**17, "100000000000000000"),
        ("-999999999999999999.999999999999999999", "-999999999999999999.999999999999999999"),
        ("12.50", "12.50"),
        (" 12.50 ", "12.50"),
        ("-0.005", "-0.005"),
        ("1E+3", "1E+3"),
        (Decimal("99.990"), "99.990"),
        (100.1, "100.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e17, "1E+17"),
        (2.5, "2.5"),
    ],
)
def test_an_amount_reads_int_str_decimal_and_float(value: object, expected: str) -> None:
    amount = to_amount(value)  # type: ignore[arg-type]
    assert type(amount) is Decimal
    assert str(amount) == expected


def test_a_float_goes_through_str_not_its_binary_value() -> None:
    assert to_amount(100.1) == Decimal("100.1")
    assert to_amount(100.1) != Decimal.from_float(100.1)


def test_a_decimal_amount_is_kept_as_is() -> None:
    amount = Decimal("12.340")
    assert to_amount(amount) is amount


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("-NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        "NaN",
        "inf",
        "-Infinity",
        "abc",
        "",
        "12,50",
        "1.2.3",
        None,
        [],
        (1,),
        b"12",
        1 + 2j,
        Fraction(1, 3),
    ],
)
def test_what_is_not_a_finite_amount_is_rejected_naming_the_field(value: object) -> None:
    with pytest.raises(ValidationError, match=r"^penalties\.annual_rate: not an amount: "):
        to_amount(value, "penalties.annual_rate")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False])
def test_a_bool_is_not_an_amount_although_it_is_an_int(value: bool) -> None:
    with pytest.raises(ValidationError, match=rf"^amount: not an amount: {value}$"):
        to_amount(value)


def test_the_message_shows_the_value_as_given() -> None:
    with pytest.raises(ValidationError, match=r"^total: not an amount: 'abc'$"):
        to_amount("abc", "total")
    with pytest.raises(ValidationError, match=r"^total: not an amount: nan$"):
        to_amount(float("nan"), "total")


@pytest.mark.parametrize("value", [True, "abc", None, float("nan"), Decimal("sNaN")])
def test_the_converter_leaves_what_it_cannot_read_for_the_record_to_report(value: object) -> None:
    converted = coerce_amount(value)  # type: ignore[arg-type]
    assert not is_amount(converted)


@given(in_range_decimals)
@example(Decimal("-0"))
@example(Decimal("999999999999999999.999999999999999999"))
@example(Decimal("1E-18"))
@example(Decimal("1E+17"))
def test_any_decimal_in_range_is_its_own_amount(amount: Decimal) -> None:
    coerced = to_amount(amount)
    assert coerced == amount
    assert str(coerced) == str(amount)  # same digits and exponent


@given(finite_decimals)
@example(Decimal("1E+999999"))
@example(Decimal("-1E-999999"))
@example(Decimal("0E+18"))
@example(Decimal("0E-19"))
@example(Decimal("1.50000000000000000000000"))
@example(Decimal("1.5E-18"))
def test_a_finite_decimal_is_an_amount_exactly_when_in_range(amount: Decimal) -> None:
    in_range = (
        -MAX_PLACES <= amount.adjusted() < MAX_INTEGER_DIGITS
        and (Fraction(amount) * 10**MAX_PLACES).denominator == 1
    )
    assert is_amount(amount) is in_range
    if in_range:
        assert to_amount(amount) is amount
    else:
        with pytest.raises(ValidationError, match=r"^total: out of range: at most 18 digits"):
            to_amount(amount, "total")


@given(st.integers(-(10**30) + 1, 10**30 - 1), st.integers(0, MAX_PLACES))
def test_a_total_has_up_to_30_digits_before_the_point(units: int, places: int) -> None:
    value = Decimal(f"{units}E-{places}")
    assert to_amount(value, total=True) is value
    assert is_amount(value) is (-(10**MAX_INTEGER_DIGITS) < value < 10**MAX_INTEGER_DIGITS)
    with pytest.raises(ValidationError, match=r"^sales: out of range: at most 30 digits"):
        to_amount(Decimal(f"{units}E+30"), "sales", total=True)


@pytest.mark.parametrize(
    "value",
    [
        "1e999999999",
        "-1E+18",
        10**18,
        -(10**30),
        "1000000000000000000",
        "0.0000000000000000001",
        "1E-19",
        "0E+18",
        1e18,
        1e-19,
        Decimal("1E+999999999"),
    ],
)
def test_an_amount_out_of_range_is_refused_naming_the_field(value: object) -> None:
    with pytest.raises(
        ValidationError,
        match=r"^item amount: out of range: at most 18 digits before the decimal point "
        r"and 18 after: ",
    ):
        to_amount(value, "item amount")  # type: ignore[arg-type]
    assert not is_amount(coerce_amount(value))  # type: ignore[arg-type]


def test_the_range_bounds_are_amounts() -> None:
    largest = "999999999999999999.999999999999999999"
    assert str(to_amount(largest)) == largest
    assert str(to_amount("-" + largest)) == "-" + largest
    assert to_amount("1E-18") == Decimal("0.000000000000000001")
    assert to_amount(Decimal("0.08250")) == Decimal("0.0825")  # a rate
    # Zeros after the last digit do not count: the value has one decimal.
    assert str(to_amount("12.500000000000000000000")) == "12.500000000000000000000"


@given(in_range_decimals)
def test_any_amount_written_as_text_reads_back_exactly(amount: Decimal) -> None:
    assert str(to_amount(str(amount))) == str(amount)


@given(st.integers(-(10**18) + 1, 10**18 - 1))
def test_any_int_in_range_is_an_exact_amount(number: int) -> None:
    assert to_amount(number) == number
    assert to_amount(number).as_tuple().exponent == 0


@given(st.integers())
def test_an_int_is_an_amount_when_it_has_at_most_18_digits(number: int) -> None:
    if abs(number) < 10**18:
        assert to_amount(number) == number
    else:
        with pytest.raises(ValidationError, match=r"^amount: out of range"):
            to_amount(number)


@given(finite_floats)
def test_a_float_reads_as_its_shortest_text(number: float) -> None:
    expected = Decimal(str(number))
    if is_amount(expected):
        assert to_amount(number) == expected
        assert float(to_amount(number)) == number
    else:
        with pytest.raises(ValidationError, match=r"^amount: out of range"):
            to_amount(number)


@given(st.text())
@example("NaN")
@example("-sNaN")
@example(" 1 ")
@example("1e999999999")
def test_text_is_an_amount_or_a_validation_error(text: str) -> None:
    try:
        expected: Decimal | None = Decimal(text.strip())
    except InvalidOperation:
        expected = None
    if expected is not None and is_amount(expected):
        assert str(to_amount(text)) == str(expected)
    elif expected is not None and expected.is_finite():
        with pytest.raises(ValidationError, match=r"^amount: out of range: "):
            to_amount(text)
    else:
        with pytest.raises(ValidationError, match=r"^amount: not an amount: "):
            to_amount(text)


@pytest.mark.parametrize("value", ["abc", "NaN", "1.2.3"])
def test_text_that_is_not_a_number_is_shown_as_given_whatever_the_context(value: str) -> None:
    with localcontext() as context:
        context.traps[InvalidOperation] = False  # Decimal("abc") is then NaN, quietly
        assert coerce_amount(value) == value
        with pytest.raises(ValidationError, match=rf"^amount: not an amount: {value!r}$"):
            to_amount(value)
        with pytest.raises(ValidationError, match=rf"^money: amount: not an amount: {value!r}$"):
            Money(amount=value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(1), True),
        (Decimal("-0.01"), True),
        (Decimal("NaN"), False),
        (Decimal("Infinity"), False),
        (1, False),
        ("1", False),
        (1.0, False),
        (Decimal("1E+18"), False),
        (Decimal("1E-19"), False),
    ],
)
def test_only_a_finite_decimal_in_range_is_an_amount(value: object, expected: bool) -> None:
    assert is_amount(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("EUR", True),
        ("JPY", True),
        ("KWD", True),
        ("CLF", True),
        ("XCG", True),
        ("eur", False),
        ("EURO", False),
        ("EU", False),
        (None, False),
        ("XYZ", False),  # three capital letters, but no currency
        ("HRK", False),  # withdrawn: Croatia took the euro in 2023
        ("XAU", False),  # gold: no minor unit
        ("XTS", False),  # the testing code
        ("XXX", False),  # no currency
    ],
)
def test_a_currency_is_an_active_iso_4217_code(value: object, expected: bool) -> None:
    assert is_currency(value) is expected
    assert (value in CURRENCIES) is expected


def test_the_currency_list_is_iso_4217_list_one() -> None:
    assert len(CURRENCIES) == 167
    assert all(len(code) == 3 and code.isupper() and code.isalpha() for code in CURRENCIES)
    assert {
        "EUR",
        "USD",
        "GBP",
        "CHF",
        "CNY",
        "INR",
        "BRL",
        "ZAR",
        "ZWG",
        "SLE",
        "VED",
    } <= CURRENCIES


ISO_MINOR_UNITS_NOT_TWO = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}  # fmt: skip
"""ISO 4217's minor units other than 2, written out from the standard's table."""


def test_the_minor_unit_table_agrees_with_the_currency_list() -> None:
    other = {c: minor_unit_digits(c) for c in CURRENCIES if minor_unit_digits(c) != 2}
    assert other == ISO_MINOR_UNITS_NOT_TWO


# --- Minor units and rounding ------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "digits"),
    [
        ("JPY", 0),
        ("KRW", 0),
        ("KWD", 3),
        ("BHD", 3),
        ("TND", 3),
        ("EUR", 2),
        ("USD", 2),
        ("GBP", 2),
        ("CHF", 2),
        ("OMR", 3),
        ("JOD", 3),
        ("IQD", 3),
        ("LYD", 3),
        ("CLF", 4),
        ("ISK", 0),
    ],
)
def test_the_minor_unit_is_two_digits_unless_the_currency_says_otherwise(
    currency: str, digits: int
) -> None:
    assert minor_unit_digits(currency) == digits


@pytest.mark.parametrize("function", [minor_unit_digits, lambda c: quantize(Decimal(1), c)])
def test_an_unknown_currency_code_is_refused(function: Callable[[str], object]) -> None:
    with pytest.raises(ValidationError, match=r": currency must be an ISO 4217 code .*'XYZ'$"):
        function("XYZ")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),
        ("2.344", "EUR", "2.34"),
        ("2.355", "EUR", "2.36"),
        ("-2.345", "EUR", "-2.35"),
        ("0.005", "EUR", "0.01"),
        ("-0.004", "EUR", "-0.00"),
        ("10", "EUR", "10.00"),
        ("1234.5", "JPY", "1235"),
        ("1234.49", "JPY", "1234"),
        ("-0.5", "JPY", "-1"),
        ("1.0005", "KWD", "1.001"),
        ("1.0004", "BHD", "1.000"),
        ("2.5", "TND", "2.500"),
    ],
)
def test_quantize_rounds_half_up_to_the_minor_unit(
    amount: str, currency: str, expected: str
) -> None:
    assert str(quantize(Decimal(amount), currency)) == expected


def test_quantize_ignores_the_threads_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_FLOOR
        context.traps[Inexact] = True
        assert str(quantize(Decimal("12345.675"), "EUR")) == "12345.68"
        assert str(quantize(Decimal("-2.345"), "EUR")) == "-2.35"


def _half_up(amount: Decimal, digits: int) -> Fraction:
    """The reference rule: round the magnitude half up, keep the sign."""
    scaled = abs(Fraction(amount)) * 10**digits
    rounded = math.floor(scaled + Fraction(1, 2))
    return Fraction(rounded if amount >= 0 else -rounded, 10**digits)


@given(money_decimals, currencies)
def test_quantize_matches_the_half_up_rule(amount: Decimal, currency: str) -> None:
    digits = minor_unit_digits(currency)
    result = quantize(amount, currency)
    assert result.as_tuple().exponent == -digits
    assert Fraction(result) == _half_up(amount, digits)
    assert abs(Fraction(result) - Fraction(amount)) <= Fraction(1, 2 * 10**digits)


@given(money_decimals, currencies)
def test_quantize_is_idempotent(amount: Decimal, currency: str) -> None:
    once = quantize(amount, currency)
    assert str(quantize(once, currency)) == str(once)


@given(money_decimals, currencies)
def test_quantize_is_symmetric_around_zero(amount: Decimal, currency: str) -> None:
    assert quantize(-amount, currency) == -quantize(amount, currency)


@given(st.integers(-(10**15), 10**15), currencies)
def test_quantize_keeps_an_amount_already_in_minor_units(units: int, currency: str) -> None:
    amount = Decimal(units).scaleb(-minor_unit_digits(currency))
    assert quantize(amount, currency) == amount


@given(money_decimals, st.integers(1, 10**6), currencies)
def test_quantize_ratio_rounds_the_exact_ratio_once_half_up(
    numerator: Decimal, denominator: int, currency: str
) -> None:
    digits = minor_unit_digits(currency)
    result = quantize_ratio(numerator, denominator, currency)
    assert result.as_tuple().exponent == -digits
    exact_ratio = Fraction(numerator) / denominator
    scaled = abs(exact_ratio) * 10**digits
    rounded = math.floor(scaled + Fraction(1, 2))
    assert Fraction(result) == Fraction(rounded if exact_ratio >= 0 else -rounded, 10**digits)


def test_quantize_ratio_is_not_tipped_by_a_long_quotient() -> None:
    # 0.014999999999999999 / 3 = 0.0049999999999999996666...: a quotient rounded to 16
    # digits first reads 0.005000000000000000 and would round up to 0.01.
    assert quantize_ratio(Decimal("0.014999999999999999"), 3, "EUR") == Decimal("0.00")
    assert quantize_ratio(Decimal("0.005") * 7, 7, "EUR") == Decimal("0.01")
    assert quantize_ratio(1, 3, "JPY") == Decimal(0)
    assert quantize_ratio(-3, 2, "JPY") == Decimal(-2)


def test_quantize_of_an_absurd_amount_is_not_silent() -> None:
    with pytest.raises(ValidationError, match=r"^quantize: amount 1E\+1000000 has too many digits"):
        quantize(Decimal("1E+1000000"), "EUR")


# --- Money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("-1234.5", "EUR", "-1,234.50 EUR"),
        (1234, "JPY", "1,234 JPY"),
        ("0.0005", "KWD", "0.001 KWD"),
        ("-0.001", "EUR", "0.00 EUR"),
        (100.1, "USD", "100.10 USD"),
    ],
)
def test_money_prints_the_quantized_amount_and_currency(
    amount: object, currency: str, expected: str
) -> None:
    assert str(Money(amount=amount, currency=currency)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [True, "abc", float("inf"), None])
def test_money_rejects_what_is_not_an_amount(amount: object) -> None:
    with pytest.raises(ValidationError, match=r"^money: amount: not an amount: "):
        Money(amount=amount)  # type: ignore[arg-type]


def test_money_shows_totals_and_refuses_an_amount_out_of_their_range() -> None:
    assert str(Money(amount="1E+29")) == f"{10**29:,}.00 EUR"
    with pytest.raises(
        ValidationError,
        match=r"^money: amount: out of range: at most 30 digits .* 18 after: 1E\+30$",
    ):
        Money(amount="1E+30")
    with pytest.raises(ValidationError, match=r"^money: amount: out of range: .*: 1E-19$"):
        Money(amount="1E-19")


@pytest.mark.parametrize("currency", ["eur", "EURO", "", None, 978])
def test_money_rejects_a_currency_that_is_not_an_iso_code(currency: object) -> None:
    with pytest.raises(ValidationError, match=r"^money: currency must be an ISO 4217 code"):
        Money(amount=1, currency=currency)  # type: ignore[arg-type]


@given(money_decimals, currencies)
def test_money_is_equal_by_value_and_hashable(amount: Decimal, currency: str) -> None:
    assert Money(amount=amount, currency=currency) == Money(amount=str(amount), currency=currency)
    assert hash(Money(amount=amount, currency=currency)) == hash(
        Money(amount=amount, currency=currency)
    )


# --- The library's decimal context -------------------------------------------------------


def test_exact_computes_in_the_library_context_and_restores_the_callers() -> None:
    seen: list[Context] = []

    @exact
    def inside() -> Decimal:
        seen.append(getcontext())
        return Decimal("1234.56") + Decimal("0.01")

    with localcontext(prec=2, rounding=ROUND_FLOOR) as caller:
        caller.traps[Inexact] = True
        assert inside() == Decimal("1234.57")
        assert getcontext() is caller
        assert caller.prec == 2
    assert seen[0].prec == CONTEXT.prec
    assert seen[0] is not CONTEXT  # a copy: the library's context is never changed
    assert not any(CONTEXT.flags.values())


def test_exact_restores_the_callers_context_after_an_error() -> None:
    @exact
    def failing() -> Decimal:
        raise ValidationError("boom")

    with localcontext(prec=3) as caller:
        with pytest.raises(ValidationError, match="boom"):
            failing()
        assert getcontext() is caller


def test_exact_keeps_the_name_and_docstring() -> None:
    assert quantize.__name__ == "quantize"
    assert quantize.__doc__ is not None
    assert "half up" in quantize.__doc__


def test_exact_refuses_a_generator_function() -> None:
    def amounts() -> Iterator[Decimal]:
        yield ZERO

    with pytest.raises(TypeError, match="amounts is a generator function"):
        exact(amounts)


def test_the_library_context_traps_what_must_not_pass_silently() -> None:
    traps = {signal for signal, on in CONTEXT.traps.items() if on}
    assert traps == {InvalidOperation, DivisionByZero, Overflow}
    assert CONTEXT.rounding == ROUND_HALF_UP


@given(st.lists(in_range_decimals, max_size=50))
def test_a_sum_of_amounts_in_the_library_context_is_exact(amounts: list[Decimal]) -> None:
    @exact
    def total() -> Decimal:
        return sum(amounts, ZERO)

    with localcontext(prec=1) as caller:
        caller.traps[Inexact] = True
        result = total()
    assert Fraction(result) == sum((Fraction(a) for a in amounts), Fraction(0))


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.565", "EUR", "1,234.57 EUR"),
        ("-0.5", "JPY", "-1 JPY"),
        ("99999.9995", "KWD", "100,000.000 KWD"),
    ],
)
def test_money_prints_the_same_whatever_the_callers_context(
    amount: str, currency: str, expected: str
) -> None:
    money = Money(amount=amount, currency=currency)
    with localcontext(prec=1, rounding=ROUND_FLOOR) as caller:
        caller.traps[Inexact] = True
        caller.traps[Rounded] = True
        assert str(money) == expected


# --- Amounts per currency (mutation testing, 2026-12-05) ----------------------------------


def test_a_mapping_of_amounts_per_currency_is_read_as_decimals() -> None:
    limits = coerce_per_currency({"EUR": "1.50", "JPY": 5})
    assert isinstance(limits, FrozenMap)
    assert dict(limits) == {"EUR": Decimal("1.50"), "JPY": Decimal(5)}
    assert coerce_per_currency("2") == Decimal(2)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (FrozenMap({"EUR": Decimal(1), "JPY": Decimal(0)}), None),
        (Decimal(0), None),
        (FrozenMap({"eur": Decimal(1)}), "'eur' is not an ISO 4217 code like 'EUR'"),
        (FrozenMap({"EUR": Decimal(1), "JPY": "x"}), "JPY: not an amount: 'x'"),
        ("x", "not an amount: 'x'"),
        (FrozenMap({"EUR": Decimal(-1)}), "must be at least 0 (EUR), not -1"),
        (Decimal(-1), "must be at least 0, not -1"),
    ],
)
def test_a_per_currency_problem_names_the_currency(value: object, problem: str | None) -> None:
    assert per_currency_problem(value) == problem


def test_a_per_currency_value_without_minimum_may_be_negative() -> None:
    assert per_currency_problem(FrozenMap({"EUR": Decimal(-1)}), minimum=None) is None


def test_each_currency_reads_its_own_amount_and_zero_when_not_named() -> None:
    limits = FrozenMap({"EUR": Decimal(50), "JPY": Decimal(5000)})
    assert in_currency(limits, "EUR") == Decimal(50)
    assert in_currency(limits, "JPY") == Decimal(5000)
    assert str(in_currency(limits, "USD")) == "0"
    assert in_currency(Decimal("5.00"), "USD") == Decimal("5.00")


def test_amounts_per_currency_are_written_each_in_its_currency() -> None:
    limits = FrozenMap({"EUR": Decimal(1000), "JPY": Decimal(150_000)})
    assert per_currency_text(limits) == "1,000.00 EUR, 150,000 JPY"
    assert per_currency_text(Decimal("50.00")) == "50.00"


def test_an_amount_read_from_a_float_is_its_shortest_text() -> None:
    assert read_amount(100.1) == Decimal("100.1")
    assert read_amount(float("nan")) is None


@pytest.mark.parametrize("rounding", [ROUND_FLOOR, ROUND_HALF_EVEN])
def test_rounding_in_context_is_half_up_whatever_the_context_s_rounding(rounding: str) -> None:
    with localcontext() as context:
        context.rounding = rounding
        assert quantize_in_context(Decimal("0.125"), "EUR") == Decimal("0.13")
        assert quantize_in_context(Decimal("-0.125"), "EUR") == Decimal("-0.13")


@pytest.mark.parametrize("numerator", [0, Decimal("0.00"), Decimal("0.001")])
def test_a_zero_ratio_is_never_negative_zero(numerator: Decimal | int) -> None:
    assert str(quantize_ratio(numerator, 3, "EUR")) == "0.00"


def test_an_amount_has_eighteen_digits_before_the_point_and_a_total_thirty() -> None:
    assert amount_problem(Decimal("1E+18")) == (
        "out of range: at most 18 digits before the decimal point and 18 after: 1E+18"
    )
    assert amount_problem(Decimal("1E+18"), total=True) is None
    assert amount_problem(Decimal("1E+30"), total=True) == (
        "out of range: at most 30 digits before the decimal point and 18 after: 1E+30"
    )
