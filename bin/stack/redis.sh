# shellcheck shell=bash
# Redis: a cache, rate-limit counters and short-lived processing state, so no persistence.

redis_endpoint() { echo "$REDIS_HOST $REDIS_PORT"; }

redis_missing_packages() {
  [[ $1 == start ]] && ! command -v redis-server >/dev/null && echo redis-server
  command -v redis-cli >/dev/null || echo redis-tools
}

redis_logs() { echo "$(svc_dir redis)/redis.log"; }

redis_pid() { read_pidfile "$(svc_dir redis)/redis.pid"; }

redis_start() {
  local dir
  dir=$(svc_dir redis)
  rm -f "$dir/redis.pid"
  local args=(--bind "$(bind_address "$REDIS_HOST")" --port "$REDIS_PORT"
    --daemonize yes --save '' --appendonly no
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log")
  [[ -n $REDIS_PASSWORD ]] && args+=(--requirepass "$REDIS_PASSWORD")
  redis-server "${args[@]}" </dev/null 9>&- || fail_service redis "redis-server did not start"
  # --daemonize: the pid file appears once the server has forked
  await_pidfile "$dir/redis.pid" || fail_service redis "redis-server did not write $dir/redis.pid"
}

redis_stop() { stop_pid redis "$(redis_pid)" TERM 30; }

redis_cli() {
  local auth=()
  [[ -n $REDIS_PASSWORD ]] && auth=(REDISCLI_AUTH="$REDIS_PASSWORD") # not on the command line
  env "${auth[@]}" redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"
}

redis_provision() {
  [[ $(redis_cli ping 2>&1) == PONG ]] || {
    log "redis: $REDIS_HOST:$REDIS_PORT answers but not PING (password?): $(redis_cli ping 2>&1)"
    return 1
  }
}

redis_version() { redis_cli info server | tr -d '\r' | sed -n 's/^redis_version://p'; }
