# shellcheck shell=sh disable=SC2034,SC2154
# ---- garbage-collect ----------------------------------------------------

dir=$MAINTENANCE_DIR
poll=${POLL_SECONDS:-2}
token="gc-$(date +%s)-$$"

release() {
  lease_id=''
  if [ -f "$dir/lease" ]; then
    read -r lease_id _ <"$dir/lease" || true
  fi
  if [ "$lease_id" = "$token" ]; then
    rm -f "$dir/lease"
    log "lease released; the registry returns to read-write"
  fi
}

mkdir -p "$dir"
trap release EXIT
trap 'exit 143' TERM INT
printf '%s %s\n' "$token" "$(($(date +%s) + LEASE_SECONDS))" >"$dir/lease.tmp"
mv "$dir/lease.tmp" "$dir/lease"
log "asked the registry to serve read-only for at most $LEASE_SECONDS seconds"

start=$(date +%s)
until [ "$(cat "$dir/read-only" 2>/dev/null || true)" = "$token" ]; do
  if [ $(($(date +%s) - start)) -ge "$ACK_TIMEOUT_SECONDS" ]; then
    log "the registry did not switch to read-only within $ACK_TIMEOUT_SECONDS seconds; nothing deleted"
    exit 1
  fi
  sleep "$poll"
done
log "the registry serves read-only; collecting garbage"

if [ "$DELETE_UNTAGGED" = true ]; then
  registry garbage-collect --delete-untagged "$REGISTRY_CONFIG"
else
  registry garbage-collect "$REGISTRY_CONFIG"
fi
log "done"
