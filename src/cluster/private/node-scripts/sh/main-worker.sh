# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: new-join-command.sh | sudo ./worker.sh --join-file - [--node-name NAME] [--dry-run]
       sudo ./worker.sh --join-file FILE [--endpoint HOST:PORT] [--node-name NAME] [--dry-run]

Prepares this machine as prepare-node.sh does, then joins it to the cluster
with kubeadm join (once). Run new-join-command.sh on the control-plane node to
get the join parameters. The bootstrap token is a secret and is never taken
from the command line (where every local user can see it): pass it on standard
input, in a file readable by root only, or in the environment. Runs again
safely: it changes only what differs.

  --join-file FILE|-       KEY=VALUE lines as new-join-command.sh prints them
                           (KUBEADM_JOIN_ENDPOINT, KUBEADM_JOIN_TOKEN,
                           KUBEADM_JOIN_CA_HASH); '-' reads standard input; a
                           file must not be readable by group or others
  --endpoint HOST:PORT     the control-plane endpoint (env KUBEADM_JOIN_ENDPOINT;
                           default: the endpoint declared at synth time, if any)
  --discovery-token-ca-cert-hash sha256:HASH
                           hash of the cluster CA (env KUBEADM_JOIN_CA_HASH)
  --node-name NAME         the declared node this machine is (default: found by address)
  --dry-run                print what would change, change nothing
  environment KUBEADM_JOIN_TOKEN
                           the bootstrap token, if not in the join file: export
                           it in a root shell ('sudo KUBEADM_JOIN_TOKEN=... ./worker.sh'
                           would put it into sudo's command line)
USAGE
}

parse_args() {
  ROLE=worker
  local join_file='' endpoint='' hash=''
  parse_options '
    --dry-run                      set   DRY_RUN=true
    --token                        call  refuse_token_argument
    --token=*                      call  refuse_token_argument
    --endpoint                     value endpoint
    --discovery-token-ca-cert-hash value hash
    --node-name                    value NODE_NAME
    --join-file                    value join_file
  ' "$@"
  if [[ -n $join_file ]]; then
    read_join_file "$join_file"
  fi
  JOIN_ENDPOINT=${endpoint:-$JOIN_ENDPOINT}
  JOIN_CA_HASH=${hash:-$JOIN_CA_HASH}
}

main() {
  parse_args "$@"
  if [[ -n $JOIN_CERTIFICATE_KEY ]]; then
    # Output of new-join-command.sh --control-plane: the key is for control-plane-join.sh.
    log "ignoring KUBEADM_JOIN_CERTIFICATE_KEY: worker.sh joins this machine as a worker"
    JOIN_CERTIFICATE_KEY=''
  fi
  require_join_parameters
  start_work_dir
  preflight
  prepare_node
  join_cluster
  added_post_worker_join_steps
  finish
}

main "$@"
