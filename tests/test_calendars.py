"""collectlib.calendars (extra ``collectlib[holidays]``) and the policy file's ``[calendar]``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from collectlib import BusinessCalendar, ConfigurationError, LoadError, ValidationError
from collectlib.calendars import calendar_for
from collectlib.io.files import load_policy, save_policy


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_france_2026_has_its_public_holidays() -> None:
    calendar = calendar_for("FR", years=2026)
    assert calendar.weekend == (5, 6)
    assert {d("2026-01-01"), d("2026-04-06"), d("2026-05-01"), d("2026-05-14"),
            d("2026-07-14"), d("2026-12-25")} <= calendar.holidays  # fmt: skip
    assert all(day.year == 2026 for day in calendar.holidays)
    assert calendar.next_business_day(d("2026-05-14")) == d("2026-05-15")  # Ascension Thursday


def test_years_a_subdivision_and_a_weekend() -> None:
    two_years = calendar_for("FR", years=range(2026, 2028))
    assert {day.year for day in two_years.holidays} == {2026, 2027}
    assert calendar_for("FR", years=[2026, 2027]) == two_years
    moselle = calendar_for("FR", years=2026, subdiv="57")  # Good Friday and Saint Stephen's
    assert moselle.holidays - two_years.holidays == {d("2026-04-03"), d("2026-12-26")}
    assert calendar_for("AE", years=2026, weekend=(5, 6)).weekend == (5, 6)
    assert calendar_for("IL", years=2026, weekend=(4, 5)).weekend == (4, 5)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"country": "XX", "years": 2026}, r"country 'XX': no holidays known"),
        ({"country": "XX", "years": 2026, "subdiv": "A"}, r"country 'XX': no holidays known"),
        ({"country": "FR", "years": 2026, "subdiv": "ZZ"}, r"country 'FR' has no subdivision 'ZZ'"),
        ({"country": "", "years": 2026}, r"country must be a non-empty string"),
        ({"country": "FR", "years": 2026, "subdiv": 57}, r"subdiv must be a non-empty string"),
        ({"country": "FR", "years": "2026"}, r"years must be a year or a collection of years"),
        ({"country": "FR", "years": None}, r"years must be a year or a collection of years"),
        ({"country": "FR", "years": []}, r"years must name at least one year"),
        ({"country": "FR", "years": [2026, True]}, r"years must be whole numbers from 1 to 9999"),
        ({"country": "FR", "years": [0]}, r"years must be whole numbers from 1 to 9999, not 0"),
        ({"country": "FR", "years": 2026, "weekend": (7,)}, r"business calendar: weekend days"),
    ],
)
def test_bad_arguments_are_validation_errors_naming_them(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        calendar_for(**arguments)  # type: ignore[arg-type]


def test_without_the_package_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "holidays", None)  # import holidays: ImportError
    with pytest.raises(ConfigurationError, match=r"pip install collectlib\[holidays\]"):
        calendar_for("FR", years=2026)


def test_the_core_never_imports_the_holidays_package() -> None:
    import subprocess

    code = "import collectlib, sys; print('holidays' in sys.modules, 'collectlib.calendars' in sys.modules)"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["False", "False"]


# --- policy files ------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_policy_file_lists_its_weekend_and_holidays(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'format = 1\n[calendar]\nweekend = [4, 5]\nholidays = [2026-12-25, "2026-12-31"]\n',
    )
    assert load_policy(path).calendar == BusinessCalendar(
        weekend=(4, 5), holidays={d("2026-12-25"), d("2026-12-31")}
    )


def test_a_policy_file_names_a_country_and_its_own_closing_days(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'format = 1\n[calendar]\ncountry = "FR"\nyears = [2026, 2027]\nholidays = [2026-08-14]\n',
    )
    calendar = load_policy(path).calendar
    assert calendar is not None
    assert calendar.holidays == calendar_for("FR", years=[2026, 2027]).holidays | {d("2026-08-14")}
    # What is written back is the calendar itself: its weekend and its dates.
    saved = tmp_path / "saved.json"
    save_policy(load_policy(path), saved)
    assert '"country"' not in saved.read_text(encoding="utf-8")
    assert load_policy(saved).calendar == calendar
    one_year = write(
        tmp_path,
        'format = 1\n[calendar]\ncountry = "FR"\nyears = 2026\nsubdiv = "57"\n',
        "one.toml",
    )
    assert load_policy(one_year).calendar == calendar_for("FR", years=2026, subdiv="57")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'country = "XX"\nyears = 2026',
            r"policy.calendar: calendar_for: country 'XX': no holidays known",
        ),
        ('country = "FR"', r"policy.calendar: country 'FR' needs years"),
        (
            'country = "FR"\nyears = 2026\nholidays = 3',
            r"policy.calendar: holidays: not a list of dates: 3",
        ),
        ('country = "FR"\nyears = 2026\nsubdiv = "ZZ"', r"country 'FR' has no subdivision 'ZZ'"),
        ("weekend = [7]", r"policy.calendar: business calendar: weekend days are 0 \(Monday\)"),
        ('holidays = ["soon"]', r"policy.calendar.holidays\[0\]: not a date: 'soon'"),
        ("colour = 1", r"policy.calendar: extra fields found \(colour\)"),
    ],
)
def test_a_bad_calendar_in_a_file_names_it(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, f"format = 1\n[calendar]\n{body}\n")
    with pytest.raises(LoadError, match=message):
        load_policy(path)


def test_a_country_without_the_package_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "holidays", None)
    path = write(tmp_path, 'format = 1\n[calendar]\ncountry = "FR"\nyears = 2026\n')
    with pytest.raises(
        LoadError,
        match=r"policy.calendar: calendar_for: the holidays package is not installed: pip install collectlib\[holidays\]",
    ):
        load_policy(path)


def test_a_window_on_the_calendars_weekend_only_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "format = 1\n[calendar]\nweekend = [5, 6]\n"
        "[sending_window]\nweekdays = [6]\nslots = [[09:00:00, 12:00:00]]\n",
    )
    with pytest.raises(
        LoadError, match=r"policy.toml: policy: sending_window: weekdays \[6\] are all weekend days"
    ):
        load_policy(path)
