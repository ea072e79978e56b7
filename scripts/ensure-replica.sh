#!/usr/bin/env bash
# A PostgreSQL streaming replica of the local primary on loopback, for the replica test
# (tests/ops/test_replica.py) and for trying NIANGJIA_REPLICA_URL by hand (docs/operations.md).
#
#   bash scripts/ensure-replica.sh          make it if missing, start it; prints its port
#   bash scripts/ensure-replica.sh --drop   stop and remove it
#
# Idempotent. It reconfigures the primary only where it must, and says so: a `replication`
# line for 127.0.0.1 in the primary's pg_hba.conf (then a reload), and wal_level/max_wal_senders
# if they are too low (ALTER SYSTEM, which needs a restart of the primary: the script restarts it).
# The replica is a second cluster of the same major version made with pg_createcluster, filled
# with pg_basebackup -R (standby.signal + primary_conninfo), given a copy of the primary's pg_hba.conf
# and started; a replica that fell too
# far behind to catch up (the WAL it needs is gone) is rebuilt.
set -euo pipefail

NAME=${NIANGJIA_REPLICA_CLUSTER:-niangjia_replica}
PORT=${NIANGJIA_REPLICA_PORT:-5439}
PRIMARY_HOST=${NIANGJIA_PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${NIANGJIA_PRIMARY_PORT:-5432}
VERSION=${NIANGJIA_PG_VERSION:-$(ls /etc/postgresql | sort -n | tail -1)}
DATA=/var/lib/postgresql/$VERSION/$NAME

say() { echo "ensure-replica: $*" >&2; }
psql_primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atq "$@"; }
psql_replica() { psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atq "$@"; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cluster_exists() { pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -qx "$VERSION $NAME"; }

drop() {
  if cluster_exists; then
    say "dropping cluster $VERSION/$NAME"
    pg_dropcluster --stop "$VERSION" "$NAME"
  fi
}

if [ "${1:-}" = "--drop" ]; then drop; exit 0; fi

# 1. The primary must accept a replication connection from loopback and ship WAL.
HBA=$(psql_primary -c "SHOW hba_file")
if ! psql_primary -c "SELECT 1 FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND address = '127.0.0.1'" | grep -q 1; then
  say "adding 'host replication all 127.0.0.1/32 trust' to the primary's $HBA and reloading it"
  printf '\n# niangjia replica test (scripts/ensure-replica.sh)\nhost replication all 127.0.0.1/32 trust\n' >> "$HBA"
  psql_primary -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
fi
WAL_LEVEL=$(psql_primary -c "SHOW wal_level")
SENDERS=$(psql_primary -c "SHOW max_wal_senders")
if [ "$WAL_LEVEL" = minimal ] || [ "$SENDERS" -lt 2 ]; then
  say "primary has wal_level=$WAL_LEVEL max_wal_senders=$SENDERS: setting replica/10 and restarting it"
  psql_primary -c "ALTER SYSTEM SET wal_level = replica" -c "ALTER SYSTEM SET max_wal_senders = 10"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" main restart
fi

# 2. A running replica that streams from the primary is left alone.
if cluster_exists; then
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p "$PORT" -q && break; sleep 0.5; done
  if [ "$(psql_replica -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] \
     && [ "$(psql_replica -c 'SELECT pg_is_wal_replay_paused()')" = t ]; then
    psql_replica -c "SELECT pg_wal_replay_resume()" >/dev/null  # a test that stopped half-way
  fi
  for _ in $(seq 1 20); do
    if [ "$(psql_primary -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -gt 0 ] \
       && [ "$(psql_replica -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]; then
      echo "$PORT"; exit 0
    fi
    sleep 0.5
  done
  say "cluster $VERSION/$NAME is not streaming from the primary: rebuilding it"
  drop
fi

# 3. Make it: an empty cluster, its data directory replaced by a base backup of the primary.
# A base backup copies the whole primary (every database on it, benchmark data included): refuse
# rather than fill the disk the primary itself writes to.
NEED_MB=$(psql_primary -c "SELECT (sum(pg_database_size(datname)) / 1048576)::bigint FROM pg_database")
FREE_MB=$(df --output=avail -m "$(dirname "$DATA")" | tail -1 | tr -d ' ')
if [ "$((NEED_MB * 12 / 10))" -gt "$FREE_MB" ]; then
  say "the primary holds ${NEED_MB} MB and only ${FREE_MB} MB are free: a base backup would fill the disk."
  say "drop large databases you do not need (e.g. the benchmark's: niangjia_bench*) and run this again"
  exit 1
fi
say "creating replica cluster $VERSION/$NAME on port $PORT"
pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
cp "$HBA" "/etc/postgresql/$VERSION/$NAME/pg_hba.conf"  # clients authenticate as they do on the primary
rm -rf "${DATA:?}"/*
as_postgres pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DATA" -R -X stream -c fast
pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start
for _ in $(seq 1 40); do
  if [ "$(psql_primary -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -gt 0 ]; then
    echo "$PORT"; exit 0
  fi
  sleep 0.5
done
say "the replica started but does not stream (see /var/log/postgresql/postgresql-$VERSION-$NAME.log)"
exit 1
