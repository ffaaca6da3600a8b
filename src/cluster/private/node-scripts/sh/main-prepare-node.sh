# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: sudo ./prepare-node.sh [--role control-plane|worker] [--node-name NAME] [--dry-run]

Prepares this machine for kubeadm: preflight checks, host name and /etc/hosts,
swap off, kernel modules, sysctl, SELinux, firewall, chrony, containerd and
kubelet, kubeadm and kubectl. Runs again safely: it changes only what differs.

  --role ROLE       control-plane or worker (default: the role of the declared
                    node whose address this machine has)
  --node-name NAME  the declared node this machine is (default: found by address)
  --dry-run         print what would change, change nothing
USAGE
}

parse_args() {
  parse_options '
    --dry-run   set   DRY_RUN=true
    --role      value ROLE
    --node-name value NODE_NAME
  ' "$@"
  case $ROLE in
    '' | control-plane | worker) ;;
    *) die "--role must be control-plane or worker, not '$ROLE'" ;;
  esac
}

main() {
  parse_args "$@"
  start_work_dir
  preflight
  prepare_node
  finish
}

main "$@"
