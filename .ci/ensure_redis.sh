#!/usr/bin/env bash
# Sourced by .ci/run. The tests of the shared cache need Redis on 127.0.0.1:6379 (CI fails them
# otherwise). Starts Debian's redis-server (installed when missing) only when nothing answers
# there, without persistence; stop_redis_if_started stops only a server this script started.
REDIS_STARTED_BY_US=0
_redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }

stop_redis_if_started() {
  if [ "${REDIS_STARTED_BY_US:-0}" = 1 ] && [ -f "${REDIS_PIDFILE:-}" ]; then kill "$(cat "$REDIS_PIDFILE")" || true; fi
}

if _redis_up; then
  echo "ensure_redis: Redis already answering on 127.0.0.1:6379 - not starting one"
else
  command -v redis-server >/dev/null 2>&1 || \
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >/dev/null)
  REDIS_PIDFILE="$(mktemp -d)/redis.pid"
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes \
    --pidfile "$REDIS_PIDFILE" --dir "$(dirname "$REDIS_PIDFILE")" >/dev/null
  REDIS_STARTED_BY_US=1
  for _ in $(seq 1 40); do _redis_up && break; sleep 0.25; done
  if _redis_up; then echo "ensure_redis: started redis-server on 127.0.0.1:6379"; else echo "ensure_redis: redis-server did not start" >&2; fi
fi
export REDIS_STARTED_BY_US
