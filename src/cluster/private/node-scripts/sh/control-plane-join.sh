# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- control-plane join ---------------------------------------------------

JOIN_ENDPOINT=${KUBEADM_JOIN_ENDPOINT:-$CONTROL_PLANE_ENDPOINT}
JOIN_TOKEN=${KUBEADM_JOIN_TOKEN:-}
JOIN_CA_HASH=${KUBEADM_JOIN_CA_HASH:-}
JOIN_CERTIFICATE_KEY=${KUBEADM_JOIN_CERTIFICATE_KEY:-}

require_control_plane_join_parameters() {
  if [[ -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    return 0
  fi
  require_join_parameters
  [[ -n $JOIN_CERTIFICATE_KEY ]] \
    || die "missing KUBEADM_JOIN_CERTIFICATE_KEY: run new-join-command.sh --control-plane on an initialized control-plane node and pass its output with --join-file -"
  [[ $JOIN_CERTIFICATE_KEY =~ ^[a-f0-9]{64}$ ]] \
    || die "invalid certificate key: expected 64 lowercase hex digits, as kubeadm init phase upload-certs prints"
}

# etcd_members: how many etcd members the cluster runs (its static pods).
etcd_members() {
  kubectl --kubeconfig "$ROOT/etc/kubernetes/admin.conf" get pods -n kube-system -l component=etcd -o name | grep -c . || true
}

join_control_plane() {
  step "kubeadm join (control plane)"
  if [[ -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    log "this node already belongs to a cluster (/etc/kubernetes/kubelet.conf exists); kubeadm join skipped"
  else
    kubeadm_join "control plane, endpoint $JOIN_ENDPOINT, CA hash $JOIN_CA_HASH"
  fi
  # After the join: kubeadm join refuses a non-empty manifests directory, and
  # admin.conf only exists once the node has joined.
  write_kube_vip_manifest /etc/kubernetes/admin.conf
  [[ $DRY_RUN == false ]] || return 0
  step "etcd members"
  local members
  members=$(etcd_members)
  log "etcd has $members member(s); $CONTROL_PLANE_NODE_COUNT control-plane node(s) are declared"
  if ((members > CONTROL_PLANE_NODE_COUNT)); then
    die "etcd has $members members but only $CONTROL_PLANE_NODE_COUNT control-plane nodes are declared: remove the stale member (etcdctl member remove) before it costs the quorum"
  fi
  if ((members % 2 == 0)); then
    log "warning: $members etcd members tolerate no more failures than $((members - 1)); join the next control-plane node soon"
  fi
}
