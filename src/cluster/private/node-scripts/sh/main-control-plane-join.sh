# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: new-join-command.sh --control-plane | sudo ./control-plane-join.sh --join-file - [--node-name NAME] [--dry-run]

Prepares this machine as a control-plane node, then joins it to the existing
control plane with kubeadm join (once), downloading the control-plane
certificates with the certificate key, and installs the admin kubeconfig. The
bootstrap token and the certificate key are secrets and are never taken from
the command line: pass them on standard input, in a file readable by root
only (--join-file FILE), or in the environment (KUBEADM_JOIN_TOKEN,
KUBEADM_JOIN_CERTIFICATE_KEY, exported in a root shell, not set on the sudo
command line). Runs again safely.

  --join-file FILE|-   KEY=VALUE lines as new-join-command.sh --control-plane prints them
  --node-name NAME     the declared node this machine is (default: found by address)
  --dry-run            print what would change, change nothing
USAGE
}

parse_args() {
  ROLE=control-plane
  local join_file=''
  parse_options '
    --dry-run             set   DRY_RUN=true
    --token               call  refuse_token_argument
    --token=*             call  refuse_token_argument
    --certificate-key     call  refuse_token_argument
    --certificate-key=*   call  refuse_token_argument
    --node-name           value NODE_NAME
    --join-file           value join_file
  ' "$@"
  if [[ -n $join_file ]]; then
    read_join_file "$join_file"
  fi
}

main() {
  parse_args "$@"
  require_control_plane_join_parameters
  start_work_dir
  preflight
  prepare_node
  join_control_plane
  install_admin_kubeconfig
  added_post_control_plane_join_steps
  finish
}

main "$@"
