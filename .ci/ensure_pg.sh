#!/usr/bin/env bash
# Sourced by .ci/run. Starts Debian's PostgreSQL cluster only when nothing answers on
# 127.0.0.1:5432, and never changes a foreign server. Exports DATABASE_URL (kept if preset)
# and PG_STARTED_BY_US; stop_pg_if_started stops only a server this script started.
PG_HOST=127.0.0.1
PG_PORT=5432
PG_STARTED_BY_US=0
export PGCONNECT_TIMEOUT=3

stop_pg_if_started() {
  if [ "${PG_STARTED_BY_US:-0}" = 1 ]; then pg_ctlcluster "$PG_VERSION" main stop || true; fi
}
_pg_wait() {
  for _ in $(seq 1 60); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return 0; sleep 0.5; done
  echo "ensure_pg: PostgreSQL did not become ready" >&2; return 1
}

if ! command -v pg_isready >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
fi
PG_VERSION="${PG_VERSION:-$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)}"

_rc=0; pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || _rc=$?   # 0 up, 1 starting, 2 no response, 3 no attempt
case "$_rc" in
  0) echo "ensure_pg: PostgreSQL already accepting on $PG_HOST:$PG_PORT - not starting one" ;;
  1) echo "ensure_pg: PostgreSQL is starting up - waiting"; _pg_wait ;;
  *) if [ -z "$PG_VERSION" ] || ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {f=1} END {exit !f}'; then
       PG_VERSION="${PG_VERSION:-15}"; pg_createcluster "$PG_VERSION" main >/dev/null
     fi
     echo "ensure_pg: starting PostgreSQL $PG_VERSION main"
     pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start 2>/dev/null || pg_ctlcluster "$PG_VERSION" main start
     PG_STARTED_BY_US=1
     _pg_wait ;;
esac
unset _rc

if [ -z "${DATABASE_URL:-}" ]; then
  for _u in "postgres://postgres@$PG_HOST:$PG_PORT/test" \
            "postgres://root@$PG_HOST:$PG_PORT/test" \
            "postgres://postgres@$PG_HOST:$PG_PORT/postgres"; do
    if psql -X -qAt "$_u" -c 'select 1' >/dev/null 2>&1; then DATABASE_URL="$_u"; break; fi
  done
  unset _u
fi
if [ -z "${DATABASE_URL:-}" ] && command -v runuser >/dev/null; then
  # Debian's own cluster with password auth on TCP: give role root a password, once.
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL' >/dev/null 2>&1 || true
SELECT 'CREATE ROLE root LOGIN SUPERUSER' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'root')\gexec
ALTER ROLE root PASSWORD 'root';
SELECT 'CREATE DATABASE kzmigration OWNER root' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kzmigration')\gexec
SQL
  if psql -X -qAt "postgres://root:root@$PG_HOST:$PG_PORT/kzmigration" -c 'select 1' >/dev/null 2>&1; then
    DATABASE_URL="postgres://root:root@$PG_HOST:$PG_PORT/kzmigration"
  fi
fi
if [ -z "${DATABASE_URL:-}" ]; then echo "ensure_pg: no usable PostgreSQL URL" >&2; return 1 2>/dev/null || exit 1; fi
export DATABASE_URL PG_STARTED_BY_US
echo "ensure_pg: DATABASE_URL=$(printf %s "$DATABASE_URL" | sed -E 's#(//[^:/@]*):[^@]*@#\1:***@#') started_by_us=$PG_STARTED_BY_US"
