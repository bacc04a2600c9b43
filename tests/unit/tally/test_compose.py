"""docker-compose.yml cannot run here (no Docker engine): check it parses and names real commands."""
from pathlib import Path

import yaml

from tally.cli import main

ROOT = Path(__file__).resolve().parents[3]


def tally_services() -> dict[str, dict]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {name: s for name, s in compose["services"].items() if s.get("build")}


def test_every_compose_service_runs_a_tally_command_that_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["tally"]' in dockerfile
    for name, service in tally_services().items():
        assert service["command"][0] in main.commands, f"{name}: unknown command {service['command']}"


def test_the_distributed_mode_runs_a_worker_a_projection_runner_and_a_gateway_with_health_checks():
    services = tally_services()
    commands = {s["command"][0]: s for s in services.values() if not s.get("profiles")}
    assert {"worker", "project", "serve"} <= set(commands)
    assert all("healthcheck" in s for s in commands.values())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert {"kafka", "postgres", "redis"} <= set(compose["services"])
    assert all("healthcheck" in compose["services"][name] for name in ("kafka", "postgres", "redis"))
