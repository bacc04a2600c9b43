#!/usr/bin/env bash
# A real Apache Kafka broker for the tests, without Docker: `scripts/kafka.sh up|down|status`.
#
# Kafka 3.9.2 (newest patch of the last 3.x line), one KRaft node that is broker and
# controller at once, on 127.0.0.1:9092 (controller 127.0.0.1:9093). Why 3.9 and not 4.x: faust-streaming 0.15
# accepts any aiokafka >= 0.10, and Kafka 4.0 removed the old protocol versions (KIP-896)
# that aiokafka before 0.13 still speaks, so 4.x would need aiokafka pinned >= 0.13; 3.9
# serves both old and new clients. tests/integration/test_kafka_*.py prove it with
# faust-streaming 0.15.3 + aiokafka 0.14 (worker, publisher, dead-letter consumer).
#
# The jars come from Maven Central through `mvn` (a generated pom under the cache dir; the
# classpath is written to a file), so after the first run `up` starts in seconds from ~/.m2.
# kafka_2.13's pom declares slf4j-api only, so a logging backend (slf4j-reload4j, the one
# Kafka's own distribution ships in 3.x) is added explicitly.
#
# It needs java (11 or later) and, until the jars are cached, mvn: when either is missing it
# installs the Debian packages (default-jre-headless, maven) as root, or stops saying what
# to install.
#
# Environment: TALLY_KAFKA (the address the tests and `tally` use, default
# kafka://127.0.0.1:9092: the broker listens on its first host:port), TALLY_KAFKA_CONTROLLER_PORT
# (default: that port + 1), TALLY_KAFKA_DIR (run dir: config, data, logs, pid; default
# /tmp/tally-kafka), TALLY_KAFKA_CACHE (pom + classpath; default ~/.cache/tally/kafka-<version>),
# KAFKA_HEAP_OPTS (default -Xmx512m -Xms512m).
set -euo pipefail

VERSION=3.9.2
SLF4J_VERSION=1.7.36
ADDRESS=${TALLY_KAFKA:-kafka://127.0.0.1:9092}
ADDRESS=${ADDRESS%%[;,]*}
ADDRESS=${ADDRESS#kafka://}
HOST=${ADDRESS%:*}
PORT=${ADDRESS##*:}
CONTROLLER_PORT=${TALLY_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}
RUN_DIR=${TALLY_KAFKA_DIR:-/tmp/tally-kafka}
CACHE=${TALLY_KAFKA_CACHE:-$HOME/.cache/tally/kafka-$VERSION}
CLASSPATH_FILE=$CACHE/classpath.txt
PID_FILE=$RUN_DIR/kafka.pid
HEAP=${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

running_pid() {
    local pid
    pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
    kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# needs COMMAND PACKAGE: installs PACKAGE (Debian, as root) when COMMAND is missing, else stops.
needs() {
    command -v "$1" > /dev/null && return 0
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get > /dev/null; then
        echo "kafka: '$1' is missing: install the Debian package $2 (or run this script as root to let it)" >&2
        exit 1
    fi
    echo "kafka: installing $2 (for '$1')" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null
    command -v "$1" > /dev/null || { echo "kafka: installing $2 gave no '$1'" >&2; exit 1; }
}

java_ready() {
    needs java default-jre-headless
    local major
    major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9.]*\)$/\1/p')
    if [[ ${major%%.*} -lt 11 ]]; then
        echo "kafka: Kafka $VERSION needs java 11 or later; 'java' is $major" >&2
        exit 1
    fi
}

classpath_ready() {
    [[ -s $CLASSPATH_FILE ]] || return 1
    local jar
    while IFS= read -r jar; do [[ -f $jar ]] || return 1; done < <(tr ':' '\n' < "$CLASSPATH_FILE")
}

resolve() {
    classpath_ready && return 0
    needs mvn maven
    mkdir -p "$CACHE"
    cat > "$CACHE/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>tally.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>$SLF4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
    echo "kafka: resolving org.apache.kafka:kafka_2.13:$VERSION from Maven Central (first run only)" >&2
    mvn -q -B -f "$CACHE/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=runtime 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
    classpath_ready || { echo "kafka: could not resolve the jars" >&2; exit 1; }
}

write_config() {
    mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs"
    cat > "$RUN_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN_DIR/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
    cat > "$RUN_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$RUN_DIR/logs/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
EOF
}

java_cmd() {
    # shellcheck disable=SC2206  # HEAP holds several JVM options
    JAVA=(java $HEAP -XX:+UseG1GC -Djava.awt.headless=true
          -Dlog4j.configuration="file:$RUN_DIR/log4j.properties"
          -cp "$(cat "$CLASSPATH_FILE")")
}

up() {
    if pid=$(running_pid); then
        echo "kafka: already running (pid $pid) on $HOST:$PORT"
        return 0
    fi
    if port_open "$PORT"; then
        echo "kafka: $HOST:$PORT is already served by another process; using it"
        return 0
    fi
    java_ready
    resolve
    write_config
    java_cmd
    if [[ ! -f $RUN_DIR/data/meta.properties ]]; then
        "${JAVA[@]}" kafka.tools.StorageTool format -t "$("${JAVA[@]}" kafka.tools.StorageTool random-uuid)" \
            -c "$RUN_DIR/server.properties" > "$RUN_DIR/logs/format.log" 2>&1 \
            || { cat "$RUN_DIR/logs/format.log" >&2; exit 1; }
    fi
    nohup "${JAVA[@]}" kafka.Kafka "$RUN_DIR/server.properties" \
        < /dev/null > "$RUN_DIR/logs/stdout.log" 2>&1 &
    echo $! > "$PID_FILE"
    for _ in $(seq 1 600); do
        if port_open "$PORT"; then
            echo "kafka: up (pid $(cat "$PID_FILE")) on $HOST:$PORT, logs in $RUN_DIR/logs"
            return 0
        fi
        if ! running_pid > /dev/null; then
            echo "kafka: the broker exited; last lines of $RUN_DIR/logs:" >&2
            tail -n 30 "$RUN_DIR/logs/stdout.log" "$RUN_DIR/logs/server.log" >&2 || true
            exit 1
        fi
        sleep 0.1
    done
    echo "kafka: no answer on $HOST:$PORT after 60 s" >&2
    exit 1
}

down() {
    local pid
    if ! pid=$(running_pid); then
        echo "kafka: not running"
        rm -f "$PID_FILE"
        return 0
    fi
    kill "$pid"
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; echo "kafka: stopped"; return 0; }
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    echo "kafka: killed after 30 s"
}

status() {
    if pid=$(running_pid); then
        echo "kafka: running (pid $pid) on $HOST:$PORT"
    elif port_open "$PORT"; then
        echo "kafka: $HOST:$PORT served by a process this script did not start"
    else
        echo "kafka: not running"
        return 3
    fi
}

case ${1:-} in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
