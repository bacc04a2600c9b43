"""docker-compose.yml cannot run here (no Docker engine): check it parses and names real commands."""
from pathlib import Path

import yaml

from tally.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_every_compose_service_runs_a_tally_command_that_exists():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["tally"]' in dockerfile
    for name, service in compose["services"].items():
        if service.get("build"):
            assert service["command"][0] in main.commands, f"{name}: unknown command {service['command']}"
