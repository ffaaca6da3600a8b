# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: sudo ./new-join-command.sh [--force] [--dry-run]

Run on an initialized control-plane node to join a node: prints the join
parameters as KEY=VALUE lines for worker.sh --join-file, e.g.

  ssh cp1 sudo ./new-join-command.sh | ssh w1 sudo ./worker.sh --join-file -

The output holds a secret (the bootstrap token): pipe it, or keep it in a file
readable by root only; never put it on a command line. When the token in
/etc/kubernetes/join-command has expired (after 24 hours) or expires within
the hour, a new one is created and that file rewritten first.

  --control-plane  also upload the control-plane certificates (encrypted, for
                   two hours) and print the certificate key, for control-plane-join.sh
  --force          create a new token even if the current one is still valid
  --dry-run        print what would change, change nothing
USAGE
}

FORCE=false
CONTROL_PLANE=false

# upload_certificates: uploads the control-plane certificates, encrypted with a
# new certificate key, into the cluster (kubeadm deletes them after two hours)
# and sets CERTIFICATE_KEY, which kubeadm writes to a pipe here, never to argv.
CERTIFICATE_KEY=''
upload_certificates() {
  local age
  if [[ -f $ROOT$CERTIFICATE_KEY_FILE ]]; then
    age=$(($(date +%s) - $(stat -c '%Y' "$ROOT$CERTIFICATE_KEY_FILE")))
    # kubeadm deletes uploaded certificates after two hours: reuse for 100 minutes.
    if ((age >= 0 && age < 6000)); then
      CERTIFICATE_KEY=$(<"$ROOT$CERTIFICATE_KEY_FILE")
      if [[ $CERTIFICATE_KEY =~ ^[a-f0-9]{64}$ ]]; then
        log "the control-plane certificates uploaded $((age / 60)) minute(s) ago are still in the cluster; their key is in $CERTIFICATE_KEY_FILE"
        return 0
      fi
    fi
  fi
  CERTIFICATE_KEY=''
  if [[ $DRY_RUN == true ]]; then
    CHANGES=$((CHANGES + 1))
    log "dry-run: would run: kubeadm init phase upload-certs --upload-certs"
    return 0
  fi
  local output key
  CHANGES=$((CHANGES + 1))
  log "run: kubeadm init phase upload-certs --upload-certs"
  output=$(kubeadm init phase upload-certs --upload-certs --kubeconfig "$ROOT/etc/kubernetes/admin.conf")
  key=$(grep -xE '[a-f0-9]{64}' <<<"$output" | tail -n 1 || true)
  [[ -n $key ]] || die "kubeadm init phase upload-certs printed no certificate key"
  CERTIFICATE_KEY=$key
  write_file "$CERTIFICATE_KEY_FILE" 0600 <<<"$key" || true
}

parse_args() {
  parse_options '
    --dry-run       set DRY_RUN=true
    --force         set FORCE=true
    --control-plane set CONTROL_PLANE=true
  ' "$@"
}

main() {
  parse_args "$@"
  start_work_dir
  require_root
  ensure_join_command "$FORCE"
  if [[ $CONTROL_PLANE == true ]]; then
    upload_certificates
  fi
  if [[ -n $JOIN_TOKEN ]]; then
    print_join_file
    if [[ -n $CERTIFICATE_KEY ]]; then
      printf 'KUBEADM_JOIN_CERTIFICATE_KEY=%s\n' "$CERTIFICATE_KEY"
    fi
    log "the join parameters above hold a secret: pipe them into worker.sh --join-file - on the new node, or keep them in a file readable by root only"
  fi
  finish
}

main "$@"
