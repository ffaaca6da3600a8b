# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- join command ---------------------------------------------------------

JOIN_COMMAND_FILE=/etc/kubernetes/join-command
# The key the control-plane certificates in the cluster are encrypted with
# (kubeadm deletes them two hours after the upload), readable by root only.
readonly CERTIFICATE_KEY_FILE=/etc/kubernetes/cdk8s-spark-certificate-key
JOIN_ENDPOINT=''
JOIN_TOKEN=''
JOIN_CA_HASH=''

# parse_join_command COMMAND: sets JOIN_ENDPOINT, JOIN_TOKEN and JOIN_CA_HASH
# from a 'kubeadm join' command line; fails unless all three are well formed.
parse_join_command() {
  local words i
  JOIN_ENDPOINT=''
  JOIN_TOKEN=''
  JOIN_CA_HASH=''
  read -r -a words <<<"$1"
  [[ ${words[0]:-} == kubeadm && ${words[1]:-} == join ]] || return 1
  JOIN_ENDPOINT=${words[2]:-}
  for ((i = 3; i < ${#words[@]} - 1; i++)); do
    case ${words[i]} in
      --token) JOIN_TOKEN=${words[i + 1]} ;;
      --discovery-token-ca-cert-hash) JOIN_CA_HASH=${words[i + 1]} ;;
    esac
  done
  join_parameters_valid "$JOIN_ENDPOINT" "$JOIN_TOKEN" "$JOIN_CA_HASH"
}

# create_join_command: creates a bootstrap token (valid for 24 hours) and
# writes the matching 'kubeadm join' command to JOIN_COMMAND_FILE, created
# readable by root only before the command is written. kubeadm prints the
# command to a pipe, never into argv or the log.
create_join_command() {
  step "join command for new nodes"
  JOIN_TOKEN=''
  if [[ $DRY_RUN == true ]]; then
    CHANGES=$((CHANGES + 1))
    log "dry-run: would run: kubeadm token create --print-join-command, and write the command to $JOIN_COMMAND_FILE"
    return 0
  fi
  [[ -f $ROOT/etc/kubernetes/admin.conf ]] || die "/etc/kubernetes/admin.conf not found: run this on an initialized control-plane node"
  local command
  CHANGES=$((CHANGES + 1))
  log "run: kubeadm token create --print-join-command"
  command=$(kubeadm token create --print-join-command --description "$JOIN_TOKEN_DESCRIPTION" --kubeconfig "$ROOT/etc/kubernetes/admin.conf")
  parse_join_command "$command" || die "unexpected output from kubeadm token create --print-join-command"
  write_file "$JOIN_COMMAND_FILE" 0600 <<<"$command" || true
  log "the join command (valid for 24 hours) is in $JOIN_COMMAND_FILE, readable by root only"
}

readonly JOIN_TOKEN_DESCRIPTION='cdk8s-spark join command'

# token_ttl TOKEN: the TTL column of 'kubeadm token list' for TOKEN, or nothing.
# The token is compared in the shell: it is never a command's argument.
token_ttl() {
  local token ttl rest
  while read -r token ttl rest; do
    if [[ $token == "$1" ]]; then
      printf '%s' "$ttl"
      return 0
    fi
  done < <(kubeadm token list --kubeconfig "$ROOT/etc/kubernetes/admin.conf")
}

# ensure_join_command FORCE: keeps the join command in JOIN_COMMAND_FILE while
# its token has an hour or more to live, and creates a new one otherwise (or
# when FORCE is true).
ensure_join_command() {
  local ttl=''
  if [[ $1 == false && -f $ROOT$JOIN_COMMAND_FILE ]] && parse_join_command "$(<"$ROOT$JOIN_COMMAND_FILE")"; then
    ttl=$(token_ttl "$JOIN_TOKEN")
    if [[ $ttl =~ ^[0-9]+[hdy]$ || $ttl == '<forever>' ]]; then
      log "the join command in $JOIN_COMMAND_FILE is still valid (its token expires in $ttl); --force makes a new one"
      return 0
    fi
    log "the token of the join command in $JOIN_COMMAND_FILE has expired or expires within the hour; making a new one"
  fi
  create_join_command
}

# print_join_file: the join parameters as KEY=VALUE lines for worker.sh
# --join-file (standard output: it holds the token).
print_join_file() {
  printf '# Join parameters (secret: readable by root only, never on a command line).\n'
  printf 'KUBEADM_JOIN_ENDPOINT=%s\nKUBEADM_JOIN_TOKEN=%s\nKUBEADM_JOIN_CA_HASH=%s\n' \
    "$JOIN_ENDPOINT" "$JOIN_TOKEN" "$JOIN_CA_HASH"
}
