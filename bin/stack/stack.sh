# shellcheck shell=bash
# `bin/lookout stack up|down|status`: the local Postgres, Redis, RabbitMQ, ClickHouse and Kafka.
# Sourced by bin/lookout (which defines log, die and storage_cli).
#
# Each service <s> lives in bin/stack/<s>.sh and defines:
#   <s>_endpoint            "host port" that answers when the service is up
#   <s>_missing_packages    apt packages still needed to start it (arg "start") or only to talk to it ("reuse")
#   <s>_start               launch it bound to loopback, data/logs/pids under $(svc_dir <s>); may return early
#   <s>_pid                 pid of what <s>_start launched (empty when unknown)
#   <s>_await DEADLINE      optional: extra readiness check once the port answers, for one we started
#   <s>_provision           idempotent: databases, users, vhosts, topics (runs on every `up`: keep it cheap)
#   <s>_stop                stop what <s>_start launched
#   <s>_version             version string of whatever answers on the endpoint
#   <s>_logs                log files to read when it does not start
#
# State: $LOOKOUT_STATE_DIR/<s>/started marks a service that `stack up` started (so `stack down`
# stops only those); a reused service (something else already answered) gets no marker.

SERVICES=(rabbitmq kafka postgres clickhouse redis) # slowest first: their boots overlap the others'
STACK_TIMEOUT=${LOOKOUT_STACK_TIMEOUT:-60}          # seconds a service may take to answer
STACK_DIR=$LOOKOUT_ROOT/bin/stack
CONFIG_NAMES=(LOOKOUT_STATE_DIR PG_HOST PG_PORT PG_DATABASE PG_USER PG_PASSWORD
  REDIS_HOST REDIS_PORT REDIS_PASSWORD
  RABBITMQ_HOST RABBITMQ_PORT RABBITMQ_VHOST RABBITMQ_USER RABBITMQ_PASSWORD
  CLICKHOUSE_HOST CLICKHOUSE_HTTP_PORT CLICKHOUSE_NATIVE_PORT CLICKHOUSE_DATABASE CLICKHOUSE_USER CLICKHOUSE_PASSWORD
  KAFKA_HOST KAFKA_PORT KAFKA_CONTROLLER_PORT)

for _service in "${SERVICES[@]}"; do
  # shellcheck source=/dev/null
  source "$STACK_DIR/$_service.sh"
done
unset _service

# ---------------------------------------------------------------------------------------------
# configuration (from Java) and state

load_config() {
  local settings name
  ensure_built # here, not inside $(...), so that a failed build ends this script
  settings=$(storage_cli shell) || die "could not read the configuration (StorageCli shell failed, see above)"
  eval "$settings"
  for name in "${CONFIG_NAMES[@]}"; do
    [[ -v $name ]] || die "StorageCli shell did not print $name"
  done
  [[ $LOOKOUT_STATE_DIR == /* ]] || die "LOOKOUT_STATE_DIR must be absolute, got '$LOOKOUT_STATE_DIR'"
}

svc_dir() { printf '%s/%s' "$LOOKOUT_STATE_DIR" "$1"; }
started_marker() { printf '%s/started' "$(svc_dir "$1")"; }
is_ours() { [[ -f $(started_marker "$1") ]]; }

# The marker holds "pid start-time" of what `up` launched: a pid reused after a reboot or a crash
# is not ours, and `down` must never signal it.
mark_started() {
  local pid
  pid=$("${1}_pid")
  echo "$pid $(pid_start_time "$pid")" >"$(started_marker "$1")"
}

ours_alive() {
  local marked_pid marked_start pid
  is_ours "$1" || return 1
  read -r marked_pid marked_start <"$(started_marker "$1")" || return 1
  pid=$("${1}_pid")
  [[ $pid == "$marked_pid" ]] && pid_alive "$pid" && [[ $(pid_start_time "$pid") == "$marked_start" ]]
}

# ---------------------------------------------------------------------------------------------
# processes, ports, users

# shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
port_open() { timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

svc_port_open() {
  local host port
  read -r host port <<<"$("${1}_endpoint")"
  port_open "$host" "$port"
}

# alive and not a zombie
pid_alive() {
  local pid=$1 stat
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # not $(<file): a failed redirection there ends the script despite the ||
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

svc_alive() { pid_alive "$("${1}_pid")"; }

# clock ticks since boot at which the process started (field 22 of /proc/PID/stat)
pid_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  local fields
  read -r -a fields <<<"$stat"
  echo "${fields[19]}"
}

read_pidfile() { if [[ -f $1 ]]; then head -n 1 "$1"; fi; }

# pid of the process listening on a TCP port (empty when unknown)
listener_pid() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true
}

# The address a service we start binds to: loopback only, ever.
bind_address() {
  case "$1" in
    127.*) printf '%s' "$1" ;;
    localhost) printf '127.0.0.1' ;;
    *) return 1 ;;
  esac
}

# AS_USER=(prefix) that runs a command as a service account (when root; otherwise as the current
# user: empty prefix), with that account's HOME (the Erlang cookie and psql look there).
as_user_prefix() {
  AS_USER=()
  ((EUID == 0)) || return 0
  local home
  home=$(getent passwd "$1" | cut -d: -f6)
  AS_USER=(setpriv --reuid="$1" --regid="$(id -g "$1")" --init-groups
    env HOME="$home" USER="$1" LOGNAME="$1")
}

# usage: as_user USER command [args...] — runs from /, which every account can enter
as_user() {
  as_user_prefix "$1"
  shift
  (cd / && exec "${AS_USER[@]}" "$@" 9>&-) # 9: the stack lock, not for daemons to keep
}

# owner of a service's state dir (root runs postgres and rabbitmq under their own accounts)
own_dir() {
  local user=$1 dir=$2
  ((EUID == 0)) || return 0
  # only what is not the account's yet (no chown -R through a big data dir on every start)
  find "$dir" -maxdepth 1 ! -user "$user" -exec chown -R "$user:$(id -g "$user")" {} +
  as_user "$user" test -w "$dir" \
    || die "user $user cannot reach $dir (a parent directory is not searchable); set LOOKOUT_STORAGE__STACK__STATE_DIR to a path it can reach"
}

# usage: await_pidfile FILE — waits (up to 10 s) for a daemon to write its pid file
await_pidfile() {
  local i
  for ((i = 0; i < 200; i++)); do
    [[ -s $1 ]] && return 0
    sleep 0.05
  done
  return 1
}

# Starts a daemon in its own session; its pid goes to PIDFILE, its output to OUT.
# usage: spawn_daemon PIDFILE OUT command [args...]
spawn_daemon() {
  local pidfile=$1 out=$2; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; cd /; exec "$@"' "$pidfile" "$@" </dev/null >>"$out" 2>&1 9>&- &
  await_pidfile "$pidfile" || die "could not start $1 (no pid file $pidfile)"
}

# Stops a process: SIGNAL (TERM unless given), then SIGKILL after TIMEOUT seconds.
# usage: stop_pid NAME PID [SIGNAL [TIMEOUT]]
stop_pid() {
  local name=$1 pid=$2 signal=${3:-TERM} timeout=${4:-30} i
  pid_alive "$pid" || return 0
  kill -s "$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  log "$name (pid $pid) did not stop within ${timeout}s: killing it"
  kill -s KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  die "$name (pid $pid) survived SIGKILL"
}

# Fails `stack up` for a service, naming its logs and quoting the end of the first non-empty one
# (each service lists its most telling log first).
fail_service() {
  local service=$1 message=$2 file shown="" others=()
  log "$service: $message"
  for file in $("${service}_logs"); do
    [[ -s $file ]] || continue
    if [[ -z $shown ]]; then
      shown=$file
      log "read $file; its last lines:"
      tail -n 12 "$file" | cut -c1-300 | sed 's/^/    /' >&2
    else
      others+=("$file")
    fi
  done
  [[ -n $shown ]] || log "(no log written; looked for: $("${service}_logs"))"
  ((${#others[@]} == 0)) || log "other logs: ${others[*]}"
  exit 1
}

# Runs `COMMAND...` unless it already succeeded for the same server with the same SETTINGS:
# for provisioning too slow to repeat on every `up` (rabbitmqctl, Kafka admin). The server is
# "ours" when `up` started it (its data lives next to this record, so a restart keeps what was
# created), else the pid listening on its port.
# usage: provision_once SERVICE SETTINGS COMMAND [args...]
provision_once() {
  local service=$1 settings=$2; shift 2
  local file fingerprint host port
  read -r host port <<<"$("${service}_endpoint")"
  if is_ours "$service"; then
    fingerprint="ours $settings"
  else
    fingerprint="pid $(listener_pid "$port") $settings"
  fi
  file="$(svc_dir "$service")/provisioned"
  [[ -f $file && $(<"$file") == "$fingerprint" ]] && return 0
  "$@" || return 1
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$fingerprint" >"$file"
}

# One `stack up`/`stack down` at a time on this machine, whatever the checkout: a second `up`
# waits and then finds the services up (and reuses them) instead of racing to start its own.
# The lock is fd 9; as_user, spawn_daemon and redis_start close it for the daemons they start.
stack_lock() {
  local file=${TMPDIR:-/tmp}/lookout-stack-$EUID.lock
  exec 9>>"$file"
  flock -n 9 && return 0
  log "waiting for another bin/lookout stack up/down to finish (lock: $file)"
  flock -w 600 9 || die "gave up waiting for the lock $file"
}

# ---------------------------------------------------------------------------------------------
# packages (a fresh Debian 12 has only Java and Maven)

apt_install() {
  (($# > 0)) || return 0
  ((EUID == 0)) || die "missing packages: $*; run as root, or install them"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # packages must not start their services (on 0.0.0.0, under the system's settings)
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
  fi
  log "installing: $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 || die "apt-get update failed"
  apt-get install -y -q "$@" >&2 || die "apt-get install $* failed"
}

missing_command_packages() {
  command -v curl >/dev/null || echo curl
  command -v ss >/dev/null || echo iproute2
}

# ---------------------------------------------------------------------------------------------
# stack up

# What `up` does with a service: start | running (ours, answers) | booting (ours, not yet) | reuse
plan_service() {
  local s=$1
  if svc_port_open "$s"; then
    if ours_alive "$s"; then echo running; return; fi
    rm -f "$(started_marker "$s")" # what answers is not ours
    echo reuse
  else
    if ours_alive "$s"; then echo booting; return; fi
    rm -f "$(started_marker "$s")"
    echo start
  fi
}

start_service() {
  local s=$1 host port
  read -r host port <<<"$("${s}_endpoint")"
  bind_address "$host" >/dev/null \
    || die "$s: nothing answers on $host:$port, and lookout starts services on loopback only"
  log "$s: starting on $host:$port"
  mkdir -p "$(svc_dir "$s")"
  "${s}_start"
  mark_started "$s"
}

await_service() {
  local s=$1 action=$2 host port deadline=$((SECONDS + STACK_TIMEOUT))
  read -r host port <<<"$("${s}_endpoint")"
  until port_open "$host" "$port"; do
    svc_alive "$s" || fail_service "$s" "exited while starting"
    ((SECONDS < deadline)) || fail_service "$s" "did not answer on $host:$port within ${STACK_TIMEOUT}s"
    sleep 0.2
  done
  if [[ $action == start || $action == booting ]] && declare -F "${s}_await" >/dev/null; then
    "${s}_await" "$deadline" || fail_service "$s" "answers on $host:$port but did not finish starting"
  fi
}

stack_up() {
  local began=${EPOCHREALTIME/./} s
  load_config
  stack_lock
  mkdir -p "$LOOKOUT_STATE_DIR"

  local -A action
  local packages=()
  for s in "${SERVICES[@]}"; do
    action[$s]=$(plan_service "$s")
    case "${action[$s]}" in
      start) mapfile -t -O "${#packages[@]}" packages < <("${s}_missing_packages" start) ;;
      *) mapfile -t -O "${#packages[@]}" packages < <("${s}_missing_packages" reuse) ;;
    esac
  done
  mapfile -t -O "${#packages[@]}" packages < <(missing_command_packages)
  # shellcheck disable=SC2046 # one package name per word
  apt_install $(printf '%s\n' "${packages[@]}" | sort -u)

  for s in "${SERVICES[@]}"; do
    [[ ${action[$s]} == start ]] && start_service "$s"
  done

  local summary=()
  for s in "${SERVICES[@]}"; do
    await_service "$s" "${action[$s]}"
    if ! "${s}_provision"; then
      [[ ${action[$s]} == reuse ]] \
        && die "$s: answers (not started by lookout), but creating its databases/users/topics failed (see above)"
      fail_service "$s" "is up, but creating its databases/users/topics failed (see above)"
    fi
    case "${action[$s]}" in
      start | booting) summary+=("$s started") ;;
      running) summary+=("$s running") ;;
      reuse) summary+=("$s reused") ;;
    esac
  done
  local joined
  joined=$(printf ', %s' "${summary[@]}")
  local tenths=$(((${EPOCHREALTIME/./} - began) / 100000))
  log "stack up in $((tenths / 10)).$((tenths % 10))s: ${joined:2} (state: $LOOKOUT_STATE_DIR)"
}

# ---------------------------------------------------------------------------------------------
# stack down / status

stack_down() {
  load_config
  stack_lock
  local i s stopped=()
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    s=${SERVICES[i]}
    is_ours "$s" || continue
    if ours_alive "$s"; then
      log "$s: stopping"
      "${s}_stop"
      stopped+=("$s")
    else
      log "$s: was no longer running"
    fi
    rm -f "$(started_marker "$s")"
  done
  if ((${#stopped[@]} == 0)); then
    log "stack down: nothing was started by lookout in $LOOKOUT_STATE_DIR"
  else
    log "stack down: stopped ${stopped[*]}"
  fi
}

stack_status() {
  load_config
  local s host port state version owner
  for s in postgres redis rabbitmq clickhouse kafka; do
    read -r host port <<<"$("${s}_endpoint")"
    version=-
    owner=-
    if port_open "$host" "$port"; then
      state=up
      version=$("${s}_version" 2>/dev/null) || true
      if ours_alive "$s"; then owner="started by lookout"; else owner=external; fi
    else
      state=down
    fi
    printf '%-11s %-21s %-5s %-10s %s\n' "$s" "$host:$port" "$state" "${version:-?}" "$owner"
  done
}
