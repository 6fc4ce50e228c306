#!/usr/bin/env bash
# Mutation testing of the pure core with mutmut (configured in pyproject.toml [tool.mutmut]).
# Needs the mutation extra: pip install -e ".[dev,mutation]".  See docs/explanation/quality.md.
#
# The whole core (about an hour on two cores), in mutants/:
#     bash tools/mutation.sh
# One module (a path or a glob under src/), against the test files given (by default the
# configured test selection), in .mutation/<module>/mutants/:
#     bash tools/mutation.sh src/collectlib/rules/plans.py tests/test_plans.py tests/test_public_arguments.py
#     bash tools/mutation.sh 'src/collectlib/portfolio/reports/*' tests/test_reports.py
# A module's run keeps its verdicts: running it again checks the new mutants and re-checks
# the previous survivors only (delete .mutation/<module>/ for a fresh run). A module's run
# mutates every line, not only the lines its tests cover: a line the chosen tests do not
# reach counts as a survivor ("no tests"), so a too narrow test selection shows in the score.
#
# MUTMUT_CHILDREN (default 2) sets how many mutants are checked at once.
# Prints the score (killed / checked) and the survivors; inspect one with
#     (cd .mutation/<module> && python -m mutmut show <name>)     or, for a full run,
#     python -m mutmut show <name>
set -euo pipefail
cd "$(dirname "$0")/.."
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-mutation}"
children="${MUTMUT_CHILDREN:-2}"

if [[ $# -eq 0 ]]; then
    python -m mutmut run --max-children "$children" || true
    python tools/mutation_score.py mutants
    exit 0
fi

module="$1"
shift
workdir=".mutation/$(echo "${module#src/}" | tr '/*' '._' | sed 's/\.py$//')"
mkdir -p "$workdir"
# The module's own project: the repository's files, and a pyproject.toml whose
# [tool.mutmut] mutates only the module and runs only the tests given.
python tools/mutation_score.py --configure "$workdir" "$module" "$@"
cd "$workdir"
previous_survivors="$(python ../../tools/mutation_score.py --survivors mutants 2>/dev/null || true)"
python -m mutmut run --max-children "$children" || true
if [[ -n "$previous_survivors" ]]; then
    # shellcheck disable=SC2086  # one argument per mutant name
    python -m mutmut run --max-children "$children" $previous_survivors || true
fi
python ../../tools/mutation_score.py mutants
