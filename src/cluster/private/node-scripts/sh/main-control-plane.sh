# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: sudo ./control-plane.sh [--node-name NAME] [--dry-run]

Prepares this machine as prepare-node.sh does, then initializes the control
plane with kubeadm init (once), installs the admin kubeconfig for the invoking
user and writes the worker join command to /etc/kubernetes/join-command.
Runs again safely: it changes only what differs.

  --node-name NAME  the declared node this machine is (default: found by address)
  --dry-run         print what would change, change nothing
USAGE
}

parse_args() {
  ROLE=control-plane
  parse_options '
    --dry-run   set   DRY_RUN=true
    --node-name value NODE_NAME
  ' "$@"
}

main() {
  parse_args "$@"
  start_work_dir
  preflight
  check_init_node
  prepare_node
  init_control_plane
  added_post_init_steps
  finish
}

main "$@"
