#!/usr/bin/env bash
# Prints the plans of the inbox's hot queries on a seeded scratch PostgreSQL: the same binaries (zonky's)
# and migrations as the application, queried as the application's ordinary role with a tenant set, exactly
# as row-level security sees it. Nothing here touches the application's own databases.
#   ORGS=50 CONVS=1000 MSGS=10 src/test/sql/hot-query-plans.sh
set -euo pipefail
ORGS=${ORGS:-50}
CONVS=${CONVS:-1000}
MSGS=${MSGS:-10}
PORT=${PORT:-55432}
PG_BIN=${PG_BIN:-$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1)}
if [ -z "$PG_BIN" ]; then
    echo "Set PG_BIN to a PostgreSQL bin directory (zonky extracts one to /tmp/embedded-pg when the app or tests start)" >&2
    exit 1
fi
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
DIR=$(mktemp -d)
chmod 755 "$DIR"
# PostgreSQL refuses to run as root: the server then runs as nobody
AS=()
if [ "$(id -u)" = 0 ]; then
    chown nobody "$DIR"
    AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
if [ -z "${KEEP:-}" ]; then
    trap '"${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
fi
"${AS[@]}" "$PG_BIN/initdb" -A trust -U postgres -D "$DIR/data" -E UTF-8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -o "-p $PORT -k $DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off" \
    -l "$DIR/log" -w start >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT")
"${PSQL[@]}" -U postgres -d postgres -c "create role switchboard login" \
    -c "create role switchboard_system nologin bypassrls" -c "grant switchboard_system to switchboard" \
    -c "create database switchboard owner switchboard"
for f in $(ls "$ROOT"/src/main/resources/db/migration/V*.sql | sort -V); do
    "${PSQL[@]}" -U switchboard -d switchboard -f "$f" >/dev/null
done
started=$(date +%s)
"${PSQL[@]}" -U switchboard -d switchboard -v orgs="$ORGS" -v convs="$CONVS" -v msgs="$MSGS" -f "$HERE/hot-query-seed.sql"
echo "seeded $ORGS organizations x $CONVS conversations x $MSGS messages in $(( $(date +%s) - started )) s"
"${PSQL[@]}" -U switchboard -d switchboard -f "$HERE/hot-query-plans.sql"
if [ -n "${KEEP:-}" ]; then
    echo "kept running: psql -h $DIR -p $PORT -U switchboard switchboard; stop with: ${AS[*]} $PG_BIN/pg_ctl -D $DIR/data stop"
fi
