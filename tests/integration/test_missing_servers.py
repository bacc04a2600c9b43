"""In CI (CI=true) a test whose server is unreachable fails; it never skips."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDS = {  # a test that needs the server, and the variable pointing at it
    "TALLY_REDIS_URL": ("tests/integration/test_server_stores.py::"
                        "test_redis_views_and_their_feed_messages_land_in_one_step", "redis://127.0.0.1:1/0"),
    "TALLY_POSTGRES_DSN": ("tests/integration/test_ledger_env.py::"
                           "test_the_ledger_lives_in_the_settings_schema_whatever_the_library_variables_say",
                           "postgresql://tally:tally@127.0.0.1:1/tally"),
    "TALLY_KAFKA": ("tests/integration/test_kafka_routing.py", "kafka://127.0.0.1:1"),
}


@pytest.mark.parametrize("variable", sorted(NEEDS))
def test_a_test_whose_server_is_unreachable_fails_in_ci(variable):
    test, unreachable = NEEDS[variable]
    done = subprocess.run([sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider", "-rfEs"],
                          cwd=ROOT, env={**os.environ, "CI": "true", variable: unreachable},
                          capture_output=True, text=True, timeout=120, check=False)
    outcome = done.stdout.splitlines()[-1]
    assert done.returncode == 1, done.stdout[-2000:]
    assert ("1 failed" in outcome or "1 error" in outcome) and "skipped" not in outcome, outcome
