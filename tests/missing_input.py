"""One rule for a test whose input is not on this machine (Quarto, a browser engine, the seeds):
on a maintainer's machine the test skips and says what is missing; under CI (CI=true), where
`.ci/run` installs every input, it fails."""
import os

import pytest


def under_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason):
    """Skip the running test for `reason`, or fail it under CI."""
    if under_ci():
        pytest.fail(f"{reason} (CI=true: every input of the suite must be here)")
    pytest.skip(reason)
