# shellcheck shell=bash
# PostgreSQL: a cluster of our own (initdb) in $LOOKOUT_STATE_DIR/postgres, run as user postgres.
# fsync stays on: durability is a product promise.

postgres_endpoint() { echo "$PG_HOST $PG_PORT"; }

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/initdb ]] && echo "$d"
  done | sort -V | tail -n 1
}

postgres_missing_packages() {
  [[ $1 == start && -z $(pg_bindir) ]] && echo postgresql
  command -v psql >/dev/null || echo postgresql-client
}

postgres_logs() { echo "$(svc_dir postgres)/postgres.log $(svc_dir postgres)/initdb.log"; }

# the cluster's superuser: postgres when root runs it as user postgres, else the account itself
# (peer authentication over the unix socket maps the OS account to the role of the same name)
pg_superuser() { if ((EUID == 0)); then echo postgres; else id -un; fi; }

postgres_pid() { read_pidfile "$(svc_dir postgres)/data/postmaster.pid"; }

postgres_start() {
  local dir bin
  dir=$(svc_dir postgres)
  bin=$(pg_bindir)
  mkdir -p "$dir/data" "$dir/run"
  own_dir postgres "$dir"
  if [[ ! -s $dir/data/PG_VERSION ]]; then
    as_user postgres "$bin/initdb" -D "$dir/data" -U "$(pg_superuser)" -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
      || fail_service postgres "initdb failed"
  fi
  local options=(
    -c "listen_addresses=$(bind_address "$PG_HOST")" -c "port=$PG_PORT"
    -c "unix_socket_directories=$dir/run"
    -c shared_buffers=128MB -c max_connections=200
  )
  # -W: do not wait here; `stack up` waits for all services together
  as_user postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -W \
    -o "$(printf '%q ' "${options[@]}")" start >/dev/null \
    || fail_service postgres "pg_ctl start failed"
  await_pidfile "$dir/data/postmaster.pid" || fail_service postgres "the postmaster did not start"
}

postgres_stop() {
  # SIGINT is Postgres's "fast" shutdown: roll back sessions, checkpoint, exit
  stop_pid postgres "$(postgres_pid)" INT 60
}

# psql as the lookout user over TCP (the way the services connect)
pg_app_psql() {
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 psql -X -qAt -h "$PG_HOST" -p "$PG_PORT" \
    -U "$PG_USER" -d "$PG_DATABASE" -v ON_ERROR_STOP=1 "$@"
}

# Unix socket dirs where the cluster on $PG_PORT may listen: ours, the one its postmaster
# actually uses (another checkout's stack), and Debian's.
pg_socket_dirs() {
  echo "$(svc_dir postgres)/run"
  ss -Hxl 2>/dev/null | grep -o "[^ ]*/\.s\.PGSQL\.$PG_PORT\b" | sed 's#/\.s\.PGSQL\..*##' || true
  echo /var/run/postgresql
  echo /tmp
}

# psql as the cluster's superuser (peer auth over the unix socket)
pg_super_psql() {
  local dir
  for dir in $(pg_socket_dirs | awk '!seen[$0]++'); do
    [[ -S $dir/.s.PGSQL.$PG_PORT ]] || continue
    as_user postgres psql -X -qAt -h "$dir" -p "$PG_PORT" -U "$(pg_superuser)" -d postgres -v ON_ERROR_STOP=1 "$@"
    return
  done
  log "postgres: no unix socket for port $PG_PORT found (looked in: $(pg_socket_dirs | xargs))"
  return 1
}

postgres_provision() {
  pg_app_psql -c 'SELECT 1' >/dev/null 2>&1 && return 0 # role, password and database are there
  log "postgres: creating role $PG_USER and database $PG_DATABASE"
  # the password travels in the environment, not on a command line
  LOOKOUT_PG_PASSWORD=$PG_PASSWORD pg_super_psql -v user="$PG_USER" -v db="$PG_DATABASE" <<'SQL'
\getenv password LOOKOUT_PG_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
  pg_app_psql -c 'SELECT 1' >/dev/null || {
    log "postgres: $PG_USER still cannot log in to $PG_DATABASE on $PG_HOST:$PG_PORT (pg_hba.conf?)"
    return 1
  }
}

postgres_version() { pg_app_psql -c 'SHOW server_version' | awk '{print $1}'; }
