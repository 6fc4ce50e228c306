#!/usr/bin/env bash
# Mutation testing of the pure core with mutmut (configured in pyproject.toml [tool.mutmut]).
# Usage: bash tools/mutation.sh      (needs the dev extras and mutmut: pip install -e ".[dev]" mutmut)
# Prints the mutants killed / survived and the score; survivors: python -m mutmut results.
set -euo pipefail
cd "$(dirname "$0")/.."
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-mutation}"
python -m mutmut run --max-children "${MUTMUT_CHILDREN:-2}" || true
python -m mutmut export-cicd-stats >/dev/null
python - <<'PY'
import json
stats = json.load(open("mutants/mutmut-cicd-stats.json"))
killed = stats.get("killed", 0) + stats.get("timeout", 0) + stats.get("segfault", 0)
survived = stats.get("survived", 0)
no_tests = stats.get("no_tests", 0)
total = killed + survived + no_tests
print(f"mutants: {total}  killed: {killed}  survived: {survived}  no tests: {no_tests}")
print(f"mutation score: {killed / total:.1%}" if total else "no mutants")
PY
