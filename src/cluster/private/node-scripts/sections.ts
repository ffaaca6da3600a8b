// Bash sections of the node scripts rendered by KubeadmClusterPrereqs.
//
// These are static: every synth-time value reaches them through the settings
// block that render.ts puts in front (shell variables such as
// KUBERNETES_VERSION), never by interpolation into this text. Each section is
// formatted as `shfmt -i 2 -ci -bn` formats it; keep it that way (the tests
// run shellcheck and shfmt on every rendered script).

/** Logging, dry-run aware command and file helpers shared by every script. */
export const LIBRARY = `# ---- library --------------------------------------------------------------

# Root of the file system this script reads and changes. Empty on a real
# machine; the test sandbox points it at a temporary directory so that every
# file path below ("$ROOT/etc/...") lands there instead of in /.
ROOT="\${CDK8S_SPARK_ROOT:-}"
DRY_RUN=false
CHANGES=0
WORK_DIR=''
CURRENT_STEP='start'
DIED=false

log() {
  printf '%s: %s\\n' "$SCRIPT_NAME" "$*" >&2
}

step() {
  CURRENT_STEP=$*
  log "step: $*"
}

die() {
  DIED=true
  log "error: $*"
  exit 1
}

have() {
  command -v "$1" >/dev/null 2>&1
}

# run COMMAND...: a command that changes the machine. A dry run prints it instead.
run() {
  CHANGES=$((CHANGES + 1))
  if [[ $DRY_RUN == true ]]; then
    log "dry-run: would run: $*"
    return 0
  fi
  log "run: $*"
  "$@"
}

# run_redacted DESCRIPTION COMMAND...: like run, but logs DESCRIPTION instead of
# the command line, for commands that carry a secret.
run_redacted() {
  local description=$1
  shift
  CHANGES=$((CHANGES + 1))
  if [[ $DRY_RUN == true ]]; then
    log "dry-run: would run: $description"
    return 0
  fi
  log "run: $description"
  "$@"
}

# write_file PATH MODE: writes standard input to $ROOT/PATH with MODE, unless
# the file already has that content and mode. Returns 0 when the file changed
# (or would change, in a dry run) and 1 when it was already up to date, so
# callers can restart a service only when its configuration changed.
write_file() {
  local path=$ROOT$1 mode=$2 new
  new=$(mktemp "$WORK_DIR/new.XXXXXX")
  cat >"$new"
  if [[ -f $path ]] && cmp -s "$new" "$path" && [[ $(stat -c '%a' "$path") == "\${mode#0}" ]]; then
    return 1
  fi
  CHANGES=$((CHANGES + 1))
  if [[ $DRY_RUN == true ]]; then
    log "dry-run: would write $1 (mode $mode)"
    if [[ \${mode: -2} == 00 ]]; then
      # A file for root only (kubeconfig, join command) may hold a secret: no diff.
      log "dry-run: contents of $1 not shown (readable by root only)"
    elif [[ -f $path ]]; then
      diff -u "$path" "$new" >&2 || true
    else
      sed 's/^/+/' "$new" >&2
    fi
    return 0
  fi
  mkdir -p "\${path%/*}"
  # The mode is set before any byte is written: a new file is created empty
  # and readable by root only, an existing one gets its mode first. Rewriting
  # in place keeps the inode, owner and SELinux label of existing files.
  if [[ ! -e $path ]]; then
    (umask 077 && : >"$path")
  fi
  chmod "$mode" "$path"
  cat "$new" >"$path"
  log "wrote $1"
}

# new_secret_file PATH: creates PATH (a real path, not below ROOT) empty and
# readable by root only, so that a secret written to it is never readable by
# others, not even for a moment.
new_secret_file() {
  (umask 077 && : >"$1")
  chmod 0600 "$1"
}

require_root() {
  if [[ $(id -u) != 0 ]]; then
    if [[ $DRY_RUN == true ]]; then
      log "warning: not running as root; a real run needs root"
    else
      die "must run as root (try: sudo $0)"
    fi
  fi
}

start_work_dir() {
  # mktemp -d creates the directory readable by its owner only.
  WORK_DIR=$(mktemp -d)
  trap on_exit EXIT
  mkdir -m 700 "$WORK_DIR/gnupg"
}

# Repository files (signing keys, apt sources, yum repositories) this run added
# or changed, and copies of the changed ones: a failure before the packages
# from them are installed puts them back as they were.
REPO_FILES_ADDED=()
REPO_FILES_CHANGED=()

# track_repository_file PATH: remembers PATH's state before this run changes it.
track_repository_file() {
  [[ $DRY_RUN == false ]] || return 0
  local f
  for f in "\${REPO_FILES_ADDED[@]}" "\${REPO_FILES_CHANGED[@]}"; do
    [[ $f != "$1" ]] || return 0
  done
  if [[ -e $ROOT$1 ]]; then
    cat "$ROOT$1" >"$WORK_DIR/backup.\${#REPO_FILES_CHANGED[@]}"
    REPO_FILES_CHANGED+=("$1")
  else
    REPO_FILES_ADDED+=("$1")
  fi
}

# keep_repository_files: the packages are installed; the repository files stay.
keep_repository_files() {
  REPO_FILES_ADDED=()
  REPO_FILES_CHANGED=()
}

rollback_repository_files() {
  local i
  for i in "\${!REPO_FILES_ADDED[@]}"; do
    rm -f "$ROOT\${REPO_FILES_ADDED[i]}"
    log "rolled back: removed \${REPO_FILES_ADDED[i]}, which this run had added"
  done
  for i in "\${!REPO_FILES_CHANGED[@]}"; do
    cat "$WORK_DIR/backup.$i" >"$ROOT\${REPO_FILES_CHANGED[i]}"
    log "rolled back: restored \${REPO_FILES_CHANGED[i]} as it was before this run"
  done
  keep_repository_files
}

# on_exit: on failure, rolls back repository files and says which step failed;
# always removes the work directory (and any secret in it).
on_exit() {
  local status=$?
  if ((status != 0)); then
    rollback_repository_files
    if [[ $DIED == false ]]; then
      log "error: step '$CURRENT_STEP' failed (exit status $status); its output is above"
    fi
    if ((CHANGES == 0)) || [[ $DRY_RUN == true ]]; then
      log "nothing was changed"
    else
      log "the changes of the steps before '$CURRENT_STEP' are kept; run the script again once the cause is fixed"
    fi
  fi
  if [[ -n $WORK_DIR ]]; then
    rm -rf "$WORK_DIR"
  fi
  return "$status"
}

finish() {
  if ((CHANGES == 0)); then
    log "done: nothing to change"
  elif [[ $DRY_RUN == true ]]; then
    log "done (dry run): $CHANGES change(s) planned, none made"
  else
    log "done: $CHANGES change(s)"
  fi
}
`;

/** Preflight checks and the node preparation steps. */
export const PREPARE = `# ---- node preparation -----------------------------------------------------

ROLE=''
NODE_NAME=''
NODE_IP=''
NODE_ROLE=''
OS_ID=''
OS_NAME=''
OS_FAMILY=''
RPM_TOOL=''
APT_INDEX_FRESH=false
# Appended to the message when pkg_install fails.
PKG_INSTALL_HINT=''

# os_release KEY: the unquoted value of KEY in /etc/os-release.
os_release() {
  local line
  line=$(grep -E "^$1=" "$ROOT/etc/os-release" || true)
  line=\${line##*$'\\n'}
  line=\${line#*=}
  line=\${line#[\\"\\']}
  line=\${line%[\\"\\']}
  printf '%s' "$line"
}

detect_os() {
  [[ -r $ROOT/etc/os-release ]] || die "cannot read /etc/os-release to detect the operating system"
  OS_ID=$(os_release ID)
  OS_NAME=$(os_release PRETTY_NAME)
  local like
  like=" $OS_ID $(os_release ID_LIKE) "
  case $like in
    *" debian "* | *" ubuntu "*)
      OS_FAMILY=debian
      export DEBIAN_FRONTEND=noninteractive
      ;;
    *" rhel "* | *" fedora "* | *" centos "*)
      OS_FAMILY=rhel
      if have dnf; then
        RPM_TOOL=dnf
      else
        RPM_TOOL=yum
      fi
      ;;
    *) die "unsupported operating system '\${OS_NAME:-$OS_ID}': supported are Debian and Ubuntu (apt) and the RHEL family: RHEL, CentOS Stream, Rocky, AlmaLinux, Fedora (dnf/yum)" ;;
  esac
}

local_ipv4_addresses() {
  ip -o -4 addr show | awk '{ sub(/\\/.*/, "", $4); print $4 }'
}

# Works out which declared node this machine is: the --node-name argument, or
# the declared node whose address this machine has.
identify_node() {
  local i addresses
  addresses=$(local_ipv4_addresses)
  if ((\${#NODE_NAMES[@]} == 0)); then
    [[ -z $NODE_NAME ]] || die "--node-name $NODE_NAME given, but no nodes are declared in the ClusterNetwork"
    return 0
  fi
  for i in "\${!NODE_NAMES[@]}"; do
    if [[ -n $NODE_NAME ]]; then
      if [[ \${NODE_NAMES[i]} == "$NODE_NAME" ]]; then
        NODE_IP=\${NODE_IPS[i]}
        NODE_ROLE=\${NODE_ROLES[i]}
      fi
    elif grep -qxF "\${NODE_IPS[i]}" <<<"$addresses"; then
      NODE_NAME=\${NODE_NAMES[i]}
      NODE_IP=\${NODE_IPS[i]}
      NODE_ROLE=\${NODE_ROLES[i]}
    fi
  done
  if [[ -z $NODE_NAME ]]; then
    die "this machine has none of the declared node addresses (\${NODE_IPS[*]}); pass --node-name NAME"
  fi
  [[ -n $NODE_IP ]] || die "--node-name $NODE_NAME is not a declared node (declared: \${NODE_NAMES[*]})"
  grep -qxF "$NODE_IP" <<<"$addresses" \\
    || die "node $NODE_NAME is declared with address $NODE_IP, which this machine does not have"
  if [[ -z $ROLE ]]; then
    ROLE=$NODE_ROLE
  elif [[ $ROLE != "$NODE_ROLE" ]]; then
    die "node $NODE_NAME is declared as a $NODE_ROLE node; $SCRIPT_NAME prepares $ROLE nodes"
  fi
  log "this machine is node $NODE_NAME ($NODE_IP, $NODE_ROLE)"
}

check_resources() {
  local cpus memory_kib memory_mib min_cpus min_memory_mib
  if [[ $ROLE == control-plane ]]; then
    min_cpus=$CONTROL_PLANE_MIN_CPUS
    min_memory_mib=$CONTROL_PLANE_MIN_MEMORY_MIB
  else
    min_cpus=$WORKER_MIN_CPUS
    min_memory_mib=$WORKER_MIN_MEMORY_MIB
  fi
  cpus=$(nproc)
  memory_kib=$(awk '$1 == "MemTotal:" { print $2 }' "$ROOT/proc/meminfo")
  memory_mib=$((\${memory_kib:-0} / 1024))
  log "resources: $cpus CPU(s), $memory_mib MiB memory (a $ROLE node needs $min_cpus and $min_memory_mib MiB)"
  ((cpus >= min_cpus)) || die "$cpus CPU(s) found; a $ROLE node needs at least $min_cpus"
  ((memory_mib >= min_memory_mib)) || die "$memory_mib MiB memory found; a $ROLE node needs at least $min_memory_mib MiB"
}

# Every node needs its own host name, MAC addresses and product_uuid. Only the
# host name can be checked against the declared nodes from here; the others
# are logged so that they can be compared across machines.
check_identity() {
  local hostname i uuid macs
  hostname=$(hostname)
  for i in "\${!NODE_NAMES[@]}"; do
    if [[ \${NODE_NAMES[i]} == "$hostname" && \${NODE_NAMES[i]} != "$NODE_NAME" ]]; then
      die "host name $hostname belongs to declared node \${NODE_NAMES[i]} (\${NODE_IPS[i]}), not to this machine; was it cloned?"
    fi
  done
  if [[ -z $NODE_NAME && $hostname == localhost* ]]; then
    die "host name '$hostname' is not unique; give this machine its own host name first"
  fi
  uuid=unreadable
  if [[ -r $ROOT/sys/class/dmi/id/product_uuid ]]; then
    uuid=$(<"$ROOT/sys/class/dmi/id/product_uuid")
  fi
  macs=$(cat "$ROOT"/sys/class/net/*/address 2>/dev/null | grep -vx '00:00:00:00:00:00' | sort -u | tr '\\n' ' ' || true)
  macs=\${macs% }
  log "identity (must differ on every node): host name $hostname, product_uuid $uuid, MAC addresses \${macs:-none}"
}

check_ports_free() {
  local ports=() port listening
  if [[ $ROLE == control-plane && ! -f $ROOT/etc/kubernetes/admin.conf ]]; then
    ports=(6443 2379 2380 10250 10257 10259)
  elif [[ $ROLE == worker && ! -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    ports=(10250)
  fi
  ((\${#ports[@]} > 0)) || return 0
  listening=$(ss -Htln | awk '{ n = split($4, parts, ":"); print parts[n] }')
  for port in "\${ports[@]}"; do
    if grep -qxF "$port" <<<"$listening"; then
      die "TCP port $port is already in use; Kubernetes needs it (see: ss -tlnp; after a failed kubeadm init or join, run kubeadm reset)"
    fi
  done
  log "ports free: \${ports[*]}"
}

# Every command the scripts run before they install anything, with the package
# that provides it on Debian/Ubuntu and on the RHEL family. curl, gpg,
# containerd and kubeadm are not listed: the scripts install them.
readonly -a REQUIRED_COMMANDS=(
  'awk mawk gawk' 'sed sed sed' 'grep grep grep' 'cmp diffutils diffutils' 'diff diffutils diffutils'
  'cat coreutils coreutils' 'chmod coreutils coreutils' 'date coreutils coreutils' 'cut coreutils coreutils' 'head coreutils coreutils'
  'id coreutils coreutils' 'mkdir coreutils coreutils' 'mktemp coreutils coreutils' 'nproc coreutils coreutils'
  'rm coreutils coreutils' 'rmdir coreutils coreutils' 'sort coreutils coreutils' 'tail coreutils coreutils' 'stat coreutils coreutils' 'tr coreutils coreutils'
  'wc coreutils coreutils' 'chown coreutils coreutils' 'hostname hostname hostname' 'getent libc-bin glibc-common'
  'ip iproute2 iproute' 'ss iproute2 iproute' 'systemctl systemd systemd' 'hostnamectl systemd systemd'
  'modprobe kmod kmod' 'sysctl procps procps-ng' 'swapoff mount util-linux'
)
readonly -a REQUIRED_DEBIAN_COMMANDS=('dpkg dpkg' 'dpkg-query dpkg' 'apt-get apt' 'apt-cache apt' 'apt-mark apt')
readonly -a REQUIRED_RHEL_COMMANDS=('rpm rpm')

# check_commands: fails, before anything is changed, naming every missing
# command and the package to install for it.
check_commands() {
  local entry words missing=() packages=() pkg
  local -a entries=("\${REQUIRED_COMMANDS[@]}")
  if [[ $OS_FAMILY == debian ]]; then
    for entry in "\${REQUIRED_DEBIAN_COMMANDS[@]}"; do
      entries+=("$entry \${entry##* }")
    done
  else
    for entry in "\${REQUIRED_RHEL_COMMANDS[@]}"; do
      entries+=("\${entry%% *} \${entry##* } \${entry##* }")
    done
    have dnf || have yum || missing+=('dnf (package dnf)')
  fi
  for entry in "\${entries[@]}"; do
    read -r -a words <<<"$entry"
    have "\${words[0]}" && continue
    if [[ $OS_FAMILY == debian ]]; then
      pkg=\${words[1]}
    else
      pkg=\${words[2]}
    fi
    missing+=("\${words[0]} (package $pkg)")
    if [[ " \${packages[*]} " != *" $pkg "* ]]; then
      packages+=("$pkg")
    fi
  done
  if ((\${#missing[@]} > 0)); then
    local installer="apt-get install \${packages[*]}"
    if [[ $OS_FAMILY == rhel ]]; then
      installer="dnf install \${packages[*]}"
    fi
    die "missing commands: \${missing[*]}; install them (e.g. $installer) and run again; nothing was changed"
  fi
}

preflight() {
  step "preflight checks"
  require_root
  detect_os
  log "operating system: \${OS_NAME:-$OS_ID} ($OS_FAMILY family)"
  check_commands
  identify_node
  [[ -n $ROLE ]] || die "cannot tell whether this is a control-plane or a worker node; pass --role"
  check_resources
  check_identity
  check_ports_free
}

configure_hostname() {
  step "host name and /etc/hosts"
  if [[ -n $NODE_NAME && $(hostname) != "$NODE_NAME" ]]; then
    run hostnamectl set-hostname "$NODE_NAME"
  fi
  ((\${#NODE_NAMES[@]} > 0)) || return 0
  local begin='# BEGIN cdk8s-spark cluster nodes' end='# END cdk8s-spark cluster nodes' content i
  content=$(
    if [[ -f $ROOT/etc/hosts ]]; then
      awk -v begin="$begin" -v end="$end" '$0 == begin { skip = 1 } !skip { print } $0 == end { skip = 0 }' "$ROOT/etc/hosts"
    fi
    echo "$begin"
    for i in "\${!NODE_NAMES[@]}"; do
      echo "\${NODE_IPS[i]} \${NODE_NAMES[i]}"
    done
    echo "$end"
  )
  write_file /etc/hosts 0644 <<<"$content" || true
}

disable_swap() {
  step "swap off, now and after reboots"
  if [[ -f $ROOT/proc/swaps ]] && (($(wc -l <"$ROOT/proc/swaps") > 1)); then
    run swapoff -a
  fi
  local content unit
  if [[ -f $ROOT/etc/fstab ]]; then
    content=$(awk '$1 !~ /^#/ && $3 == "swap" { print "#" $0; next } { print }' "$ROOT/etc/fstab")
    if write_file /etc/fstab 0644 <<<"$content"; then
      run systemctl daemon-reload
    fi
  fi
  # Swap that does not come from fstab (zram, GPT auto-discovery) has units too.
  for unit in $(systemctl list-units --type=swap --all --plain --no-legend | awk '{ print $1 }'); do
    if [[ $(systemctl is-enabled "$unit" 2>/dev/null || true) != masked ]]; then
      run systemctl mask "$unit"
    fi
  done
}

load_kernel_modules() {
  step "kernel modules overlay and br_netfilter"
  write_file /etc/modules-load.d/kubernetes.conf 0644 <<'CONF' || true
overlay
br_netfilter
CONF
  local module
  for module in overlay br_netfilter; do
    if [[ ! -d $ROOT/sys/module/$module ]]; then
      run modprobe "$module"
    fi
  done
}

configure_sysctl() {
  step "sysctl: bridged traffic through iptables, IPv4 forwarding"
  local apply=false key
  if write_file /etc/sysctl.d/99-kubernetes.conf 0644 <<'CONF'; then
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
CONF
    apply=true
  fi
  for key in net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward; do
    if [[ $(sysctl -n "$key" 2>/dev/null || true) != 1 ]]; then
      apply=true
    fi
  done
  if [[ $apply == true ]]; then
    run sysctl --system
  fi
}

configure_selinux() {
  [[ $OS_FAMILY == rhel ]] || return 0
  step "SELinux permissive (kubeadm does not support enforcing mode)"
  if have getenforce && [[ $(getenforce) == Enforcing ]]; then
    run setenforce 0
  fi
  local content
  if [[ -f $ROOT/etc/selinux/config ]]; then
    content=$(sed 's/^SELINUX=enforcing$/SELINUX=permissive/' "$ROOT/etc/selinux/config")
    write_file /etc/selinux/config 0644 <<<"$content" || true
  fi
}

ufw_active() {
  have ufw && [[ $(ufw status 2>/dev/null || true) == *"Status: active"* ]]
}

open_ports_firewalld() {
  local port cidr reload=false
  for port in "$@"; do
    if ! firewall-cmd --permanent --query-port="$port" >/dev/null 2>&1; then
      run firewall-cmd --permanent --add-port="$port"
      reload=true
    fi
  done
  for cidr in "\${TRUSTED_CIDRS[@]}"; do
    if ! firewall-cmd --permanent --zone=trusted --query-source="$cidr" >/dev/null 2>&1; then
      run firewall-cmd --permanent --zone=trusted --add-source="$cidr"
      reload=true
    fi
  done
  if [[ $reload == true ]]; then
    run firewall-cmd --reload
  fi
}

open_ports_ufw() {
  local added port cidr
  added=$(ufw show added 2>/dev/null || true)
  for port in "$@"; do
    # ufw writes port ranges with a colon.
    port=\${port/-/:}
    if ! grep -qxF "ufw allow $port" <<<"$added"; then
      run ufw allow "$port"
    fi
  done
  for cidr in "\${TRUSTED_CIDRS[@]}"; do
    if ! grep -qxF "ufw allow from $cidr" <<<"$added"; then
      run ufw allow from "$cidr"
    fi
    if ! grep -qxF "ufw route allow from $cidr" <<<"$added"; then
      run ufw route allow from "$cidr"
    fi
  done
}

configure_firewall() {
  step "firewall ($FIREWALL_MODE)"
  local ports=("\${NODE_PORTS[@]}")
  if [[ $ROLE == control-plane ]]; then
    ports+=("\${CONTROL_PLANE_PORTS[@]}")
  fi
  case $FIREWALL_MODE in
    unmanaged)
      log "firewall left as it is; open these ports yourself: \${ports[*]}"
      ;;
    disable)
      if systemctl is-enabled --quiet firewalld 2>/dev/null || systemctl is-active --quiet firewalld; then
        run systemctl disable --now firewalld
      fi
      if ufw_active; then
        run ufw disable
      fi
      ;;
    open-ports)
      if systemctl is-active --quiet firewalld; then
        open_ports_firewalld "\${ports[@]}"
      elif ufw_active; then
        open_ports_ufw "\${ports[@]}"
      else
        log "no active firewall (firewalld or ufw); nothing to open"
      fi
      ;;
    *) die "unknown firewall mode $FIREWALL_MODE" ;;
  esac
}

# pkg_installed PACKAGE: whether PACKAGE is installed and configured.
pkg_installed() {
  if [[ $OS_FAMILY == debian ]]; then
    # dpkg's status is "WANT FLAG STATUS" (dpkg-query(1)): WANT is unknown,
    # install, hold, deinstall or purge; FLAG ok or reinstreq; STATUS one of
    # not-installed, config-files, half-installed, unpacked, half-configured,
    # triggers-awaiting, triggers-pending, installed. The package is usable
    # when it is configured (installed, or configured with triggers still to
    # run) and not broken, whatever is wanted: after 'apt-mark hold' it reads
    # "hold ok installed". dpkg-query fails for a package it never knew.
    local status
    # shellcheck disable=SC2016 # \${Status} is a dpkg-query field, not a shell variable
    status=$(dpkg-query -W -f='\${Status}' "$1" 2>/dev/null || true)
    [[ $status =~ ^(unknown|install|hold|deinstall|purge)\\ ok\\ (installed|triggers-pending|triggers-awaiting)$ ]]
  else
    rpm -q "$1" >/dev/null 2>&1
  fi
}

# installed_version PACKAGE: the upstream version (without the package
# revision) of an installed package, or nothing.
installed_version() {
  pkg_installed "$1" || return 0
  local version
  if [[ $OS_FAMILY == debian ]]; then
    # shellcheck disable=SC2016 # \${Version} is a dpkg-query field
    version=$(dpkg-query -W -f='\${Version}' "$1")
    version=\${version#*:}
  else
    version=$(rpm -q --qf '%{VERSION}' "$1")
  fi
  printf '%s' "\${version%%-*}"
}

apt_update() {
  if [[ $APT_INDEX_FRESH == false ]]; then
    # Without Error-Mode=any, apt-get update exits 0 when a source cannot be fetched.
    run apt-get update -o APT::Update::Error-Mode=any || die "apt-get update failed (exit status $?; its messages are above): a package repository is unreachable or broken"
    APT_INDEX_FRESH=true
  fi
}

pkg_install() {
  local missing=() pkg
  for pkg in "$@"; do
    pkg_installed "$pkg" || missing+=("$pkg")
  done
  ((\${#missing[@]} > 0)) || return 0
  if [[ $OS_FAMILY == debian ]]; then
    apt_update
    run apt-get install -y "\${missing[@]}" || die "apt-get install \${missing[*]} failed (exit status $?; its messages are above)$PKG_INSTALL_HINT"
  else
    run "$RPM_TOOL" install -y "\${missing[@]}" || die "$RPM_TOOL install \${missing[*]} failed (exit status $?; its messages are above)$PKG_INSTALL_HINT"
  fi
}

key_fingerprint() {
  { GNUPGHOME=$WORK_DIR/gnupg gpg --batch --show-keys --with-colons "$1" 2>/dev/null || true; } \\
    | awk -F: '$1 == "fpr" && !done { print $10; done = 1 }'
}

# install_signing_key URL FINGERPRINT PATH: downloads an OpenPGP key and
# installs it at PATH only when its fingerprint is FINGERPRINT. Returns 0 when
# PATH changed, 1 when it already held that key.
install_signing_key() {
  local url=$1 fingerprint=$2 path=$3 key actual proto='=https'
  if [[ -f $ROOT$path && $(key_fingerprint "$ROOT$path") == "$fingerprint" ]]; then
    return 1
  fi
  if [[ $DRY_RUN == true ]]; then
    CHANGES=$((CHANGES + 1))
    log "dry-run: would download $url, check that its fingerprint is $fingerprint and install it as $path"
    return 0
  fi
  if [[ $url == http://* ]]; then
    proto='=http,https'
  fi
  key=$WORK_DIR/key.asc
  log "downloading signing key $url"
  # Checked explicitly: this function runs inside 'if', where set -e does not apply.
  local status=0
  curl -fsSL --proto "$proto" --retry 3 -o "$key" "$url" || status=$?
  ((status == 0)) || die "cannot download the signing key $url (curl exit status $status; its message is above); $path was left as it was"
  actual=$(key_fingerprint "$key")
  [[ $actual == "$fingerprint" ]] \\
    || die "the key at $url has fingerprint \${actual:-(none: not an OpenPGP key)}, expected $fingerprint; refusing to trust it; $path was left as it was"
  track_repository_file "$path"
  write_file "$path" 0644 <"$key"
}

# write_repository_file PATH: write_file PATH 0644, rolled back when the run fails
# before the packages from the repository are installed.
write_repository_file() {
  local content
  content=$(cat)
  if [[ -f $ROOT$1 && $(<"$ROOT$1") == "$content" && $(stat -c '%a' "$ROOT$1") == 644 ]]; then
    return 1
  fi
  track_repository_file "$1"
  write_file "$1" 0644 <<<"$content"
}

configure_kubernetes_repository() {
  step "Kubernetes $KUBERNETES_MINOR package repository"
  if [[ $OS_FAMILY == debian ]]; then
    local changed=false
    if install_signing_key "$K8S_DEB_KEY_URL" "$K8S_KEY_FINGERPRINT" /etc/apt/keyrings/kubernetes-apt-keyring.asc; then
      changed=true
    fi
    if write_repository_file /etc/apt/sources.list.d/kubernetes.list <<LIST; then
deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.asc] $K8S_DEB_URL /
LIST
      changed=true
    fi
    if [[ $changed == true ]]; then
      APT_INDEX_FRESH=false
    fi
  else
    install_signing_key "$K8S_RPM_KEY_URL" "$K8S_KEY_FINGERPRINT" /etc/pki/rpm-gpg/kubernetes.asc || true
    # exclude= holds the packages: only an explicit --disableexcludes=kubernetes changes them.
    write_repository_file /etc/yum.repos.d/kubernetes.repo <<REPO || true
[kubernetes]
name=Kubernetes $KUBERNETES_MINOR
baseurl=$K8S_RPM_URL
enabled=1
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/kubernetes.asc
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
REPO
  fi
}

configure_docker_repository() {
  [[ $CONTAINERD_SOURCE == docker ]] || return 0
  step "Docker package repository (for containerd.io)"
  local distro
  if [[ $OS_FAMILY == debian ]]; then
    local codename arch changed=false
    distro=debian
    codename=$(os_release VERSION_CODENAME)
    if [[ " $OS_ID $(os_release ID_LIKE) " == *" ubuntu "* ]]; then
      distro=ubuntu
      codename=$(os_release UBUNTU_CODENAME)
      codename=\${codename:-$(os_release VERSION_CODENAME)}
    fi
    [[ -n $codename ]] || die "cannot find the release code name (VERSION_CODENAME) in /etc/os-release"
    arch=$(dpkg --print-architecture)
    if install_signing_key "$DOCKER_BASE_URL/$distro/gpg" "$DOCKER_DEB_KEY_FINGERPRINT" /etc/apt/keyrings/docker.asc; then
      changed=true
    fi
    if write_repository_file /etc/apt/sources.list.d/docker.list <<LIST; then
deb [arch=$arch signed-by=/etc/apt/keyrings/docker.asc] $DOCKER_BASE_URL/$distro $codename stable
LIST
      changed=true
    fi
    if [[ $changed == true ]]; then
      APT_INDEX_FRESH=false
    fi
  else
    case $OS_ID in
      fedora | rhel) distro=$OS_ID ;;
      *) distro=centos ;;
    esac
    install_signing_key "$DOCKER_BASE_URL/$distro/gpg" "$DOCKER_RPM_KEY_FINGERPRINT" /etc/pki/rpm-gpg/docker.asc || true
    write_repository_file /etc/yum.repos.d/docker-ce.repo <<REPO || true
[docker-ce-stable]
name=Docker CE Stable
baseurl=$DOCKER_BASE_URL/$distro/\\$releasever/\\$basearch/stable
enabled=1
gpgcheck=1
gpgkey=file:///etc/pki/rpm-gpg/docker.asc
REPO
  fi
}

install_base_packages() {
  step "base packages and time synchronization (chrony)"
  local unit=chronyd
  if [[ $OS_FAMILY == debian ]]; then
    unit=chrony
    pkg_install ca-certificates curl gpg chrony
  else
    pkg_install ca-certificates curl gnupg2 chrony
  fi
  if ! systemctl is-enabled --quiet "$unit" || ! systemctl is-active --quiet "$unit"; then
    run systemctl enable --now "$unit"
  fi
}

# upstream_version VERSION: a package or program version without epoch,
# package revision and distribution suffix, e.g. 1.6.20 for 1.6.20~ds1-1+deb12u1.
upstream_version() {
  local v=\${1#*:}
  v=\${v#v}
  v=\${v%%[-~+]*}
  printf '%s' "$v"
}

# version_at_least A B: whether version A (MAJOR.MINOR.PATCH) is B or newer.
version_at_least() {
  local -a a b
  local i
  IFS=. read -r -a a <<<"$1"
  IFS=. read -r -a b <<<"$2"
  for i in 0 1 2; do
    if ((10#\${a[i]:-0} != 10#\${b[i]:-0})); then
      ((10#\${a[i]:-0} > 10#\${b[i]:-0}))
      return
    fi
  done
  return 0
}

# containerd_supported VERSION: whether containerd VERSION is at least the
# release containerd recommends for this Kubernetes minor on its branch
# (CONTAINERD_MINIMUMS holds one per branch), or from a branch newer than all
# of them. Older releases, and branches no longer listed, are not supported.
containerd_supported() {
  local version=$1 minimum newest=0.0
  [[ $version =~ ^[0-9]+\\.[0-9]+\\.[0-9]+$ ]] || return 1
  for minimum in "\${CONTAINERD_MINIMUMS[@]}"; do
    if [[ \${version%.*} == "\${minimum%.*}" ]]; then
      version_at_least "$version" "$minimum"
      return
    fi
    if version_at_least "\${minimum%.*}" "$newest"; then
      newest=\${minimum%.*}
    fi
  done
  ! version_at_least "$newest.999999" "\${version%.*}.0"
}

# check_containerd_version VERSION WHAT: refuses a containerd release older
# than containerd supports for KUBERNETES_MINOR, naming the way out.
check_containerd_version() {
  local version
  version=$(upstream_version "$1")
  if containerd_supported "$version"; then
    log "containerd $version ($2) is supported for Kubernetes $KUBERNETES_MINOR"
    return 0
  fi
  die "containerd $version ($2) is too old for Kubernetes $KUBERNETES_MINOR: containerd's RELEASES.md recommends \${CONTAINERD_MINIMUMS[*]/%/+} for it. Install containerd.io from Docker's repository (ContainerdSource.dockerRepository(), the default) or a newer backport (then ContainerdSource.preinstalled()), and run again; containerd was left as it was"
}

# containerd_candidate PACKAGE: the version apt would install, or nothing.
containerd_candidate() {
  apt-cache policy "$1" | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

install_containerd() {
  step "containerd ($CONTAINERD_SOURCE)"
  local pkg=containerd.io origin="Docker's repository" candidate
  case $CONTAINERD_SOURCE in
    docker | os)
      if [[ $CONTAINERD_SOURCE == os ]]; then
        pkg=containerd
        origin='the distribution'
        PKG_INSTALL_HINT="; RHEL, Rocky and AlmaLinux do not ship containerd: use ContainerdSource.dockerRepository() or install containerd first and use ContainerdSource.preinstalled()"
      fi
      local fresh=false
      pkg_installed "$pkg" || fresh=true
      # Refused before it is installed, where apt can tell the version.
      if [[ $OS_FAMILY == debian && $fresh == true ]]; then
        apt_update
        candidate=$(containerd_candidate "$pkg")
        if [[ -n $candidate ]]; then
          check_containerd_version "$candidate" "package $pkg from $origin"
        fi
      fi
      pkg_install "$pkg"
      PKG_INSTALL_HINT=''
      # Installing read every configured repository's index (apt-get update with
      # Error-Mode=any, or dnf, which fails on an unreachable repository), so
      # the repository files stand. An installed containerd read nothing: a
      # later failure still rolls back the files this run added.
      if [[ $fresh == true ]]; then
        keep_repository_files
      fi
      ;;
    preinstalled)
      have containerd || [[ $DRY_RUN == true ]] \\
        || die "containerd is not installed; ContainerdSource.preinstalled() expects it on the PATH"
      ;;
    *) die "unknown containerd source $CONTAINERD_SOURCE" ;;
  esac
  if have containerd; then
    check_containerd_version "$(containerd_version)" installed
  fi
}

# containerd_version: the version 'containerd --version' reports, e.g. v1.7.24.
containerd_version() {
  containerd --version | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^v?[0-9]+\\.[0-9]+/ && !done) { print $i; done = 1 } }'
}

# deb_version PACKAGE: the repository's full version of PACKAGE at
# KUBERNETES_VERSION, e.g. 1.33.1-1.1.
deb_version() {
  apt-cache madison "$1" | awk -v want="$KUBERNETES_VERSION-" 'index($3, want) == 1 && !done { print $3; done = 1 }'
}

# Version pinning: a package counts as installed at KUBERNETES_VERSION when its
# upstream version is KUBERNETES_VERSION, whatever the package revision after
# the dash (1.33.1-1.1, or a rebuild such as 1.33.1-2.1). A missing package is
# installed at the newest build of KUBERNETES_VERSION the repository offers;
# an installed one is never replaced, so a rebuild published later does not
# touch a node (and a re-run does not run apt-get at all). The packages are
# held, so that only 'kubeadm upgrade' procedures change them.
install_kubernetes_packages() {
  step "kubelet, kubeadm and kubectl $KUBERNETES_VERSION"
  local pkg installed missing=() specs=() version
  for pkg in kubelet kubeadm kubectl; do
    installed=$(installed_version "$pkg")
    if [[ -z $installed ]]; then
      missing+=("$pkg")
    elif [[ $installed != "$KUBERNETES_VERSION" ]]; then
      die "$pkg $installed is installed, but this script pins $KUBERNETES_VERSION; upgrade a cluster with 'kubeadm upgrade', not with this script"
    fi
  done
  if ((\${#missing[@]} > 0)); then
    if [[ $OS_FAMILY == debian ]]; then
      apt_update
      for pkg in "\${missing[@]}"; do
        version=$(deb_version "$pkg")
        if [[ -z $version ]]; then
          [[ $DRY_RUN == true ]] || die "$pkg $KUBERNETES_VERSION is not in the repository $K8S_DEB_URL"
          version="$KUBERNETES_VERSION-*"
        fi
        specs+=("$pkg=$version")
      done
      run apt-get install -y "\${specs[@]}" || die "apt-get install \${specs[*]} failed (exit status $?; its messages are above)"
    else
      run "$RPM_TOOL" install -y --disableexcludes=kubernetes "\${missing[@]/%/-$KUBERNETES_VERSION}" \\
        || die "$RPM_TOOL install \${missing[*]} $KUBERNETES_VERSION failed (exit status $?; its messages are above)"
    fi
  fi
  # The packages came from the repositories this run configured: keep them.
  keep_repository_files
  if [[ $OS_FAMILY == debian ]]; then
    local held
    held=$(apt-mark showhold)
    for pkg in kubelet kubeadm kubectl; do
      if ! grep -qxF "$pkg" <<<"$held"; then
        run apt-mark hold "$pkg"
      fi
    done
  fi
}

containerd_layout() {
  if [[ $CONTAINERD_LAYOUT != detect ]]; then
    printf '%s' "$CONTAINERD_LAYOUT"
    return 0
  fi
  local version
  version=$(containerd_version)
  version=\${version#v}
  case $version in
    1.*) printf 1 ;;
    2.*) printf 2 ;;
    *) die "cannot tell the containerd version from '$(containerd --version)'; set KubeadmClusterPrereqs' containerdVersion" ;;
  esac
}

# pause_image: the sandbox image kubeadm expects for KUBERNETES_VERSION, from
# IMAGE_REPOSITORY.
pause_image() {
  kubeadm config images list --kubernetes-version "v$KUBERNETES_VERSION" --image-repository "$IMAGE_REPOSITORY" \\
    | awk '/\\/pause:/ && !done { print; done = 1 }'
}

# toml_set TABLE KEY VALUE: sets KEY = VALUE in [TABLE] of the TOML document on
# standard input, adding the key (or the table) when it is missing. Table
# names match whichever quotes they are written with.
toml_set() {
  awk -v table="$1" -v key="$2" -v value="$3" -v sq="'" '
    function name(line) {
      sub(/^[ \\t]*\\[+[ \\t]*/, "", line)
      sub(/[ \\t]*\\]+[ \\t]*(#.*)?$/, "", line)
      gsub(sq, "\\"", line)
      return line
    }
    function flush() {
      printf "%s", blank
      blank = ""
    }
    BEGIN { want = table; gsub(sq, "\\"", want) }
    /^[ \\t]*\\[/ {
      if (inside && !done) { print indent "  " key " = " value; done = 1 }
      flush()
      inside = name($0) == want
      if (inside) { found = 1; indent = $0; sub(/[^ \\t].*$/, "", indent) }
      print
      next
    }
    inside && /^[ \\t]*$/ { blank = blank $0 "\\n"; next }
    inside && $0 ~ ("^[ \\t]*" key "[ \\t]*=") {
      flush()
      lead = $0
      sub(/[^ \\t].*$/, "", lead)
      if (!done) print lead key " = " value
      done = 1
      next
    }
    { flush(); print }
    END {
      if (inside && !done) { print indent "  " key " = " value; done = 1 }
      flush()
      if (!found) { print ""; print "[" table "]"; print "  " key " = " value }
    }
  '
}

configure_containerd() {
  step "containerd configuration"
  if ! have containerd; then
    [[ $DRY_RUN == true ]] || die "containerd is not installed"
    log "dry-run: containerd is not installed yet; it would be configured after installation"
    return 0
  fi
  local layout pause defaults config restart=false
  layout=$(containerd_layout)
  if have kubeadm; then
    pause=$(pause_image)
  fi
  if [[ -z \${pause:-} ]]; then
    [[ $DRY_RUN == true ]] || die "kubeadm config images list printed no pause image"
    pause="$IMAGE_REPOSITORY/pause:(the version kubeadm $KUBERNETES_VERSION expects)"
  fi
  defaults=$(containerd config default)
  if [[ $layout == 1 ]]; then
    grep -qx 'version = 2' <<<"$defaults" || die "'containerd config default' does not print a version 2 configuration, as containerd 1.x does"
    config=$(
      toml_set 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options' SystemdCgroup true <<<"$defaults" \\
        | toml_set 'plugins."io.containerd.grpc.v1.cri"' sandbox_image "\\"$pause\\"" \\
        | toml_set 'plugins."io.containerd.grpc.v1.cri".registry' config_path '"/etc/containerd/certs.d"'
    )
  else
    grep -qx 'version = 3' <<<"$defaults" || die "'containerd config default' does not print a version 3 configuration, as containerd 2.x does"
    config=$(
      toml_set 'plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options' SystemdCgroup true <<<"$defaults" \\
        | toml_set 'plugins."io.containerd.cri.v1.images".pinned_images' sandbox "\\"$pause\\"" \\
        | toml_set 'plugins."io.containerd.cri.v1.images".registry' config_path '"/etc/containerd/certs.d"'
    )
  fi
  log "containerd $layout.x layout: SystemdCgroup = true, sandbox image $pause, registry hosts in /etc/containerd/certs.d"
  if write_file /etc/containerd/config.toml 0644 <<<"$config"; then
    restart=true
  fi
  if [[ ! -d $ROOT/etc/containerd/certs.d ]]; then
    run mkdir -p "$ROOT/etc/containerd/certs.d"
  fi
  write_file /etc/crictl.yaml 0644 <<'YAML' || true
runtime-endpoint: unix:///run/containerd/containerd.sock
image-endpoint: unix:///run/containerd/containerd.sock
YAML
  if ! systemctl is-enabled --quiet containerd; then
    run systemctl enable containerd
  fi
  if [[ $restart == true ]] || ! systemctl is-active --quiet containerd; then
    run systemctl restart containerd
  fi
}

# The first line of every hosts.toml this script writes: a file that starts
# with it belongs to the script, which rewrites or removes it.
readonly HOSTS_TOML_MARKER='# Generated by cdk8s-spark (KubeadmClusterPrereqs)'
readonly CERTS_D=/etc/containerd/certs.d
readonly REGISTRY_CA_FILE=cdk8s-spark-ca.crt

# is_declared_registry HOST: whether HOST is in REGISTRY_HOSTS.
is_declared_registry() {
  local host
  for host in "\${REGISTRY_HOSTS[@]}"; do
    if [[ $host == "$1" ]]; then
      return 0
    fi
  done
  return 1
}

# Registry mirrors: one hosts.toml per declared registry (containerd 1.x and
# 2.x read them on every pull, through config_path; no restart needed), plus
# the CA file it names. Files written by earlier runs for registries that are
# no longer declared are removed; other files are left alone.
configure_registry_hosts() {
  step "registry mirrors in $CERTS_D"
  local i dir file host first
  for i in "\${!REGISTRY_HOSTS[@]}"; do
    dir=$CERTS_D/\${REGISTRY_HOSTS[i]}
    if [[ -n \${REGISTRY_CA_CERTIFICATES[i]} ]]; then
      write_file "$dir/$REGISTRY_CA_FILE" 0644 <<<"\${REGISTRY_CA_CERTIFICATES[i]}" || true
    elif [[ -f $ROOT$dir/$REGISTRY_CA_FILE ]]; then
      run rm -f "$ROOT$dir/$REGISTRY_CA_FILE"
    fi
    write_file "$dir/hosts.toml" 0644 <<<"\${REGISTRY_HOSTS_TOML[i]}" || true
    log "registry \${REGISTRY_HOSTS[i]}: $dir/hosts.toml"
  done
  for file in "$ROOT$CERTS_D"/*/hosts.toml; do
    [[ -f $file ]] || continue
    dir=\${file%/hosts.toml}
    host=\${dir##*/}
    first=''
    read -r first <"$file" || true
    if is_declared_registry "$host" || [[ $first != "$HOSTS_TOML_MARKER"* ]]; then
      continue
    fi
    log "registry $host is no longer declared: removing the files this script wrote for it"
    run rm -f "$file" "$dir/$REGISTRY_CA_FILE"
    if [[ $DRY_RUN == false ]]; then
      rmdir "$dir" 2>/dev/null || true
    fi
  done
  if ((\${#REGISTRY_HOSTS[@]} == 0)); then
    log "no registry mirrors declared"
  fi
}

configure_kubelet() {
  step "kubelet service"
  local restart=false
  if [[ -n $NODE_IP ]]; then
    # The kubeadm drop-in of the kubelet unit reads KUBELET_EXTRA_ARGS from here.
    local file=/etc/default/kubelet
    if [[ $OS_FAMILY == rhel ]]; then
      file=/etc/sysconfig/kubelet
    fi
    if write_file "$file" 0644 <<ENV; then
KUBELET_EXTRA_ARGS=--node-ip=$NODE_IP
ENV
      restart=true
    fi
  fi
  if ! systemctl is-enabled --quiet kubelet; then
    run systemctl enable --now kubelet
  elif [[ $restart == true && -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    run systemctl restart kubelet
  fi
}

prepare_node() {
  configure_hostname
  disable_swap
  load_kernel_modules
  configure_sysctl
  configure_selinux
  configure_firewall
  install_base_packages
  configure_kubernetes_repository
  configure_docker_repository
  install_containerd
  install_kubernetes_packages
  configure_containerd
  configure_registry_hosts
  configure_kubelet
}
`;

/** Validation of join parameters. */
export const JOIN_PARAMETERS = `# ---- join parameters ------------------------------------------------------

# The join secrets (bootstrap token, certificate key) never appear on a command
# line, where every user of the machine can read them (ps): they come from the
# environment or from a file readable by root only (or standard input), and
# reach kubeadm in a JoinConfiguration file readable by root only.

# join_parameters_valid ENDPOINT TOKEN HASH: whether all three have the shapes
# kubeadm expects.
join_parameters_valid() {
  [[ $1 =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ && $2 =~ ^[a-z0-9]{6}\\.[a-z0-9]{16}$ && $3 =~ ^sha256:[a-f0-9]{64}$ ]]
}

# validate_join_parameters ENDPOINT TOKEN HASH: like join_parameters_valid, but
# fails with a message naming the bad parameter. The token never appears in a
# message.
validate_join_parameters() {
  [[ $1 =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] \\
    || die "invalid control-plane endpoint '$1': expected HOST:PORT, e.g. 192.168.56.10:6443"
  [[ $2 =~ ^[a-z0-9]{6}\\.[a-z0-9]{16}$ ]] \\
    || die "invalid bootstrap token: expected 6 and 16 lowercase letters or digits joined by a dot, as 'kubeadm token create' prints"
  [[ $3 =~ ^sha256:[a-f0-9]{64}$ ]] \\
    || die "invalid CA certificate hash '$3': expected 'sha256:' and 64 lowercase hex digits"
}
`;

/** Joining: join parameters read the secret way and handed to kubeadm join in a 0600 file. */
export const JOIN = `# ---- join ---------------------------------------------------------------

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
    [[ \${mode: -2} == 00 ]] \\
      || die "the join file $file has mode $mode: it holds a secret, so it must be readable by its owner only (chmod 600 $file)"
    exec 3<"$file"
  else
    exec 3<&0
  fi
  while IFS= read -r line <&3 || [[ -n $line ]]; do
    n=$((n + 1))
    [[ -n \${line//[[:space:]]/} && $line != \\#* ]] || continue
    [[ $line =~ ^([A-Z_]+)=(.*)$ ]] || die "join file line $n is not KEY=VALUE"
    key=\${BASH_REMATCH[1]}
    value=\${BASH_REMATCH[2]}
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
  printf 'apiVersion: %s\\nkind: JoinConfiguration\\n' "$KUBEADM_API_VERSION"
  printf 'discovery:\\n  bootstrapToken:\\n    apiServerEndpoint: "%s"\\n    token: "%s"\\n    caCertHashes:\\n      - "%s"\\n' \\
    "$JOIN_ENDPOINT" "$JOIN_TOKEN" "$JOIN_CA_HASH"
  printf 'nodeRegistration:\\n  criSocket: "%s"\\n' "$CRI_SOCKET"
  if [[ -n $NODE_NAME ]]; then
    printf '  name: "%s"\\n' "$NODE_NAME"
  fi
  if [[ -n \${JOIN_CERTIFICATE_KEY:-} ]]; then
    printf 'controlPlane:\\n  certificateKey: "%s"\\n' "$JOIN_CERTIFICATE_KEY"
    if [[ -n $NODE_IP ]]; then
      printf '  localAPIEndpoint:\\n    advertiseAddress: "%s"\\n    bindPort: %s\\n' "$NODE_IP" "$API_SERVER_PORT"
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
`;

/** Creation of a fresh join command on the control plane. */
export const JOIN_COMMAND = `# ---- join command ---------------------------------------------------------

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
  [[ \${words[0]:-} == kubeadm && \${words[1]:-} == join ]] || return 1
  JOIN_ENDPOINT=\${words[2]:-}
  for ((i = 3; i < \${#words[@]} - 1; i++)); do
    case \${words[i]} in
      --token) JOIN_TOKEN=\${words[i + 1]} ;;
      --discovery-token-ca-cert-hash) JOIN_CA_HASH=\${words[i + 1]} ;;
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
  printf '# Join parameters (secret: readable by root only, never on a command line).\\n'
  printf 'KUBEADM_JOIN_ENDPOINT=%s\\nKUBEADM_JOIN_TOKEN=%s\\nKUBEADM_JOIN_CA_HASH=%s\\n' \\
    "$JOIN_ENDPOINT" "$JOIN_TOKEN" "$JOIN_CA_HASH"
}
`;

/** The admin kubeconfig for the user who ran sudo (control-plane nodes). */
export const ADMIN_KUBECONFIG = `# ---- admin kubeconfig -----------------------------------------------------

install_admin_kubeconfig() {
  step "admin kubeconfig"
  local admin=$ROOT/etc/kubernetes/admin.conf user=\${SUDO_USER:-root} home=/root owner
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
`;

/** The kube-vip static pod on control-plane nodes. */
export const KUBE_VIP = `# ---- kube-vip -------------------------------------------------------------

readonly KUBE_VIP_FILE=/etc/kubernetes/manifests/kube-vip.yaml

# kube_vip_interface: the network interface holding this node's declared address.
kube_vip_interface() {
  ip -o -4 addr show | awk -v ip="$NODE_IP" '{ a = $4; sub(/\\/.*/, "", a); if (a == ip && !done) { print $2; done = 1 } }'
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
  manifest=\${KUBE_VIP_MANIFEST//@@INTERFACE@@/$iface}
  manifest=\${manifest//@@KUBECONFIG@@/$1}
  # kubeadm writes its static pods readable by root only; so does this.
  write_file "$KUBE_VIP_FILE" 0600 <<<"$manifest" || true
  log "kube-vip: interface $iface, kubeconfig $1"
}
`;

/** kubeadm init, the init token removed. */
export const CONTROL_PLANE = `# ---- control plane --------------------------------------------------------

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
    if [[ $token =~ ^([a-z0-9]{6})\\.[a-z0-9]{16}$ && $rest == *"$INIT_TOKEN_DESCRIPTION"* ]]; then
      run kubeadm token delete "\${BASH_REMATCH[1]}" --kubeconfig "$ROOT/etc/kubernetes/admin.conf"
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
      printf 'certificateKey: "%s"\\n' "$key"
      inserted=true
    fi
    printf '%s\\n' "$line"
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
`;

/** kubeadm join. */
export const WORKER = `# ---- worker ---------------------------------------------------------------

JOIN_ENDPOINT=\${KUBEADM_JOIN_ENDPOINT:-$CONTROL_PLANE_ENDPOINT}
JOIN_TOKEN=\${KUBEADM_JOIN_TOKEN:-}
JOIN_CA_HASH=\${KUBEADM_JOIN_CA_HASH:-}
JOIN_CERTIFICATE_KEY=''

require_join_parameters() {
  if [[ -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    return 0
  fi
  local missing=()
  [[ -n $JOIN_ENDPOINT ]] || missing+=('KUBEADM_JOIN_ENDPOINT (or --endpoint)')
  [[ -n $JOIN_TOKEN ]] || missing+=('KUBEADM_JOIN_TOKEN')
  [[ -n $JOIN_CA_HASH ]] || missing+=('KUBEADM_JOIN_CA_HASH (or --discovery-token-ca-cert-hash)')
  if ((\${#missing[@]} > 0)); then
    die "missing join parameters: \${missing[*]}; run new-join-command.sh on the control-plane node and pass its output with --join-file - (standard input) or --join-file FILE"
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
`;

/** Arguments and main of prepare-node.sh. */
export const MAIN_PREPARE_NODE = `# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: sudo ./prepare-node.sh [--role control-plane|worker] [--node-name NAME] [--dry-run]

Prepares this machine for kubeadm: preflight checks, host name and /etc/hosts,
swap off, kernel modules, sysctl, SELinux, firewall, chrony, containerd and
kubelet, kubeadm and kubectl. Runs again safely: it changes only what differs.

  --role ROLE       control-plane or worker (default: the role of the declared
                    node whose address this machine has)
  --node-name NAME  the declared node this machine is (default: found by address)
  --dry-run         print what would change, change nothing
USAGE
}

parse_args() {
  while (($# > 0)); do
    case $1 in
      --dry-run) DRY_RUN=true ;;
      --role | --node-name)
        (($# > 1)) || die "$1 needs a value"
        if [[ $1 == --role ]]; then
          ROLE=$2
        else
          NODE_NAME=$2
        fi
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  case $ROLE in
    '' | control-plane | worker) ;;
    *) die "--role must be control-plane or worker, not '$ROLE'" ;;
  esac
}

main() {
  parse_args "$@"
  start_work_dir
  preflight
  prepare_node
  finish
}

main "$@"
`;

/** Arguments and main of control-plane.sh. */
export const MAIN_CONTROL_PLANE = `# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: sudo ./control-plane.sh [--node-name NAME] [--dry-run]

Prepares this machine as prepare-node.sh does, then initializes the control
plane with kubeadm init (once), installs the admin kubeconfig for the invoking
user and writes the worker join command to /etc/kubernetes/join-command.
Runs again safely: it changes only what differs.

  --node-name NAME  the declared node this machine is (default: found by address)
  --dry-run         print what would change, change nothing
USAGE
}

parse_args() {
  ROLE=control-plane
  while (($# > 0)); do
    case $1 in
      --dry-run) DRY_RUN=true ;;
      --node-name)
        (($# > 1)) || die "$1 needs a value"
        NODE_NAME=$2
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
}

main() {
  parse_args "$@"
  start_work_dir
  preflight
  check_init_node
  prepare_node
  init_control_plane
  finish
}

main "$@"
`;

/** Arguments and main of worker.sh. */
export const MAIN_WORKER = `# ---- main -----------------------------------------------------------------

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
  while (($# > 0)); do
    case $1 in
      --dry-run) DRY_RUN=true ;;
      --token | --token=*) refuse_token_argument ;;
      --endpoint | --discovery-token-ca-cert-hash | --node-name | --join-file)
        (($# > 1)) || die "$1 needs a value"
        case $1 in
          --endpoint) endpoint=$2 ;;
          --discovery-token-ca-cert-hash) hash=$2 ;;
          --node-name) NODE_NAME=$2 ;;
          --join-file) join_file=$2 ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  if [[ -n $join_file ]]; then
    read_join_file "$join_file"
  fi
  JOIN_ENDPOINT=\${endpoint:-$JOIN_ENDPOINT}
  JOIN_CA_HASH=\${hash:-$JOIN_CA_HASH}
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
  finish
}

main "$@"
`;

/** Arguments and main of new-join-command.sh. */
export const MAIN_NEW_JOIN_COMMAND = `# ---- main -----------------------------------------------------------------

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
  while (($# > 0)); do
    case $1 in
      --dry-run) DRY_RUN=true ;;
      --force) FORCE=true ;;
      --control-plane) CONTROL_PLANE=true ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
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
      printf 'KUBEADM_JOIN_CERTIFICATE_KEY=%s\\n' "$CERTIFICATE_KEY"
    fi
    log "the join parameters above hold a secret: pipe them into worker.sh --join-file - on the new node, or keep them in a file readable by root only"
  fi
  finish
}

main "$@"
`;

/** Control-plane join: kubeadm join with the certificate key, etcd member checks. */
export const CONTROL_PLANE_JOIN = `# ---- control-plane join ---------------------------------------------------

JOIN_ENDPOINT=\${KUBEADM_JOIN_ENDPOINT:-$CONTROL_PLANE_ENDPOINT}
JOIN_TOKEN=\${KUBEADM_JOIN_TOKEN:-}
JOIN_CA_HASH=\${KUBEADM_JOIN_CA_HASH:-}
JOIN_CERTIFICATE_KEY=\${KUBEADM_JOIN_CERTIFICATE_KEY:-}

require_control_plane_join_parameters() {
  if [[ -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    return 0
  fi
  require_join_parameters
  [[ -n $JOIN_CERTIFICATE_KEY ]] \\
    || die "missing KUBEADM_JOIN_CERTIFICATE_KEY: run new-join-command.sh --control-plane on an initialized control-plane node and pass its output with --join-file -"
  [[ $JOIN_CERTIFICATE_KEY =~ ^[a-f0-9]{64}$ ]] \\
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
`;

/** Arguments and main of control-plane-join.sh. */
export const MAIN_CONTROL_PLANE_JOIN = `# ---- main -----------------------------------------------------------------

usage() {
  cat <<'USAGE'
Usage: new-join-command.sh --control-plane | sudo ./control-plane-join.sh --join-file - [--node-name NAME] [--dry-run]

Prepares this machine as a control-plane node, then joins it to the existing
control plane with kubeadm join (once), downloading the control-plane
certificates with the certificate key, and installs the admin kubeconfig. The
bootstrap token and the certificate key are secrets and are never taken from
the command line: pass them on standard input, in a file readable by root
only (--join-file FILE), or in the environment (KUBEADM_JOIN_TOKEN,
KUBEADM_JOIN_CERTIFICATE_KEY, exported in a root shell, not set on the sudo
command line). Runs again safely.

  --join-file FILE|-   KEY=VALUE lines as new-join-command.sh --control-plane prints them
  --node-name NAME     the declared node this machine is (default: found by address)
  --dry-run            print what would change, change nothing
USAGE
}

parse_args() {
  ROLE=control-plane
  local join_file=''
  while (($# > 0)); do
    case $1 in
      --dry-run) DRY_RUN=true ;;
      --token | --token=* | --certificate-key | --certificate-key=*) refuse_token_argument ;;
      --node-name | --join-file)
        (($# > 1)) || die "$1 needs a value"
        if [[ $1 == --node-name ]]; then
          NODE_NAME=$2
        else
          join_file=$2
        fi
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  if [[ -n $join_file ]]; then
    read_join_file "$join_file"
  fi
}

main() {
  parse_args "$@"
  require_control_plane_join_parameters
  start_work_dir
  preflight
  prepare_node
  join_control_plane
  install_admin_kubeconfig
  finish
}

main "$@"
`;
