# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- join ---------------------------------------------------------------

# refuse_token_argument: the old --token option put the token into argv.
refuse_token_argument() {
  die "--token is not accepted: a command-line argument is visible to every user of this machine (ps). Pass the join parameters on standard input (new-join-command.sh | ... ./$SCRIPT_NAME --join-file -), in a file readable by root only (--join-file FILE), or in the environment (KUBEADM_JOIN_TOKEN). Treat a token already given on a command line as exposed: make a new one with new-join-command.sh --force"
}

# read_join_file FILE: sets the join parameters from FILE ('-': standard
# input), lines KEY=VALUE as new-join-command.sh prints them. The file must not
# be readable by group or others. Nothing in it is executed.
read_join_file() {
  local file=$1 line key value n=0 mode
  if [[ $file != - ]]; then
    [[ -f $file && -r $file ]] || die "cannot read the join file $file"
    mode=$(stat -c '%a' "$file")
    [[ ${mode: -2} == 00 ]] \
      || die "the join file $file has mode $mode: it holds a secret, so it must be readable by its owner only (chmod 600 $file)"
    exec 3<"$file"
  else
    exec 3<&0
  fi
  while IFS= read -r line <&3 || [[ -n $line ]]; do
    n=$((n + 1))
    [[ -n ${line//[[:space:]]/} && $line != \#* ]] || continue
    [[ $line =~ ^([A-Z_]+)=(.*)$ ]] || die "join file line $n is not KEY=VALUE"
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    case $key in
      KUBEADM_JOIN_ENDPOINT) JOIN_ENDPOINT=$value ;;
      KUBEADM_JOIN_TOKEN) JOIN_TOKEN=$value ;;
      KUBEADM_JOIN_CA_HASH) JOIN_CA_HASH=$value ;;
      KUBEADM_JOIN_CERTIFICATE_KEY) JOIN_CERTIFICATE_KEY=$value ;;
      *) die "join file line $n: unknown key $key (expected KUBEADM_JOIN_ENDPOINT, KUBEADM_JOIN_TOKEN, KUBEADM_JOIN_CA_HASH, KUBEADM_JOIN_CERTIFICATE_KEY)" ;;
    esac
  done
  exec 3<&-
}

# join_configuration: the JoinConfiguration for kubeadm join on standard
# output. With JOIN_CERTIFICATE_KEY set, the node joins as a control-plane node.
join_configuration() {
  printf 'apiVersion: %s\nkind: JoinConfiguration\n' "$KUBEADM_API_VERSION"
  printf 'discovery:\n  bootstrapToken:\n    apiServerEndpoint: "%s"\n    token: "%s"\n    caCertHashes:\n      - "%s"\n' \
    "$JOIN_ENDPOINT" "$JOIN_TOKEN" "$JOIN_CA_HASH"
  printf 'nodeRegistration:\n  criSocket: "%s"\n' "$CRI_SOCKET"
  if [[ -n $NODE_NAME ]]; then
    printf '  name: "%s"\n' "$NODE_NAME"
  fi
  if [[ -n ${JOIN_CERTIFICATE_KEY:-} ]]; then
    printf 'controlPlane:\n  certificateKey: "%s"\n' "$JOIN_CERTIFICATE_KEY"
    if [[ -n $NODE_IP ]]; then
      printf '  localAPIEndpoint:\n    advertiseAddress: "%s"\n    bindPort: %s\n' "$NODE_IP" "$API_SERVER_PORT"
    fi
  fi
}

# kubeadm_join DESCRIPTION: runs kubeadm join with the JoinConfiguration in a
# file created readable by root only before the secrets are written to it, in
# the work directory, which is removed when the script ends.
kubeadm_join() {
  local config=$WORK_DIR/join-configuration.yaml
  CHANGES=$((CHANGES + 1))
  if [[ $DRY_RUN == true ]]; then
    log "dry-run: would run: kubeadm join --config FILE ($1; the secrets only in FILE, readable by root only)"
    return 0
  fi
  new_secret_file "$config"
  join_configuration >"$config"
  log "run: kubeadm join --config $config ($1; the secrets only in that file, readable by root only)"
  kubeadm join --config "$config"
  rm -f "$config"
}
