# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- node preparation -----------------------------------------------------

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
  line=${line##*$'\n'}
  line=${line#*=}
  line=${line#[\"\']}
  line=${line%[\"\']}
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
    *) die "unsupported operating system '${OS_NAME:-$OS_ID}': supported are Debian and Ubuntu (apt) and the RHEL family: RHEL, CentOS Stream, Rocky, AlmaLinux, Fedora (dnf/yum)" ;;
  esac
}

local_ipv4_addresses() {
  ip -o -4 addr show | awk '{ sub(/\/.*/, "", $4); print $4 }'
}

# Works out which declared node this machine is: the --node-name argument, or
# the declared node whose address this machine has.
identify_node() {
  local i addresses
  addresses=$(local_ipv4_addresses)
  if ((${#NODE_NAMES[@]} == 0)); then
    [[ -z $NODE_NAME ]] || die "--node-name $NODE_NAME given, but no nodes are declared in the ClusterNetwork"
    return 0
  fi
  for i in "${!NODE_NAMES[@]}"; do
    if [[ -n $NODE_NAME ]]; then
      if [[ ${NODE_NAMES[i]} == "$NODE_NAME" ]]; then
        NODE_IP=${NODE_IPS[i]}
        NODE_ROLE=${NODE_ROLES[i]}
      fi
    elif grep -qxF "${NODE_IPS[i]}" <<<"$addresses"; then
      NODE_NAME=${NODE_NAMES[i]}
      NODE_IP=${NODE_IPS[i]}
      NODE_ROLE=${NODE_ROLES[i]}
    fi
  done
  if [[ -z $NODE_NAME ]]; then
    die "this machine has none of the declared node addresses (${NODE_IPS[*]}); pass --node-name NAME"
  fi
  [[ -n $NODE_IP ]] || die "--node-name $NODE_NAME is not a declared node (declared: ${NODE_NAMES[*]})"
  grep -qxF "$NODE_IP" <<<"$addresses" \
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
  memory_mib=$((${memory_kib:-0} / 1024))
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
  for i in "${!NODE_NAMES[@]}"; do
    if [[ ${NODE_NAMES[i]} == "$hostname" && ${NODE_NAMES[i]} != "$NODE_NAME" ]]; then
      die "host name $hostname belongs to declared node ${NODE_NAMES[i]} (${NODE_IPS[i]}), not to this machine; was it cloned?"
    fi
  done
  if [[ -z $NODE_NAME && $hostname == localhost* ]]; then
    die "host name '$hostname' is not unique; give this machine its own host name first"
  fi
  uuid=unreadable
  if [[ -r $ROOT/sys/class/dmi/id/product_uuid ]]; then
    uuid=$(<"$ROOT/sys/class/dmi/id/product_uuid")
  fi
  macs=$(cat "$ROOT"/sys/class/net/*/address 2>/dev/null | grep -vx '00:00:00:00:00:00' | sort -u | tr '\n' ' ' || true)
  macs=${macs% }
  log "identity (must differ on every node): host name $hostname, product_uuid $uuid, MAC addresses ${macs:-none}"
}

check_ports_free() {
  local ports=() port listening
  if [[ $ROLE == control-plane && ! -f $ROOT/etc/kubernetes/admin.conf ]]; then
    ports=(6443 2379 2380 10250 10257 10259)
  elif [[ $ROLE == worker && ! -f $ROOT/etc/kubernetes/kubelet.conf ]]; then
    ports=(10250)
  fi
  ((${#ports[@]} > 0)) || return 0
  listening=$(ss -Htln | awk '{ n = split($4, parts, ":"); print parts[n] }')
  for port in "${ports[@]}"; do
    if grep -qxF "$port" <<<"$listening"; then
      die "TCP port $port is already in use; Kubernetes needs it (see: ss -tlnp; after a failed kubeadm init or join, run kubeadm reset)"
    fi
  done
  log "ports free: ${ports[*]}"
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
  local -a entries=("${REQUIRED_COMMANDS[@]}")
  if [[ $OS_FAMILY == debian ]]; then
    for entry in "${REQUIRED_DEBIAN_COMMANDS[@]}"; do
      entries+=("$entry ${entry##* }")
    done
  else
    for entry in "${REQUIRED_RHEL_COMMANDS[@]}"; do
      entries+=("${entry%% *} ${entry##* } ${entry##* }")
    done
    have dnf || have yum || missing+=('dnf (package dnf)')
  fi
  for entry in "${entries[@]}"; do
    read -r -a words <<<"$entry"
    have "${words[0]}" && continue
    if [[ $OS_FAMILY == debian ]]; then
      pkg=${words[1]}
    else
      pkg=${words[2]}
    fi
    missing+=("${words[0]} (package $pkg)")
    if [[ " ${packages[*]} " != *" $pkg "* ]]; then
      packages+=("$pkg")
    fi
  done
  if ((${#missing[@]} > 0)); then
    local installer="apt-get install ${packages[*]}"
    if [[ $OS_FAMILY == rhel ]]; then
      installer="dnf install ${packages[*]}"
    fi
    die "missing commands: ${missing[*]}; install them (e.g. $installer) and run again; nothing was changed"
  fi
}

preflight() {
  step "preflight checks"
  require_root
  detect_os
  log "operating system: ${OS_NAME:-$OS_ID} ($OS_FAMILY family)"
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
  ((${#NODE_NAMES[@]} > 0)) || return 0
  local begin='# BEGIN cdk8s-spark cluster nodes' end='# END cdk8s-spark cluster nodes' content i
  content=$(
    if [[ -f $ROOT/etc/hosts ]]; then
      awk -v begin="$begin" -v end="$end" '$0 == begin { skip = 1 } !skip { print } $0 == end { skip = 0 }' "$ROOT/etc/hosts"
    fi
    echo "$begin"
    for i in "${!NODE_NAMES[@]}"; do
      echo "${NODE_IPS[i]} ${NODE_NAMES[i]}"
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
  for cidr in "${TRUSTED_CIDRS[@]}"; do
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
    port=${port/-/:}
    if ! grep -qxF "ufw allow $port" <<<"$added"; then
      run ufw allow "$port"
    fi
  done
  for cidr in "${TRUSTED_CIDRS[@]}"; do
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
  local ports=("${NODE_PORTS[@]}")
  if [[ $ROLE == control-plane ]]; then
    ports+=("${CONTROL_PLANE_PORTS[@]}")
  fi
  case $FIREWALL_MODE in
    unmanaged)
      log "firewall left as it is; open these ports yourself: ${ports[*]}"
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
        open_ports_firewalld "${ports[@]}"
      elif ufw_active; then
        open_ports_ufw "${ports[@]}"
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
    # shellcheck disable=SC2016 # ${Status} is a dpkg-query field, not a shell variable
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
    [[ $status =~ ^(unknown|install|hold|deinstall|purge)\ ok\ (installed|triggers-pending|triggers-awaiting)$ ]]
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
    # shellcheck disable=SC2016 # ${Version} is a dpkg-query field
    version=$(dpkg-query -W -f='${Version}' "$1")
    version=${version#*:}
  else
    version=$(rpm -q --qf '%{VERSION}' "$1")
  fi
  printf '%s' "${version%%-*}"
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
  ((${#missing[@]} > 0)) || return 0
  if [[ $OS_FAMILY == debian ]]; then
    apt_update
    run apt-get install -y "${missing[@]}" || die "apt-get install ${missing[*]} failed (exit status $?; its messages are above)$PKG_INSTALL_HINT"
  else
    run "$RPM_TOOL" install -y "${missing[@]}" || die "$RPM_TOOL install ${missing[*]} failed (exit status $?; its messages are above)$PKG_INSTALL_HINT"
  fi
}

key_fingerprint() {
  { GNUPGHOME=$WORK_DIR/gnupg gpg --batch --show-keys --with-colons "$1" 2>/dev/null || true; } \
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
  [[ $actual == "$fingerprint" ]] \
    || die "the key at $url has fingerprint ${actual:-(none: not an OpenPGP key)}, expected $fingerprint; refusing to trust it; $path was left as it was"
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
      codename=${codename:-$(os_release VERSION_CODENAME)}
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
baseurl=$DOCKER_BASE_URL/$distro/\$releasever/\$basearch/stable
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
  local v=${1#*:}
  v=${v#v}
  v=${v%%[-~+]*}
  printf '%s' "$v"
}

# version_at_least A B: whether version A (MAJOR.MINOR.PATCH) is B or newer.
version_at_least() {
  local -a a b
  local i
  IFS=. read -r -a a <<<"$1"
  IFS=. read -r -a b <<<"$2"
  for i in 0 1 2; do
    if ((10#${a[i]:-0} != 10#${b[i]:-0})); then
      ((10#${a[i]:-0} > 10#${b[i]:-0}))
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
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  for minimum in "${CONTAINERD_MINIMUMS[@]}"; do
    if [[ ${version%.*} == "${minimum%.*}" ]]; then
      version_at_least "$version" "$minimum"
      return
    fi
    if version_at_least "${minimum%.*}" "$newest"; then
      newest=${minimum%.*}
    fi
  done
  ! version_at_least "$newest.999999" "${version%.*}.0"
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
  die "containerd $version ($2) is too old for Kubernetes $KUBERNETES_MINOR: containerd's RELEASES.md recommends ${CONTAINERD_MINIMUMS[*]/%/+} for it. Install containerd.io from Docker's repository (ContainerdSource.dockerRepository(), the default) or a newer backport (then ContainerdSource.preinstalled()), and run again; containerd was left as it was"
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
      have containerd || [[ $DRY_RUN == true ]] \
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
  containerd --version | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^v?[0-9]+\.[0-9]+/ && !done) { print $i; done = 1 } }'
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
  if ((${#missing[@]} > 0)); then
    if [[ $OS_FAMILY == debian ]]; then
      apt_update
      for pkg in "${missing[@]}"; do
        version=$(deb_version "$pkg")
        if [[ -z $version ]]; then
          [[ $DRY_RUN == true ]] || die "$pkg $KUBERNETES_VERSION is not in the repository $K8S_DEB_URL"
          version="$KUBERNETES_VERSION-*"
        fi
        specs+=("$pkg=$version")
      done
      run apt-get install -y "${specs[@]}" || die "apt-get install ${specs[*]} failed (exit status $?; its messages are above)"
    else
      run "$RPM_TOOL" install -y --disableexcludes=kubernetes "${missing[@]/%/-$KUBERNETES_VERSION}" \
        || die "$RPM_TOOL install ${missing[*]} $KUBERNETES_VERSION failed (exit status $?; its messages are above)"
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
  version=${version#v}
  case $version in
    1.*) printf 1 ;;
    2.*) printf 2 ;;
    *) die "cannot tell the containerd version from '$(containerd --version)'; set KubeadmClusterPrereqs' containerdVersion" ;;
  esac
}

# pause_image: the sandbox image kubeadm expects for KUBERNETES_VERSION, from
# IMAGE_REPOSITORY.
pause_image() {
  kubeadm config images list --kubernetes-version "v$KUBERNETES_VERSION" --image-repository "$IMAGE_REPOSITORY" \
    | awk '/\/pause:/ && !done { print; done = 1 }'
}

# toml_set TABLE KEY VALUE: sets KEY = VALUE in [TABLE] of the TOML document on
# standard input, adding the key (or the table) when it is missing. Table
# names match whichever quotes they are written with.
toml_set() {
  awk -v table="$1" -v key="$2" -v value="$3" -v sq="'" '
    function name(line) {
      sub(/^[ \t]*\[+[ \t]*/, "", line)
      sub(/[ \t]*\]+[ \t]*(#.*)?$/, "", line)
      gsub(sq, "\"", line)
      return line
    }
    function flush() {
      printf "%s", blank
      blank = ""
    }
    BEGIN { want = table; gsub(sq, "\"", want) }
    /^[ \t]*\[/ {
      if (inside && !done) { print indent "  " key " = " value; done = 1 }
      flush()
      inside = name($0) == want
      if (inside) { found = 1; indent = $0; sub(/[^ \t].*$/, "", indent) }
      print
      next
    }
    inside && /^[ \t]*$/ { blank = blank $0 "\n"; next }
    inside && $0 ~ ("^[ \t]*" key "[ \t]*=") {
      flush()
      lead = $0
      sub(/[^ \t].*$/, "", lead)
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
  if [[ -z ${pause:-} ]]; then
    [[ $DRY_RUN == true ]] || die "kubeadm config images list printed no pause image"
    pause="$IMAGE_REPOSITORY/pause:(the version kubeadm $KUBERNETES_VERSION expects)"
  fi
  defaults=$(containerd config default)
  if [[ $layout == 1 ]]; then
    grep -qx 'version = 2' <<<"$defaults" || die "'containerd config default' does not print a version 2 configuration, as containerd 1.x does"
    config=$(
      toml_set 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options' SystemdCgroup true <<<"$defaults" \
        | toml_set 'plugins."io.containerd.grpc.v1.cri"' sandbox_image "\"$pause\"" \
        | toml_set 'plugins."io.containerd.grpc.v1.cri".registry' config_path '"/etc/containerd/certs.d"'
    )
  else
    grep -qx 'version = 3' <<<"$defaults" || die "'containerd config default' does not print a version 3 configuration, as containerd 2.x does"
    config=$(
      toml_set 'plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options' SystemdCgroup true <<<"$defaults" \
        | toml_set 'plugins."io.containerd.cri.v1.images".pinned_images' sandbox "\"$pause\"" \
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
  for host in "${REGISTRY_HOSTS[@]}"; do
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
  for i in "${!REGISTRY_HOSTS[@]}"; do
    dir=$CERTS_D/${REGISTRY_HOSTS[i]}
    if [[ -n ${REGISTRY_CA_CERTIFICATES[i]} ]]; then
      write_file "$dir/$REGISTRY_CA_FILE" 0644 <<<"${REGISTRY_CA_CERTIFICATES[i]}" || true
    elif [[ -f $ROOT$dir/$REGISTRY_CA_FILE ]]; then
      run rm -f "$ROOT$dir/$REGISTRY_CA_FILE"
    fi
    write_file "$dir/hosts.toml" 0644 <<<"${REGISTRY_HOSTS_TOML[i]}" || true
    log "registry ${REGISTRY_HOSTS[i]}: $dir/hosts.toml"
  done
  for file in "$ROOT$CERTS_D"/*/hosts.toml; do
    [[ -f $file ]] || continue
    dir=${file%/hosts.toml}
    host=${dir##*/}
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
  if ((${#REGISTRY_HOSTS[@]} == 0)); then
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
  added_preparation_steps
}
