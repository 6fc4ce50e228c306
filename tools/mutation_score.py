"""Helpers of tools/mutation.sh: a module's mutmut project, and the score of a run.

    python tools/mutation_score.py MUTANTS_DIR
        the score of the run in MUTANTS_DIR (killed or timed out / checked), file by file,
        and its survivors
    python tools/mutation_score.py --survivors MUTANTS_DIR
        the names of the mutants a run checked and did not kill, one a line
    python tools/mutation_score.py --configure WORKDIR MODULE [TEST ...]
        make WORKDIR a project for one module: links to the repository's files, and a
        pyproject.toml whose [tool.mutmut] mutates MODULE only (a path or a glob) and runs
        the TESTs given (by default the configured test selection)

Only the standard library: it reads mutmut's ``*.meta`` files (JSON), whose exit codes
mean what mutmut's ``status_by_exit_code`` says.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: mutmut depends on toml there
    import toml as tomllib  # type: ignore[no-redef]

KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout"}
KILLED |= {152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault"}
NOT_A_VERDICT = {None: "not checked", 34: "skipped", 37: "caught by type check"}
ROOT = Path(__file__).resolve().parent.parent


def verdicts(mutants: Path) -> dict[str, dict[str, int | None]]:
    """Return the exit code of every mutant, by source file."""
    return {
        str(meta.relative_to(mutants))[: -len(".meta")]: json.loads(meta.read_text())[
            "exit_code_by_key"
        ]
        for meta in sorted(mutants.rglob("*.py.meta"))
    }


def status(exit_code: int | None) -> str:
    """Mutmut's name for an exit code, "survived" for a survivor of any kind."""
    if exit_code in KILLED:
        return "killed"
    if exit_code in NOT_A_VERDICT:
        return NOT_A_VERDICT[exit_code]
    return {5: "no tests", 33: "no tests", 35: "suspicious"}.get(exit_code, "survived")


def survivors(mutants: Path) -> list[str]:
    """Return the mutants checked and not killed."""
    return [
        name
        for codes in verdicts(mutants).values()
        for name, code in codes.items()
        if status(code) in {"survived", "no tests", "suspicious"}
    ]


def report(mutants: Path) -> None:
    """Print the score, file by file and in all, and the survivors."""
    total: Counter[str] = Counter()
    for path, codes in verdicts(mutants).items():
        counts = Counter(status(code) for code in codes.values())
        total += counts
        print(f"{path}: {score(counts)}")
    print(f"all: {score(total)}")
    for name in survivors(mutants):
        print(f"  survivor: {name}")


def score(counts: Counter[str]) -> str:
    """E.g. "93.1 % (270 killed / 290 checked; 3 not checked)"."""
    killed = counts["killed"]
    checked = killed + counts["survived"] + counts["no tests"] + counts["suspicious"]
    share = f"{killed / checked:.1%}".replace("%", " %") if checked else "no mutant"
    unchecked = f"; {counts['not checked']} not checked" if counts["not checked"] else ""
    return f"{share} ({killed} killed / {checked} checked{unchecked})"


def configure(workdir: Path, module: str, tests: list[str]) -> None:
    """Make ``workdir`` a project that mutates ``module`` only, against ``tests``."""
    text = (ROOT / "pyproject.toml").read_text()
    config = tomllib.loads(text)["tool"]["mutmut"]
    linked = {"src", "tests", *(Path(path).parts[0] for path in config.get("also_copy", []))}
    for name in sorted(linked):
        link = workdir / name
        if not link.is_symlink():
            link.symlink_to(Path("../..") / name)
    config["only_mutate"] = [module]
    if tests:
        config["pytest_add_cli_args_test_selection"] = tests
    # Every line, so that a line the chosen tests do not reach counts as a survivor.
    config["mutate_only_covered_lines"] = False
    section = "".join(f"{key} = {json.dumps(value)}\n" for key, value in config.items())
    start = text.index("[tool.mutmut]\n")
    end = text.find("\n[", start)  # the next table, if any
    tail = text[end + 1 :] if end >= 0 else ""
    (workdir / "pyproject.toml").write_text(f"{text[:start]}[tool.mutmut]\n{section}\n{tail}")


def main(arguments: list[str]) -> None:
    """Dispatch on the first argument (see the module's docstring)."""
    if arguments[0] == "--configure":
        configure(Path(arguments[1]), arguments[2], arguments[3:])
    elif arguments[0] == "--survivors":
        print("\n".join(survivors(Path(arguments[1]))))
    else:
        report(Path(arguments[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
