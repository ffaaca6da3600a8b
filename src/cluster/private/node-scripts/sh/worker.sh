# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- worker ---------------------------------------------------------------

JOIN_ENDPOINT=${KUBEADM_JOIN_ENDPOINT:-$CONTROL_PLANE_ENDPOINT}
JOIN_TOKEN=${KUBEADM_JOIN_TOKEN:-}
JOIN_CA_HASH=${KUBEADM_JOIN_CA_HASH:-}
JOIN_CERTIFICATE_KEY=''

require_join_parameters() {
  if [[ -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    return 0
  fi
  local missing=()
  [[ -n $JOIN_ENDPOINT ]] || missing+=('KUBEADM_JOIN_ENDPOINT (or --endpoint)')
  [[ -n $JOIN_TOKEN ]] || missing+=('KUBEADM_JOIN_TOKEN')
  [[ -n $JOIN_CA_HASH ]] || missing+=('KUBEADM_JOIN_CA_HASH (or --discovery-token-ca-cert-hash)')
  if ((${#missing[@]} > 0)); then
    die "missing join parameters: ${missing[*]}; run new-join-command.sh on the control-plane node and pass its output with --join-file - (standard input) or --join-file FILE"
  fi
  validate_join_parameters "$JOIN_ENDPOINT" "$JOIN_TOKEN" "$JOIN_CA_HASH"
}

join_cluster() {
  step "kubeadm join"
  if [[ -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    log "this node already belongs to a cluster (/etc/kubernetes/kubelet.conf exists); kubeadm join skipped"
    return 0
  fi
  kubeadm_join "endpoint $JOIN_ENDPOINT, CA hash $JOIN_CA_HASH"
}
