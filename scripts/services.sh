#!/usr/bin/env bash
# Redis and PostgreSQL on loopback for the tests: `scripts/services.sh up|down|status`.
# Idempotent and quick when both already answer. Installs the Debian packages when missing
# (as root: CI runs on a fresh machine with nothing installed or running).
# Redis: 127.0.0.1:6379, no persistence (a restart comes back empty, as in production).
# PostgreSQL: the Debian cluster on 127.0.0.1:5432, role `tally` / password `tally`, database `tally`.
set -euo pipefail

REDIS_PORT=6379
PG_PORT=5432
export PGCONNECT_TIMEOUT=3

log() { echo "services: $*" >&2; }

redis_ready() { command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
pg_ready() { PGPASSWORD=tally psql -h 127.0.0.1 -p "$PG_PORT" -U tally -d tally -Atqc 'SELECT 1' >/dev/null 2>&1; }

install_missing() {
    local missing=()
    command -v redis-server >/dev/null || missing+=(redis-server)
    [ -d /usr/lib/postgresql ] && command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" -eq 0 ] || { log "install ${missing[*]} (needs root)"; exit 1; }
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_redis() {
    redis_ready && return
    log "starting redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --logfile /tmp/tally-redis.log --dir /tmp
}

pg_version() { ls /usr/lib/postgresql | sort -V | tail -1; }

start_postgres() {
    pg_ready && return
    local version; version=$(pg_version)
    pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main" || pg_createcluster "$version" main >/dev/null
    pg_ctlcluster "$version" main status >/dev/null 2>&1 || { log "starting postgresql $version"; pg_ctlcluster "$version" main start; }
    wait_for "postgresql" pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
    runuser -u postgres -- psql -q -p "$PG_PORT" -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tally') THEN
    CREATE ROLE tally LOGIN PASSWORD 'tally';
  END IF;
END $$;
SELECT 'CREATE DATABASE tally OWNER tally' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tally')\gexec
SQL
}

wait_for() {
    local name=$1; shift
    for _ in $(seq 1 150); do "$@" && return 0; sleep 0.2; done
    log "$name did not answer within 30 s"; exit 1
}

case "${1:-}" in
    up)
        redis_ready && pg_ready && exit 0
        install_missing
        start_redis
        start_postgres
        wait_for redis redis_ready
        wait_for postgresql pg_ready
        log "redis and postgresql are up" ;;
    down)
        redis_ready && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        command -v pg_ctlcluster >/dev/null && pg_ctlcluster "$(pg_version)" main stop 2>/dev/null || true ;;
    status)
        redis_ready && echo "redis: up" || echo "redis: down"
        pg_ready && echo "postgresql: up" || echo "postgresql: down" ;;
    *)
        echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
