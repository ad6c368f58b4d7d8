"""Hypothesis profiles for the fuzz suite.

`ci` (chosen when the CI environment variable is set, as GitHub Actions and most CI
services set it): a fixed number of examples, derandomized so a run is reproducible and a
failure is the same failure on a rerun, no example database, no deadline (shared CI
runners stall). `dev` (otherwise): fewer examples per run, random, with the local
database so a failure found once is replayed first next time. Choose one explicitly
with `pytest --hypothesis-profile=ci`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_DATA,
)
settings.register_profile(
    "dev",
    max_examples=int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=_SLOW_DATA,
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
