"""`tally publish` against the real broker: what Kafka cannot take is named and skipped, quietly."""
import subprocess

import orjson

from tests.e2e.conftest import TALLY
from tests.helpers import rep


def publish(kafka_run, source) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*TALLY, "publish", str(source), "--json"], env=kafka_run.env,
                          capture_output=True, timeout=120, check=False)


def test_a_line_over_the_message_limit_is_not_sent_and_named_with_its_line_and_the_rest_go(kafka_run, tmp_path):
    too_large = orjson.dumps({"event_id": "x" * 1_100_000, "type": "deal.won"})
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\n".join([orjson.dumps(rep("amy", "Mo", "West")), too_large,
                                 orjson.dumps(rep("bo", "Mo", "West"))]))
    done = publish(kafka_run, feed)

    assert done.returncode == 0
    report = orjson.loads(done.stdout)
    assert (report["published"], report["refused"]) == (2, 1)
    assert [(u["line"], u["bytes"]) for u in report["unsent"]] == [(2, len(too_large))]
    assert done.stderr.decode().splitlines() == [f"{feed} line 2: not sent: {report['unsent'][0]['reason']}"]
    sent = kafka_run.read([kafka_run.topics.activities], 2)
    assert sorted(orjson.loads(m.value)["rep_id"] for m in sent) == ["amy", "bo"]


def test_publishing_to_topics_not_created_yet_prints_nothing_on_stderr(kafka_run, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(orjson.dumps(rep("amy", "Mo", "West")) + b"\n" + b"{not json\n")
    done = publish(kafka_run, feed)

    assert (done.returncode, done.stderr) == (0, b"")
    assert orjson.loads(done.stdout)["published"] == 2


def test_an_unreachable_broker_is_one_line_of_error_and_exit_1_not_a_traceback(kafka_run, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(orjson.dumps(rep("amy", "Mo", "West")))
    kafka_run.env["TALLY_KAFKA"] = "kafka://127.0.0.1:9"  # the discard port: nothing listens
    done = publish(kafka_run, feed)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr.decode()
    assert "Error: cannot publish to kafka://127.0.0.1:9: KafkaConnectionError" in done.stderr.decode()
