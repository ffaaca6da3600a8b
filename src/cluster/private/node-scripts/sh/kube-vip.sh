# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- kube-vip -------------------------------------------------------------

readonly KUBE_VIP_FILE=/etc/kubernetes/manifests/kube-vip.yaml

# kube_vip_interface: the network interface holding this node's declared address.
kube_vip_interface() {
  ip -o -4 addr show | awk -v ip="$NODE_IP" '{ a = $4; sub(/\/.*/, "", a); if (a == ip && !done) { print $2; done = 1 } }'
}

# write_kube_vip_manifest KUBECONFIG: writes the kube-vip static pod, bound to
# this node's interface and using KUBECONFIG (a path on the node), when the
# construct declares kube-vip; kubelet starts it from the manifests directory.
write_kube_vip_manifest() {
  [[ -n $KUBE_VIP_MANIFEST ]] || return 0
  step "kube-vip static pod (control-plane virtual IP)"
  [[ -n $NODE_IP ]] || die "kube-vip needs this node's declared address to find its interface; pass --node-name"
  local iface manifest
  iface=$(kube_vip_interface)
  [[ -n $iface ]] || die "no network interface holds $NODE_IP, the address node $NODE_NAME is declared with"
  manifest=${KUBE_VIP_MANIFEST//@@INTERFACE@@/$iface}
  manifest=${manifest//@@KUBECONFIG@@/$1}
  # kubeadm writes its static pods readable by root only; so does this.
  write_file "$KUBE_VIP_FILE" 0600 <<<"$manifest" || true
  log "kube-vip: interface $iface, kubeconfig $1"
}
