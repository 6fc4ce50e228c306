"""Test configuration: Hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) runs a budget that keeps CI under eight
minutes on two cores with some four hundred properties, each drawing new examples every
run (randomized: over many runs CI explores far more than one run does, and the
examples that once failed are replayed from the database); ``deep`` is for long local
runs (``HYPOTHESIS_PROFILE=deep python -m pytest``, thousands of examples a property,
the state machines included); ``dev`` (the default) is quick; ``mutation`` (used by
``tools/mutation.sh``) is small and derandomized, so a mutant's verdict is repeatable.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "mutation",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "deep", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
