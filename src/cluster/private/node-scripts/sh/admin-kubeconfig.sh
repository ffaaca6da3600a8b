# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- admin kubeconfig -----------------------------------------------------

install_admin_kubeconfig() {
  step "admin kubeconfig"
  local admin=$ROOT/etc/kubernetes/admin.conf user=${SUDO_USER:-root} home=/root owner
  if [[ ! -f $admin ]]; then
    [[ $DRY_RUN == true ]] || die "kubeadm init did not write /etc/kubernetes/admin.conf"
    log "dry-run: would copy /etc/kubernetes/admin.conf to the kubeconfig of $user"
    return 0
  fi
  if [[ $user != root ]]; then
    home=$(getent passwd "$user" | cut -d: -f6)
    [[ -n $home ]] || die "cannot find the home directory of $user"
  fi
  write_file "$home/.kube/config" 0600 <"$admin" || true
  if [[ $user != root && -f $ROOT$home/.kube/config ]]; then
    owner="$(id -u "$user"):$(id -g "$user")"
    if [[ $(stat -c '%u:%g' "$ROOT$home/.kube/config") != "$owner" ]]; then
      run chown "$owner" "$ROOT$home/.kube" "$ROOT$home/.kube/config"
    fi
  fi
  log "kubectl works for $user with $home/.kube/config"
}

# added_admin_step DESCRIPTION FUNCTION: added_step for the steps of
# addPostInitStep and addPostControlPlaneJoinStep, which run once this node
# belongs to the control plane: KUBECONFIG points kubectl (and helm, ...) at
# the admin kubeconfig kubeadm wrote.
added_admin_step() {
  local -x KUBECONFIG=$ROOT/etc/kubernetes/admin.conf
  added_step "$@"
}
