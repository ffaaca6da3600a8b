# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- control plane --------------------------------------------------------

check_init_node() {
  if [[ -n $INIT_NODE_NAME && $NODE_NAME != "$INIT_NODE_NAME" ]]; then
    die "kubeadm init runs on the first declared control-plane node, $INIT_NODE_NAME, not on $NODE_NAME; further control-plane nodes join the existing control plane, with control-plane-join.sh"
  fi
}

# delete_init_tokens: kubeadm init always creates a bootstrap token of its own
# (kubeadm-config.yaml gives it a 15-minute TTL and INIT_TOKEN_DESCRIPTION).
# Nobody knows it (--skip-token-print), and the join command has its own, so
# it is deleted by its token ID, the public half, which is no secret. Also
# deletes one left behind by a run that stopped after kubeadm init.
delete_init_tokens() {
  [[ -f $ROOT/etc/kubernetes/admin.conf ]] || return 0
  local token rest
  while read -r token rest; do
    if [[ $token =~ ^([a-z0-9]{6})\.[a-z0-9]{16}$ && $rest == *"$INIT_TOKEN_DESCRIPTION"* ]]; then
      run kubeadm token delete "${BASH_REMATCH[1]}" --kubeconfig "$ROOT/etc/kubernetes/admin.conf"
    fi
  done < <(kubeadm token list --kubeconfig "$ROOT/etc/kubernetes/admin.conf")
}

# kubeadm_init_uploading_certificates CONFIG: kubeadm init for a control plane
# of several nodes: --upload-certs puts the control-plane certificates into the
# cluster, encrypted with a key made here ('kubeadm certs certificate-key'
# prints it to a pipe) and given to kubeadm in a copy of CONFIG created
# readable by root only, never in argv; the key goes to CERTIFICATE_KEY_FILE,
# where new-join-command.sh --control-plane finds it.
kubeadm_init_uploading_certificates() {
  local config=$1 init_config=$WORK_DIR/init-configuration.yaml key line inserted=false
  if [[ $DRY_RUN == true ]]; then
    CHANGES=$((CHANGES + 1))
    log "dry-run: would run: kubeadm init --config FILE --skip-token-print --upload-certs --skip-certificate-key-print (FILE: $config with a new certificate key, readable by root only)"
    return 0
  fi
  key=$(kubeadm certs certificate-key)
  [[ $key =~ ^[a-f0-9]{64}$ ]] || die "kubeadm certs certificate-key printed no certificate key"
  new_secret_file "$init_config"
  while IFS= read -r line; do
    if [[ $inserted == false && $line == --- ]]; then
      printf 'certificateKey: "%s"\n' "$key"
      inserted=true
    fi
    printf '%s\n' "$line"
  done <"$ROOT$config" >"$init_config"
  [[ $inserted == true ]] || die "$config has no InitConfiguration document followed by '---'"
  write_file "$CERTIFICATE_KEY_FILE" 0600 <<<"$key" || true
  CHANGES=$((CHANGES + 1))
  log "run: kubeadm init --config $init_config --skip-token-print --upload-certs --skip-certificate-key-print ($config with the certificate key, readable by root only)"
  kubeadm init --config "$init_config" --skip-token-print --upload-certs --skip-certificate-key-print
  rm -f "$init_config"
}

init_control_plane() {
  step "kubeadm configuration"
  local config=/etc/kubernetes/kubeadm-config.yaml initialized=false
  if [[ -f $ROOT/etc/kubernetes/admin.conf ]]; then
    initialized=true
  fi
  if write_file "$config" 0644 <<<"$(kubeadm_config)" && [[ $initialized == true ]]; then
    log "warning: $config changed after the cluster was initialized; kubeadm does not apply it to a running cluster"
  fi
  step "kubeadm init"
  if [[ $initialized == true ]]; then
    log "the control plane is already initialized (/etc/kubernetes/admin.conf exists); kubeadm init skipped"
  else
    # Before init: kube-vip must hold the endpoint's address while kubeadm waits for it.
    write_kube_vip_manifest "$KUBE_VIP_INIT_KUBECONFIG"
    if ((CONTROL_PLANE_NODE_COUNT > 1)); then
      kubeadm_init_uploading_certificates "$config"
    else
      # --skip-token-print: the join line kubeadm would print holds a token.
      run kubeadm init --config "$ROOT$config" --skip-token-print
    fi
  fi
  write_kube_vip_manifest /etc/kubernetes/admin.conf
  install_admin_kubeconfig
  if [[ -f $ROOT$JOIN_COMMAND_FILE ]]; then
    log "join command kept in $JOIN_COMMAND_FILE; new-join-command.sh makes a fresh one when its token has expired"
  else
    create_join_command
  fi
  if [[ $DRY_RUN == false ]]; then
    delete_init_tokens
  fi
  log "next: apply the pod network (flannel) manifests, then join each worker: new-join-command.sh | (on the worker) worker.sh --join-file -"
}
