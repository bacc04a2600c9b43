"""The TV page's rules (gateway/static/board_logic.js) under node's own test runner.

Node is part of the machine image; without it this test fails, it never skips.
"""
import re
import shutil
import subprocess
from pathlib import Path

TESTS = Path(__file__).with_name("board_logic.test.js")


def test_the_board_rules_pass_every_node_test() -> None:
    node = shutil.which("node")
    assert node is not None, "node is not installed: the TV page's rules cannot be tested"
    done = subprocess.run([node, "--test", str(TESTS)], capture_output=True, text=True, timeout=120,
                          check=False)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    written = len(re.findall(r"^test\(", TESTS.read_text(), flags=re.MULTILINE))
    passed = re.search(r"^# pass (\d+)$", report, flags=re.MULTILINE)
    assert passed is not None and int(passed[1]) == written, report
