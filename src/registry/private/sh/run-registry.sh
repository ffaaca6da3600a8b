# shellcheck shell=sh disable=SC2034,SC2154
# ---- run-registry -------------------------------------------------------

dir=$MAINTENANCE_DIR
poll=${POLL_SECONDS:-2}
pid=''
mode=''
token=''
acknowledged=''

# lease_token: prints the token of an unexpired lease; fails when there is none.
lease_token() {
  lease_id='' lease_expiry=''
  [ -f "$dir/lease" ] || return 1
  read -r lease_id lease_expiry <"$dir/lease" || true
  case $lease_expiry in
    '' | *[!0-9]*) return 1 ;;
  esac
  [ "$(date +%s)" -lt "$lease_expiry" ] || return 1
  printf '%s' "$lease_id"
}

stop_registry() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || true
    pid=''
  fi
}

start_registry() {
  mode=$1
  if [ "$mode" = read-only ]; then
    config=$REGISTRY_READ_ONLY_CONFIG
  else
    config=$REGISTRY_CONFIG
    acknowledged=''
    rm -f "$dir/read-only"
  fi
  log "starting the registry $mode ($config)"
  registry serve "$config" &
  pid=$!
}

trap 'stop_registry; exit 0' TERM INT
mkdir -p "$dir"
rm -f "$dir/read-only"
# On an object store the lease comes from the pod template: the garbage
# collection rolls the Deployment out with READ_ONLY_UNTIL (epoch seconds).
if [ -n "${READ_ONLY_UNTIL:-}" ]; then
  printf 'rollout %s\n' "$READ_ONLY_UNTIL" >"$dir/lease"
fi
while :; do
  want=read-write
  if token=$(lease_token); then
    want=read-only
  fi
  if [ "$want" != "$mode" ]; then
    if [ -n "$mode" ]; then
      log "switching to $want"
    fi
    stop_registry
    start_registry "$want"
  fi
  if [ "$mode" = read-only ] && [ "$token" != "$acknowledged" ]; then
    # Only the read-only registry runs now: tell the lease holder.
    printf '%s\n' "$token" >"$dir/read-only.tmp"
    mv "$dir/read-only.tmp" "$dir/read-only"
    acknowledged=$token
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    status=0
    wait "$pid" || status=$?
    log "the registry exited with status $status"
    exit "$status"
  fi
  sleep "$poll" &
  wait $! || true
done
