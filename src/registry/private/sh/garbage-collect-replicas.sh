# shellcheck shell=sh disable=SC2034,SC2154
# ---- garbage-collect-replicas ---------------------------------------------

poll=${POLL_SECONDS:-2}
read_only_until=$(($(date +%s) + LEASE_SECONDS))
switched=''
gc_pid=''
rollout_pid=''

# finish: runs on every exit. A collection still running is stopped and
# waited for first: only then may the registry accept pushes again.
finish() {
  if [ -n "$rollout_pid" ]; then
    kill -TERM "$rollout_pid" 2>/dev/null || true
  fi
  if [ -n "$gc_pid" ]; then
    kill -TERM "$gc_pid" 2>/dev/null || true
    wait "$gc_pid" || true
    gc_pid=''
  fi
  [ -n "$switched" ] || return 0
  if kubectl set env --namespace "$NAMESPACE" "deployment/$DEPLOYMENT" -c "$CONTAINER" READ_ONLY_UNTIL-; then
    log "the registry rolls back to read-write"
  else
    log "could not switch the registry back; its pods return to read-write on their own at $read_only_until (epoch seconds)"
  fi
}

# stale_pods: prints the registry pods (also terminating ones) whose template
# is not the read-only one of this run; fails when the API cannot tell.
stale_pods() {
  jsonpath="{range .items[*]}{.metadata.name}{\" \"}{.spec.containers[?(@.name==\"$CONTAINER\")].env[?(@.name==\"READ_ONLY_UNTIL\")].value}{\"\\n\"}{end}"
  pods=$(kubectl get pods --namespace "$NAMESPACE" -l "$POD_SELECTOR" -o "jsonpath=$jsonpath") || return 1
  printf '%s\n' "$pods" | while read -r pod value; do
    if [ -n "$pod" ] && [ "$value" != "$read_only_until" ]; then
      printf '%s ' "$pod"
    fi
  done
}

trap finish EXIT
trap 'exit 143' TERM INT

# Marked before the patch: a patch that took effect but whose answer was lost is undone too.
switched=yes
if ! kubectl set env --namespace "$NAMESPACE" "deployment/$DEPLOYMENT" -c "$CONTAINER" "READ_ONLY_UNTIL=$read_only_until"; then
  log "could not switch the registry to read-only; nothing deleted"
  exit 1
fi
log "asked every replica to serve read-only until $read_only_until (epoch seconds)"

# In the background, so that SIGTERM (the Job's deadline) is handled at once.
kubectl rollout status --namespace "$NAMESPACE" "deployment/$DEPLOYMENT" --timeout="${ROLLOUT_TIMEOUT_SECONDS}s" &
rollout_pid=$!
status=0
wait "$rollout_pid" || status=$?
rollout_pid=''
if [ "$status" -ne 0 ]; then
  log "the read-only rollout did not complete within $ROLLOUT_TIMEOUT_SECONDS seconds; nothing deleted"
  exit 1
fi
# rollout status no longer counts terminating pods, which still serve
# requests during their grace period: wait until they are gone too.
start=$(date +%s)
while :; do
  if stale=$(stale_pods) && [ -z "$stale" ]; then
    break
  fi
  if [ $(($(date +%s) - start)) -ge "$ROLLOUT_TIMEOUT_SECONDS" ]; then
    log "pods of the read-write registry still run after $ROLLOUT_TIMEOUT_SECONDS seconds (${stale:-the API did not answer}); nothing deleted"
    exit 1
  fi
  sleep "$poll" &
  wait "$!" || true
done

# The pods return to read-write on their own at read_only_until: the
# collection stops SKEW_SECONDS before, to allow for the nodes' clocks.
remaining=$((read_only_until - $(date +%s) - SKEW_SECONDS))
if [ "$remaining" -le 0 ]; then
  log "no time left in the read-only window; nothing deleted"
  exit 1
fi
log "every replica serves read-only; collecting garbage (for at most $remaining seconds)"
set -- garbage-collect
if [ "$DELETE_UNTAGGED" = true ]; then
  set -- "$@" --delete-untagged
fi
timeout "$remaining" "$REGISTRY_BIN" "$@" "$REGISTRY_CONFIG" &
gc_pid=$!
status=0
wait "$gc_pid" || status=$?
gc_pid=''
if [ "$status" -ne 0 ]; then
  log "the collection failed (status $status)"
  exit "$status"
fi
log "done"
