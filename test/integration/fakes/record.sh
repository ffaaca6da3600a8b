# Sourced by every recorder and fake binary in the test root file system.
# Appends the invocation (program name and argv, tab-separated) to the run's
# command log, which the harness bind-mounts at /run/it (outside the tree the
# scripts can change).
IT=/run/it
# shellcheck disable=SC2034 # used by the recorders that source this file
IT_CLUSTER=/run/it-cluster
it_record() {
  local name=${0##*/} arg line=''
  for arg in "$@"; do
    line+=$'\t'$arg
  done
  printf '%s%s\n' "$name" "$line" >>"$IT/commands.log"
}
it_record "$@"
