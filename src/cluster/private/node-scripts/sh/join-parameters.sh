# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- join parameters ------------------------------------------------------

# The join secrets (bootstrap token, certificate key) never appear on a command
# line, where every user of the machine can read them (ps): they come from the
# environment or from a file readable by root only (or standard input), and
# reach kubeadm in a JoinConfiguration file readable by root only.

# join_parameters_valid ENDPOINT TOKEN HASH: whether all three have the shapes
# kubeadm expects.
join_parameters_valid() {
  [[ $1 =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ && $2 =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ && $3 =~ ^sha256:[a-f0-9]{64}$ ]]
}

# validate_join_parameters ENDPOINT TOKEN HASH: like join_parameters_valid, but
# fails with a message naming the bad parameter. The token never appears in a
# message.
validate_join_parameters() {
  [[ $1 =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] \
    || die "invalid control-plane endpoint '$1': expected HOST:PORT, e.g. 192.168.56.10:6443"
  [[ $2 =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] \
    || die "invalid bootstrap token: expected 6 and 16 lowercase letters or digits joined by a dot, as 'kubeadm token create' prints"
  [[ $3 =~ ^sha256:[a-f0-9]{64}$ ]] \
    || die "invalid CA certificate hash '$3': expected 'sha256:' and 64 lowercase hex digits"
}
