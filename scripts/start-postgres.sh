#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the test suite and print its URL.
# Installs the Debian server package when its binaries are missing.
set -euo pipefail
PORT="${SMARTPICK_PG_PORT:-55432}"
DIR="${SMARTPICK_PG_DIR:-/tmp/smartpick-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "installing PostgreSQL server packages" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUN_AS=(runuser -u postgres --)
fi
if [ -f "$DIR/postmaster.pid" ] && "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  echo "postgresql+psycopg://smartpick@127.0.0.1:$PORT/smartpick_test"
  exit 0
fi
rm -rf "$DIR" && mkdir -p "$DIR"
[ "$(id -u)" = "0" ] && chown postgres "$DIR"
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR" -U smartpick --auth=trust -E UTF8 >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >/dev/null
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U smartpick smartpick_test
echo "postgresql+psycopg://smartpick@127.0.0.1:$PORT/smartpick_test"
