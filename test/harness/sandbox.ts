/**
 * A sandbox that runs the generated node scripts for real, without touching
 * the machine running the tests.
 *
 * - The scripts read and write every file below `$CDK8S_SPARK_ROOT`; the
 *   sandbox points it at a temporary directory seeded with a plausible Debian,
 *   Ubuntu or Rocky Linux system (os-release, fstab with a swap line, hosts,
 *   hostname, /proc/meminfo, /proc/swaps, /sys identity files, SELinux config).
 * - PATH holds only stubs for every privileged or external command
 *   (systemctl, modprobe, sysctl, swapoff, apt-get, dnf, rpm, curl, gpg,
 *   containerd, kubeadm, firewall-cmd, ufw, ...) plus symlinks to a fixed set
 *   of harmless text tools (cat, sed, awk, grep, ...). A command that is
 *   neither fails with "command not found", so a script can never reach a real
 *   privileged command.
 * - The stubs log every invocation to commands.log and keep their state
 *   (enabled units, installed packages, firewall rules, ...) in a state
 *   directory outside the root, behaving like the real commands in the ways
 *   the scripts rely on: `kubeadm init` writes admin.conf, `modprobe` creates
 *   /sys/module/NAME, `sysctl --system` applies /etc/sysctl.d, `containerd
 *   config default` prints a 1.x or 2.x default configuration, `gpg` reports
 *   the fingerprint that `curl` put into the downloaded key, and so on.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type SandboxOs = 'debian' | 'ubuntu' | 'rocky' | 'alpine';

export interface SandboxOptions {
  readonly os: SandboxOs;
  /** `id -u`. @default 0 */
  readonly uid?: number;
  /** `nproc`. @default 4 */
  readonly cpus?: number;
  /** MemTotal. @default 4096 */
  readonly memoryMib?: number;
  /** Addresses `ip -o -4 addr show` reports. @default ['10.0.2.15'] */
  readonly ips?: string[];
  /** /etc/hostname. @default `<os>-box` */
  readonly hostname?: string;
  /** `containerd --version`. @default '1.7.24' */
  readonly containerdVersion?: string;
  /** The active firewall. @default ufw on Debian/Ubuntu, firewalld on Rocky */
  readonly firewall?: 'ufw' | 'firewalld' | 'none';
  /** TCP ports already listening. @default [22] */
  readonly listeningPorts?: number[];
  /** Every key `curl` downloads gets this fingerprint. @default - the expected one for its URL */
  readonly keyFingerprint?: string;
  /** Stubs to leave out, e.g. `dnf` to exercise the yum fallback. @default - none */
  readonly without?: string[];
  /** The Kubernetes version the package repository stubs offer. @default '1.33.1' */
  readonly offeredKubernetesVersion?: string;
  /**
   * The package revision of the newest build of that version (pkgs.k8s.io
   * rebuilds a version now and then, e.g. `1.28.14-2.1` after `-1.1`);
   * `offerBuild` changes it between runs. @default '1.1'
   */
  readonly offeredBuild?: string;
  /**
   * Packages dpkg knows before the first run, by name: version and status
   * (`installed`, `config-files` after `apt-get remove`, `not-installed`).
   * @default - none
   */
  readonly dpkgPackages?: Record<string, { version: string; status: 'installed' | 'config-files' | 'not-installed' }>;
  /**
   * The Kubernetes package mirror (pkgs.k8s.io) failing: `down` refuses
   * connections (curl and apt-get update fail); `after-key` serves the
   * signing key but no package index. @default - it works
   */
  readonly kubernetesMirror?: 'down' | 'after-key';
}

export interface SandboxRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Stub invocations of this run, one `name arg...` line each. */
  readonly commands: string[];
}

/** Fingerprints the stubs report (the real keys' fingerprints). */
export const KEY_FINGERPRINTS = {
  kubernetes: 'DE15B14486CD377B9E876E1A234654DA9A296436',
  dockerDeb: '9DC858229FC7DD38854AE2D88D81803C0EBFCD88',
  dockerRpm: '060A61C51B558A7F742B77AAC52FEB6B621E9F35',
};

/** The CA hash the kubeadm stub prints in join commands. */
export const SANDBOX_CA_HASH = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** Real tools the scripts and stubs may use: text processing and file basics only. */
const TOOLS = ['bash', 'env', 'cat', 'mktemp', 'cmp', 'mkdir', 'rm', 'rmdir', 'dirname', 'basename', 'sed',
  'awk', 'grep', 'sort', 'tr', 'cut', 'wc', 'diff', 'touch', 'head', 'tail', 'ls', 'date'];

/**
 * Every stub starts with this. The helpers read files with bash builtins only:
 * a script run starts hundreds of stubs, and a process less in each keeps the
 * sandbox fast.
 */
const PROLOGUE = `set -euo pipefail
R=$CDK8S_SPARK_ROOT
S=$SANDBOX_STATE
printf '%s\\n' "\${0##*/}\${*:+ $*}" >>"$S/commands.log"
# print FILE: prints a one-line file (like cat).
print() { local c; c=$(<"$1"); printf '%s\\n' "$c"; }
# last_line FILE PREFIX: sets LAST to the last line of FILE that starts with PREFIX ('' when none or no FILE).
last_line() {
  LAST=''
  [[ -f $1 ]] || return 0
  local l
  while IFS= read -r l || [[ -n $l ]]; do
    if [[ $l == "$2"* ]]; then LAST=$l; fi
  done <"$1"
}
# has_line FILE LINE: succeeds when FILE has the exact LINE (like grep -qxF).
has_line() {
  [[ -f $1 ]] || return 1
  local l
  while IFS= read -r l || [[ -n $l ]]; do
    if [[ $l == "$2" ]]; then return 0; fi
  done <"$1"
  return 1
}
`;

/** Stub bodies, by command name. `$R` is the root, `$S` the state directory. */
const STUBS: Record<string, string> = {
  'id': `
if [[ \${1:-} == -u && $# -eq 1 ]]; then print "$S/uid"
elif [[ \${1:-} == -u || \${1:-} == -g ]]; then echo 1000
else echo "uid=$(<"$S/uid")"; fi`,
  'nproc': 'print "$S/cpus"',
  'hostname': 'if [[ -f $R/etc/hostname ]]; then print "$R/etc/hostname"; else echo localhost; fi',
  'hostnamectl': '[[ $1 == set-hostname ]]; echo "$2" >"$R/etc/hostname"',
  'ip': `
[[ "$*" == "-o -4 addr show" ]] || { echo "ip stub: unsupported: $*" >&2; exit 1; }
n=2
while read -r a; do echo "$n: eth$n    inet $a/24 brd 0.0.0.0 scope global eth$n\\       valid_lft forever preferred_lft forever"; n=$((n + 1)); done <"$S/ips"`,
  'ss': `
[[ "$*" == "-Htln" ]] || { echo "ss stub: unsupported: $*" >&2; exit 1; }
while read -r p; do echo "LISTEN 0      4096         0.0.0.0:$p      0.0.0.0:*"; done <"$S/listening"`,
  'systemctl': `
cmd='' quiet=false now=false units=()
for a in "$@"; do
  case $a in
    --quiet | -q) quiet=true ;;
    --now) now=true ;;
    -*) ;;
    *) if [[ -z $cmd ]]; then cmd=$a; else units+=("$a"); fi ;;
  esac
done
d=$S/systemd
case $cmd in
  is-active)
    if [[ -e $d/active/\${units[0]} ]]; then $quiet || echo active; exit 0; fi
    $quiet || echo inactive; exit 3 ;;
  is-enabled)
    u=\${units[0]}
    if [[ -e $d/masked/$u ]]; then state=masked
    elif [[ -e $d/enabled/$u ]]; then state=enabled
    elif last_line "$d/swap-units" "$u " && [[ -n $LAST ]]; then state=generated
    else state=disabled; fi
    $quiet || echo "$state"
    [[ $state == enabled ]] ;;
  enable) for u in "\${units[@]}"; do : >>"$d/enabled/$u"; if $now; then : >>"$d/active/$u"; fi; done ;;
  disable) for u in "\${units[@]}"; do rm -f "$d/enabled/$u"; if $now; then rm -f "$d/active/$u"; fi; done ;;
  start | restart) for u in "\${units[@]}"; do : >>"$d/active/$u"; done ;;
  stop) for u in "\${units[@]}"; do rm -f "$d/active/$u"; done ;;
  mask) for u in "\${units[@]}"; do : >>"$d/masked/$u"; done ;;
  daemon-reload) ;;
  list-units) cat "$d/swap-units" 2>/dev/null || true ;;
  *) echo "systemctl stub: unsupported: $*" >&2; exit 1 ;;
esac`,
  'swapoff': '[[ $1 == -a ]]; IFS= read -r header <"$R/proc/swaps"; printf \'%s\\n\' "$header" >"$R/proc/swaps"',
  'modprobe': '[[ -d $R/sys/module/$1 ]] || mkdir -p "$R/sys/module/$1"',
  'sysctl': `
if [[ $1 == -n ]]; then
  f=$R/proc/sys/\${2//.//}
  [[ -f $f ]] || { echo "sysctl: cannot stat /proc/sys/\${2//.//}: No such file or directory" >&2; exit 255; }
  print "$f"
elif [[ $1 == --system ]]; then
  for conf in "$R"/etc/sysctl.d/*.conf; do
    while IFS='=' read -r k v; do
      k=\${k// /}; v=\${v// /}
      [[ -n $k && $k != \\#* ]] || continue
      if [[ $k == net.bridge.* && ! -d $R/sys/module/br_netfilter ]]; then
        echo "sysctl: cannot stat /proc/sys/\${k//.//}: No such file or directory" >&2; continue
      fi
      f=$R/proc/sys/\${k//.//}
      [[ -d \${f%/*} ]] || mkdir -p "\${f%/*}"
      echo "$v" >"$f"
    done <"$conf"
  done
else echo "sysctl stub: unsupported: $*" >&2; exit 1; fi`,
  'getenforce': 'print "$S/selinux"',
  'setenforce': '[[ $1 == 0 ]]; echo Permissive >"$S/selinux"',
  'firewall-cmd': `
f=$S/firewalld
for a in "$@"; do
  case $a in
    --query-port=*) has_line "$f/ports" "\${a#*=}"; exit ;;
    --add-port=*) echo "\${a#*=}" >>"$f/ports"; echo success ;;
    --query-source=*) has_line "$f/sources" "\${a#*=}"; exit ;;
    --add-source=*) echo "\${a#*=}" >>"$f/sources"; echo success ;;
    --reload) echo success ;;
  esac
done`,
  'ufw': `
case $1 in
  status) if [[ -e $S/ufw-active ]]; then echo "Status: active"; else echo "Status: inactive"; fi ;;
  show) echo "Added user rules (see 'ufw status' for running firewall):"; cat "$S/ufw-rules" ;;
  allow | route) echo "ufw $*" >>"$S/ufw-rules"; echo "Rule added" ;;
  disable) rm -f "$S/ufw-active"; echo "Firewall stopped and disabled on system startup" ;;
  *) echo "ufw stub: unsupported: $*" >&2; exit 1 ;;
esac`,
  // apt-get update: like apt, a source it cannot fetch is only a warning (exit 0)
  // unless APT::Update::Error-Mode=any makes it an error (exit 100).
  // apt-get install: refuses to change the version of a held package, as apt
  // does without --allow-change-held-packages.
  'apt-get': `
case $1 in
  update)
    strict=false
    for a in "$@"; do [[ $a != APT::Update::Error-Mode=any ]] || strict=true; done
    if [[ -s $S/k8s-mirror && -f $R/etc/apt/sources.list.d/kubernetes.list ]]; then
      echo "Err:1 https://pkgs.k8s.io/core:/stable:/v1.33/deb  InRelease"
      echo "  Could not connect to pkgs.k8s.io:443 (198.51.100.7). - connect (111: Connection refused)"
      if $strict; then
        echo "E: Failed to fetch https://pkgs.k8s.io/core:/stable:/v1.33/deb/InRelease  Could not connect to pkgs.k8s.io:443 (198.51.100.7). - connect (111: Connection refused)" >&2
        echo "E: Some index files failed to download. They have been ignored, or old ones used instead." >&2
        exit 100
      fi
      echo "W: Failed to fetch https://pkgs.k8s.io/core:/stable:/v1.33/deb/InRelease  Could not connect to pkgs.k8s.io:443 (198.51.100.7). - connect (111: Connection refused)" >&2
      echo "W: Some index files failed to download. They have been ignored, or old ones used instead." >&2
      exit 0
    fi
    : >>"$S/apt-updated" ;;
  install)
    shift
    for a in "$@"; do
      case $a in
        -*) continue ;;
        *=*) name=\${a%%=*} version=\${a#*=} ;;
        *) name=$a version=1.0-1 ;;
      esac
      last_line "$S/packages" "$name "
      read -r _ oldv olds <<<"$LAST"
      if [[ -n $LAST && \${olds:-installed} == installed ]] && has_line "$S/held" "$name" && [[ $oldv != "$version" ]]; then
        echo "The following held packages will be changed:" >&2
        echo "  $name" >&2
        echo "E: Held packages were changed and -y was used without --allow-change-held-packages." >&2
        exit 100
      fi
      echo "$name $version" >>"$S/packages"
    done ;;
  *) echo "apt-get stub: unsupported: $*" >&2; exit 1 ;;
esac`,
  'apt-cache': `
if [[ $1 == policy ]]; then
  c=$(<"$S/containerd-version")
  case $2 in
    containerd.io) candidate="$c-1" ;;
    containerd) candidate="$c~ds1-1" ;;
    *) candidate='(none)' ;;
  esac
  printf '%s:\\n  Installed: (none)\\n  Candidate: %s\\n  Version table:\\n' "$2" "$candidate"
  exit 0
fi
[[ $1 == madison ]]
[[ -f $R/etc/apt/sources.list.d/kubernetes.list && -e $S/apt-updated && ! -s $S/k8s-mirror ]] || exit 0
v=$(<"$S/k8s-version")
b=$(<"$S/k8s-build")
printf ' %10s | %s-%s | https://pkgs.k8s.io/core:/stable:/v%s/deb  Packages\\n' "$2" "$v" "$b" "\${v%.*}"
if [[ $b != 1.1 ]]; then
  printf ' %10s | %s-1.1 | https://pkgs.k8s.io/core:/stable:/v%s/deb  Packages\\n' "$2" "$v" "\${v%.*}"
fi
printf ' %10s | %s-1.1 | https://pkgs.k8s.io/core:/stable:/v%s/deb  Packages\\n' "$2" "\${v%.*}.0" "\${v%.*}"`,
  'apt-mark': `
case $1 in
  showhold) cat "$S/held" ;;
  hold)
    last_line "$S/packages" "$2 "
    [[ -n $LAST ]] || { echo "E: Unable to locate package $2" >&2; exit 100; }
    echo "$2" >>"$S/held"; echo "$2 set on hold." ;;
  *) exit 1 ;;
esac`,
  'dpkg': '[[ $1 == --print-architecture ]]; echo amd64',
  // dpkg's "want flag status" (dpkg-query(1)); a package dpkg never knew is an
  // error, as in dpkg-query's showpackages (guillemj/dpkg src/query/main.c).
  // Lines of $S/packages: "name version [status]", status installed by default.
  'dpkg-query': `
fmt='' pkg=''
for a in "$@"; do case $a in -W) ;; -f=*) fmt=\${a#-f=} ;; *) pkg=$a ;; esac; done
last_line "$S/packages" "$pkg "
line=$LAST
[[ -n $line ]] || { echo "dpkg-query: no packages found matching $pkg" >&2; exit 1; }
read -r _ version status <<<"$line"
status=\${status:-installed}
if [[ $status == not-installed ]]; then want=unknown version=''
elif has_line "$S/held" "$pkg"; then want=hold
elif [[ $status == config-files ]]; then want=deinstall
else want=install; fi
out=\${fmt//'\${Status}'/$want ok $status}
printf '%s' "\${out//'\${Version}'/$version}"`,
  'rpm': `
[[ $1 == -q ]]
pkg=\${*: -1}
last_line "$S/packages" "$pkg "
line=$LAST
if [[ -z $line ]]; then echo "package $pkg is not installed"; exit 1; fi
if [[ $2 == --qf ]]; then printf '%s' "\${line#* }"; else echo "$pkg-\${line#* }-1.x86_64"; fi`,
  'dnf': `
[[ $1 == install ]]
shift
excludes_off=false
for a in "$@"; do [[ $a != --disableexcludes=kubernetes ]] || excludes_off=true; done
for a in "$@"; do
  case $a in
    -*) ;;
    *)
      if [[ $a =~ ^(.+)-([0-9][0-9.]*)$ ]]; then name=\${BASH_REMATCH[1]} version=\${BASH_REMATCH[2]}; else name=$a version=1.0; fi
      if [[ -s $S/k8s-mirror && -f $R/etc/yum.repos.d/kubernetes.repo ]]; then
        echo "Errors during downloading metadata for repository 'kubernetes':" >&2
        echo "  - Curl error (7): Couldn't connect to server for https://pkgs.k8s.io/core:/stable:/v1.33/rpm/repodata/repomd.xml" >&2
        echo "Error: Failed to download metadata for repo 'kubernetes': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried" >&2
        exit 1
      fi
      case $name in
        kubelet | kubeadm | kubectl)
          if ! $excludes_off && grep -q '^exclude=.*kubeadm' "$R/etc/yum.repos.d/kubernetes.repo" 2>/dev/null; then
            echo "Error: Unable to find a match: $a (excluded by the kubernetes repository)" >&2; exit 1
          fi ;;
      esac
      echo "$name $version" >>"$S/packages" ;;
  esac
done`,
  'curl': `
out='' url=''
while (($# > 0)); do
  case $1 in
    -o) out=$2; shift ;;
    --proto | --retry) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
if [[ $url == https://pkgs.k8s.io/* && $(<"$S/k8s-mirror") == down ]]; then
  echo "curl: (7) Failed to connect to pkgs.k8s.io port 443 after 2 ms: Couldn't connect to server" >&2
  exit 7
fi
if [[ -s $S/key-fingerprint ]]; then fpr=$(cat "$S/key-fingerprint")
else
  case $url in
    */debian/gpg | */ubuntu/gpg) fpr=${KEY_FINGERPRINTS.dockerDeb} ;;
    */centos/gpg | */rhel/gpg | */fedora/gpg) fpr=${KEY_FINGERPRINTS.dockerRpm} ;;
    *) fpr=${KEY_FINGERPRINTS.kubernetes} ;;
  esac
fi
printf -- '-----BEGIN PGP PUBLIC KEY BLOCK-----\\nComment: sandbox key from %s\\nfingerprint:%s\\n-----END PGP PUBLIC KEY BLOCK-----\\n' "$url" "$fpr" >"$out"`,
  'gpg': `
file=\${*: -1}
last_line "$file" fingerprint:
fpr=\${LAST#fingerprint:}
[[ -n $fpr ]] || { echo "gpg: no valid OpenPGP data found." >&2; exit 2; }
echo "pub:-:2048:1:\${fpr: -16}:1661385600:::-:::scESC::::::23::0:"
echo "fpr:::::::::$fpr:"
echo "uid:-::::1661385600::0::sandbox key::::::::::0:"`,
  'containerd': `
v=$(<"$S/containerd-version")
if [[ $1 == --version ]]; then echo "containerd github.com/containerd/containerd v$v 88bf19b2105c8b17560993bee28a01ddc2f97182"; exit 0; fi
[[ "$*" == "config default" ]]
if [[ $v == 1.* ]]; then cat <<'TOML'
disabled_plugins = []
version = 2

[plugins]

  [plugins."io.containerd.grpc.v1.cri"]
    enable_selinux = false
    sandbox_image = "registry.k8s.io/pause:3.8"

    [plugins."io.containerd.grpc.v1.cri".containerd]
      default_runtime_name = "runc"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes]

        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
          runtime_type = "io.containerd.runc.v2"

          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
            BinaryName = ""
            SystemdCgroup = false

    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = ""

      [plugins."io.containerd.grpc.v1.cri".registry.mirrors]
TOML
else cat <<'TOML'
version = 3
root = '/var/lib/containerd'

[plugins]
  [plugins.'io.containerd.cri.v1.images']
    snapshotter = 'overlayfs'

    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = 'registry.k8s.io/pause:3.10'

    [plugins.'io.containerd.cri.v1.images'.registry]
      config_path = ''

  [plugins.'io.containerd.cri.v1.runtime']
    enable_selinux = false

    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = 'runc'

      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes]
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
          runtime_type = 'io.containerd.runc.v2'

          [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
            BinaryName = ''
            ShimCgroup = ''

  [plugins.'io.containerd.transfer.v1.local']
    config_path = '/etc/containerd/certs.d:/etc/docker/certs.d'
TOML
fi`,
  // Bootstrap tokens: token N is abcdNN.0123456789abcdNN (token ID abcdNN).
  // init creates one, as kubeadm does, and prints a join line with it unless
  // --skip-token-print; join takes only --config FILE and checks it is readable
  // by root only, keeping a copy outside the root for the tests.
  'kubeadm': `
new_token() {
  local n=0
  if [[ -f $S/tokens ]]; then n=$(<"$S/tokens"); fi
  n=$((n + 1)); echo "$n" >"$S/tokens"
  echo "$n $1" >>"$S/token-descriptions"
  printf -v TOKEN 'abcd%02d.0123456789abcd%02d' "$n" "$n"
}
# register_node CONFIG: the Node kubelet registers: nodeRegistration.name, or the host name.
register_node() {
  local name
  last_line "$1" "  name: "
  name=\${LAST#*: }; name=\${name//\\"/}
  if [[ -z $name ]]; then name=$(<"$R/etc/hostname"); fi
  has_line "$S/nodes" "$name" || echo "$name" >>"$S/nodes"
}
case "$1 \${2:-}" in
  "config images")
    v='' repo=registry.k8s.io
    while (($# > 0)); do case $1 in --kubernetes-version) v=$2; shift ;; --image-repository) repo=$2; shift ;; esac; shift; done
    for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do echo "$repo/$c:$v"; done
    echo "$repo/coredns:v1.12.0"; echo "$repo/pause:3.10"; echo "$repo/etcd:3.5.21-0" ;;
  "certs certificate-key")
    n=0; if [[ -f $S/generated-keys ]]; then n=$(wc -l <"$S/generated-keys"); fi
    key=$(printf 'a%063d' "$((n + 1))")
    echo "$key" >>"$S/generated-keys"
    echo "$key" ;;
  "init phase")
    [[ $3 == upload-certs && $4 == --upload-certs && -f $R/etc/kubernetes/admin.conf ]] || { echo "kubeadm stub: unsupported: $*" >&2; exit 1; }
    n=0; if [[ -f $S/certificate-keys ]]; then n=$(wc -l <"$S/certificate-keys"); fi
    key=$(printf 'c%063d' "$((n + 1))")
    echo "$key" >>"$S/certificate-keys"
    echo "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace"
    echo "[upload-certs] Using certificate key:"
    echo "$key" ;;
  "init "*)
    [[ $2 == --config && -f $3 ]] || { echo "kubeadm stub: init needs --config FILE" >&2; exit 1; }
    skip=false
    for a in "$@"; do [[ $a != --skip-token-print ]] || skip=true; done
    # Static pods present when init runs (kube-vip must be, to hold the endpoint's address).
    if [[ -f $R/etc/kubernetes/manifests/kube-vip.yaml ]]; then cat "$R/etc/kubernetes/manifests/kube-vip.yaml" >"$S/kube-vip-at-init.yaml"; fi
    mkdir -p "$R/etc/kubernetes"
    printf 'apiVersion: v1\\nkind: Config\\n# sandbox admin kubeconfig\\n' >"$R/etc/kubernetes/admin.conf"
    printf 'apiVersion: v1\\nkind: Config\\n# sandbox kubelet kubeconfig\\n' >"$R/etc/kubernetes/kubelet.conf"
    echo 1 >"$S/etcd-members"
    register_node "$3"
    last_line "$3" "  - description: "
    d=\${LAST#*: }
    new_token "\${d:-<none>}"
    upload=false skipkey=false
    for a in "$@"; do [[ $a != --upload-certs ]] || upload=true; [[ $a != --skip-certificate-key-print ]] || skipkey=true; done
    if $upload; then
      last_line "$3" "certificateKey: "
      key=\${LAST#*: }; key=\${key//\\"/}
      [[ -n $key ]] || { key=$(printf 'b%063d' 1); }
      echo "$key" >>"$S/certificate-keys"
      echo "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace"
      if ! $skipkey; then echo "[upload-certs] Using certificate key:"; echo "$key"; fi
    fi
    echo "Your Kubernetes control-plane has initialized successfully!"
    if $skip; then
      echo "kubeadm join 192.168.56.10:6443 --token <value withheld> --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH}"
    else
      echo "kubeadm join 192.168.56.10:6443 --token $TOKEN --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH}"
    fi ;;
  "token create")
    [[ -f $R/etc/kubernetes/admin.conf ]] || { echo "kubeadm stub: no admin.conf" >&2; exit 1; }
    d='<none>'
    while (($# > 0)); do case $1 in --description) d=$2; shift ;; esac; shift; done
    new_token "$d"
    printf 'kubeadm join 192.168.56.10:6443 --token %s --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH} \\n' "$TOKEN" ;;
  "token delete")
    for id in "\${@:3}"; do
      case $id in --*) break ;; esac
      [[ $id =~ ^abcd([0-9]{2})$ ]] || { echo "kubeadm stub: token ID $id not found" >&2; exit 1; }
      echo "$((10#\${BASH_REMATCH[1]}))" >>"$S/deleted-tokens"
      echo "bootstrap token \\"$id\\" deleted"
    done ;;
  "token list")
    printf 'TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION   EXTRA GROUPS\\n'
    tokens=0; if [[ -f $S/tokens ]]; then tokens=$(<"$S/tokens"); fi
    for ((n = 1; n <= tokens; n++)); do
      if has_line "$S/deleted-tokens" "$n"; then continue; fi
      ttl=23h
      if has_line "$S/expired-tokens" "$n"; then ttl='<invalid>'; fi
      last_line "$S/token-descriptions" "$n "
      printf 'abcd%02d.0123456789abcd%02d   %s         2030-01-01T00:00:00Z   authentication,signing   %s   system:bootstrappers:kubeadm:default-node-token\\n' "$n" "$n" "$ttl" "\${LAST#* }"
    done ;;
  "join "*)
    [[ $2 == --config && -f $3 && $# -eq 3 ]] || { echo "kubeadm stub: join takes only --config FILE here" >&2; exit 1; }
    # kubeadm join's preflight (DirAvailable--etc-kubernetes-manifests).
    if [[ -d $R/etc/kubernetes/manifests ]] && [[ -n $(ls -A "$R/etc/kubernetes/manifests") ]]; then
      echo "[ERROR DirAvailable--etc-kubernetes-manifests]: /etc/kubernetes/manifests is not empty" >&2; exit 1
    fi
    mode=$(stat -c '%a' "$3")
    [[ $mode == 600 ]] || { echo "kubeadm stub: $3 has mode $mode, readable by others" >&2; exit 1; }
    cat "$3" >"$S/join-configuration"
    mkdir -p "$R/etc/kubernetes"
    last_line "$3" "  certificateKey: "
    if [[ -n $LAST ]]; then
      key=\${LAST#*: }; key=\${key//\\"/}
      has_line "$S/certificate-keys" "$key" || { echo "error downloading certs: error decoding certificate key" >&2; exit 1; }
      printf 'apiVersion: v1\\nkind: Config\\n# sandbox admin kubeconfig (joined)\\n' >"$R/etc/kubernetes/admin.conf"
      m=1; if [[ -f $S/etcd-members ]]; then m=$(<"$S/etcd-members"); fi
      echo "$((m + 1))" >"$S/etcd-members"
    fi
    printf 'apiVersion: v1\\nkind: Config\\n# sandbox kubelet kubeconfig\\n' >"$R/etc/kubernetes/kubelet.conf"
    register_node "$3" ;;
  *) echo "kubeadm stub: unsupported: $*" >&2; exit 1 ;;
esac`,
  // kubectl: needs a kubeconfig, as the real one does (without one it falls back
  // to localhost:8080; an explicit --kubeconfig must exist: client-go's
  // clientcmd loading rules). Answers the etcd static pods, one per member
  // ($S/etcd-members, shared by the sandboxes of one cluster through the
  // test), and labels the Nodes kubeadm registered ($S/nodes), with the
  // messages and the --overwrite rule of kubectl's label command
  // (kubernetes/kubectl pkg/cmd/label/label.go: validateNoOverwrites,
  // updateDataChangeMsg). Labels are kept as "node key=value" lines in $S/labels.
  'kubectl': `
kubeconfig=\${KUBECONFIG:-} explicit=false args=()
while (($# > 0)); do
  case $1 in
    --kubeconfig) kubeconfig=$2; explicit=true; shift ;;
    --kubeconfig=*) kubeconfig=\${1#*=}; explicit=true ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [[ -z $kubeconfig || ! -f $kubeconfig ]]; then
  if $explicit; then echo "error: stat $kubeconfig: no such file or directory" >&2; exit 1; fi
  echo "The connection to the server localhost:8080 was refused - did you specify the right host or port?" >&2; exit 1
fi
set -- "\${args[@]}"
unsupported() { echo "kubectl stub: unsupported: $*" >&2; exit 1; }
case $1 in
  get)
    [[ "$*" == "get pods -n kube-system -l component=etcd -o name" ]] || unsupported "$@"
    m=0; if [[ -f $S/etcd-members ]]; then m=$(<"$S/etcd-members"); fi
    for ((i = 1; i <= m; i++)); do echo "pod/etcd-cp$i"; done ;;
  label)
    shift
    overwrite=false kind='' name='' specs=()
    for a in "$@"; do
      case $a in
        --overwrite | --overwrite=true) overwrite=true ;;
        -*) unsupported label "$@" ;;
        *=*) specs+=("$a") ;;
        *) if [[ -z $kind ]]; then kind=$a; elif [[ -z $name ]]; then name=$a; else unsupported label "$@"; fi ;;
      esac
    done
    if [[ $kind == */* ]]; then name=\${kind#*/}; kind=\${kind%%/*}; fi
    [[ $kind == node || $kind == nodes || $kind == no ]] && [[ -n $name ]] && ((\${#specs[@]} > 0)) || unsupported label "$@"
    has_line "$S/nodes" "$name" || { echo "Error from server (NotFound): nodes \"$name\" not found" >&2; exit 1; }
    for spec in "\${specs[@]}"; do
      last_line "$S/labels" "$name \${spec%%=*}="
      if [[ -n $LAST ]] && ! $overwrite; then
        echo "error: '\${spec%%=*}' already has a value (\${LAST#*=}), and --overwrite is false" >&2; exit 1
      fi
    done
    changed=false
    for spec in "\${specs[@]}"; do
      last_line "$S/labels" "$name \${spec%%=*}="
      if [[ $LAST != "$name $spec" ]]; then echo "$name $spec" >>"$S/labels"; changed=true; fi
    done
    if $changed; then echo "node/$name labeled"; else echo "node/$name not labeled"; fi ;;
  *) unsupported "$@" ;;
esac`,
  'getent': '[[ $1 == passwd && $2 == alice ]] || exit 2; echo "alice:x:1000:1000:Alice:/home/alice:/bin/bash"',
  // Ownership is recorded rather than changed (the tests need not run as root);
  // the stat wrapper below reports it.
  'chown': 'owner=$1; shift; for f in "$@"; do echo "$f $owner" >>"$S/owners"; done',
};

/** `stat` reports recorded owners for `-c %u:%g` and is the real stat otherwise; it is not logged. */
const STAT_WRAPPER = (realStat: string) => `set -euo pipefail
if [[ $# -eq 3 && $1 == -c && $2 == '%u:%g' ]]; then
  owner=''
  if [[ -f $SANDBOX_STATE/owners ]]; then
    while IFS= read -r line; do if [[ $line == "$3 "* ]]; then owner=$line; fi; done <"$SANDBOX_STATE/owners"
  fi
  if [[ -n $owner ]]; then echo "\${owner##* }"; exit 0; fi
fi
exec ${realStat} "$@"
`;

/**
 * `chmod` is the real chmod, but first notes in chmod.log, for `chmod MODE
 * FILE`, the file's mode and size before the change: a secret file whose mode
 * is tightened only after bytes were written shows up there.
 */
const CHMOD_WRAPPER = (realChmod: string, realStat: string) => `set -euo pipefail
if [[ $# -eq 2 && -f $2 ]]; then
  printf '%s %s %s\\n' "$2" "$(${realStat} -c '%a %s' "$2")" "$1" >>"$SANDBOX_STATE/chmod.log"
fi
exec ${realChmod} "$@"
`;

const OS_RELEASE: Record<SandboxOs, string> = {
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
  ubuntu: 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=noble\n',
  rocky: 'NAME="Rocky Linux"\nVERSION="9.4 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n',
  alpine: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME="Alpine Linux v3.20"\n',
};

/**
 * A sandbox maker for one describe block: every sandbox it makes is disposed
 * once the block's tests are done.
 */
export function disposableSandboxes(): (options: SandboxOptions) => Sandbox {
  const made: Sandbox[] = [];
  afterAll(() => made.forEach((s) => s.dispose()));
  return (options) => {
    const s = new Sandbox(options);
    made.push(s);
    return s;
  };
}

export class Sandbox {
  /** The directory the scripts see as `/`. */
  public readonly root: string;
  /** The stubs' state (outside the root). */
  public readonly state: string;
  private readonly dir: string;
  private readonly bin: string;

  constructor(private readonly options: SandboxOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-sandbox-'));
    this.root = path.join(this.dir, 'root');
    this.state = path.join(this.dir, 'state');
    this.bin = path.join(this.dir, 'bin');
    for (const d of [this.root, this.bin, path.join(this.dir, 'tmp'), path.join(this.dir, 'scripts')]) {
      fs.mkdirSync(d, { recursive: true });
    }
    this.installTools();
    this.seedRoot();
    this.seedState();
  }

  /**
   * Runs a script with bash; resolves to its output and the stub invocations it
   * made. Asynchronous so that independent sandboxes can run side by side; runs
   * in one sandbox must not overlap.
   */
  public run(name: string, content: string, args: string[] = [], env: Record<string, string> = {}, input?: string): Promise<SandboxRun> {
    const file = path.join(this.dir, 'scripts', name);
    fs.writeFileSync(file, content, { mode: 0o755 });
    const log = path.join(this.state, 'commands.log');
    const before = fs.readFileSync(log, 'utf8').length;
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.bin, 'bash'), [file, ...args], {
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // Catches a hung script; generous because the machine running the tests may be busy.
        timeout: 120_000,
        env: {
          PATH: this.bin,
          HOME: path.join(this.dir, 'home'),
          TMPDIR: path.join(this.dir, 'tmp'),
          LC_ALL: 'C',
          CDK8S_SPARK_ROOT: this.root,
          SANDBOX_STATE: this.state,
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.on('error', reject);
      if (input !== undefined) {
        child.stdin!.end(input);
      }
      child.on('close', (code) => {
        const commands = fs.readFileSync(log, 'utf8').slice(before).split('\n').filter((l) => l.length > 0);
        resolve({ status: code ?? 1, stdout, stderr, commands });
      });
    });
  }

  /** Every file and symlink below the root: relative path → `mode sha256`. */
  public snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        const rel = path.relative(this.root, full);
        if (entry.isDirectory()) {
          walk(full);
        } else if (entry.isSymbolicLink()) {
          out[rel] = `link ${fs.readlinkSync(full)}`;
        } else {
          const mode = (fs.statSync(full).mode % 0o10000).toString(8);
          out[rel] = `${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
        }
      }
    };
    walk(this.root);
    return out;
  }

  /** The mirror publishes a new build of the offered version, e.g. `2.1`. */
  public offerBuild(build: string): void {
    fs.writeFileSync(path.join(this.state, 'k8s-build'), build);
  }

  /** Writes a stub state file, e.g. the cluster state another sandbox's control plane made. */
  public setState(file: string, content: string): void {
    fs.writeFileSync(path.join(this.state, file), content);
  }

  /** Reads a file below the root, e.g. `etc/fstab`. */
  public read(file: string): string {
    return fs.readFileSync(path.join(this.root, file), 'utf8');
  }

  public exists(file: string): boolean {
    return fs.existsSync(path.join(this.root, file));
  }

  /** The octal mode of a file below the root, e.g. `755`. */
  public mode(file: string): string {
    return (fs.statSync(path.join(this.root, file)).mode % 0o1000).toString(8);
  }

  /** Reads a stub state file, e.g. `packages` or `systemd/enabled/containerd`. */
  public stateOf(file: string): string | undefined {
    const full = path.join(this.state, file);
    return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
  }

  /** Writes a file below the root. */
  public write(file: string, content: string): void {
    const full = path.join(this.root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }

  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private installTools(): void {
    const searchPath = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
    for (const tool of TOOLS) {
      const real = searchPath.map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
      if (!real) {
        throw new Error(`sandbox: ${tool} not found on this machine`);
      }
      fs.symlinkSync(real, path.join(this.bin, tool));
    }
    // Stubs start bash directly (no env lookup): they run hundreds of times.
    const bash = fs.realpathSync(path.join(this.bin, 'bash'));
    const without = new Set(this.options.without ?? []);
    for (const [name, body] of Object.entries(STUBS)) {
      if (!without.has(name)) {
        fs.writeFileSync(path.join(this.bin, name), `#!${bash}\n${PROLOGUE}${body.replace(/^\n/, '')}\n`, { mode: 0o755 });
      }
    }
    const realStat = ['/usr/bin/stat', '/bin/stat'].find((p) => fs.existsSync(p));
    if (!realStat) {
      throw new Error('sandbox: stat not found on this machine');
    }
    fs.writeFileSync(path.join(this.bin, 'stat'), `#!${bash}\n${STAT_WRAPPER(realStat)}`, { mode: 0o755 });
    const realChmod = ['/usr/bin/chmod', '/bin/chmod'].find((p) => fs.existsSync(p));
    if (!realChmod) {
      throw new Error('sandbox: chmod not found on this machine');
    }
    fs.writeFileSync(path.join(this.bin, 'chmod'), `#!${bash}\n${CHMOD_WRAPPER(realChmod, realStat)}`, { mode: 0o755 });
    if (!without.has('yum')) {
      fs.writeFileSync(path.join(this.bin, 'yum'), `#!${bash}\n${PROLOGUE}${STUBS.dnf}\n`, { mode: 0o755 });
    }
  }

  private seedRoot(): void {
    const o = this.options;
    const hostname = o.hostname ?? `${o.os}-box`;
    const rhel = o.os === 'rocky';
    this.write('etc/os-release', OS_RELEASE[o.os]);
    this.write('etc/hostname', `${hostname}\n`);
    this.write('etc/hosts', `127.0.0.1 localhost\n127.0.1.1 ${hostname}\n`);
    this.write('etc/fstab', '# static file system information\nUUID=1111-aaaa / ext4 errors=remount-ro 0 1\n'
      + '/swap.img none swap sw 0 0\n');
    this.write('proc/meminfo', `MemTotal:       ${(o.memoryMib ?? 4096) * 1024} kB\nMemFree:         1000000 kB\n`);
    this.write('proc/swaps', 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swap.img\tfile\t\t2097148\t\t0\t\t-2\n');
    this.write('proc/sys/net/ipv4/ip_forward', '0\n');
    this.write('sys/class/dmi/id/product_uuid', '4c4c4544-0042-3510-8056-b4c04f4d3232\n');
    this.write('sys/class/net/eth0/address', '08:00:27:aa:bb:cc\n');
    this.write('sys/class/net/lo/address', '00:00:00:00:00:00\n');
    if (rhel) {
      this.write('etc/selinux/config', 'SELINUX=enforcing\nSELINUXTYPE=targeted\n');
    }
    fs.mkdirSync(path.join(this.dir, 'home'), { recursive: true });
  }

  private seedState(): void {
    const o = this.options;
    const s = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(this.state, file)), { recursive: true });
      fs.writeFileSync(path.join(this.state, file), content);
    };
    s('commands.log', '');
    s('uid', `${o.uid ?? 0}\n`);
    s('cpus', `${o.cpus ?? 4}\n`);
    s('ips', (o.ips ?? ['10.0.2.15']).join('\n') + '\n');
    s('listening', (o.listeningPorts ?? [22]).join('\n') + '\n');
    s('containerd-version', `${o.containerdVersion ?? '1.7.24'}\n`);
    s('k8s-version', o.offeredKubernetesVersion ?? '1.33.1');
    s('k8s-build', o.offeredBuild ?? '1.1');
    s('k8s-mirror', o.kubernetesMirror ?? '');
    s('key-fingerprint', o.keyFingerprint ?? '');
    s('packages', Object.entries(o.dpkgPackages ?? {}).map(([name, p]) => `${name} ${p.version} ${p.status}\n`).join(''));
    s('held', '');
    s('ufw-rules', '');
    s('owners', '');
    s('selinux', o.os === 'rocky' ? 'Enforcing\n' : 'Disabled\n');
    s('firewalld/ports', '');
    s('firewalld/sources', '');
    s('systemd/swap-units', 'swap.img.swap loaded active active /swap.img\n');
    for (const d of ['enabled', 'active', 'masked']) {
      fs.mkdirSync(path.join(this.state, 'systemd', d), { recursive: true });
    }
    const firewall = o.firewall ?? (o.os === 'rocky' ? 'firewalld' : 'ufw');
    if (firewall === 'firewalld') {
      s('systemd/enabled/firewalld', '');
      s('systemd/active/firewalld', '');
    } else if (firewall === 'ufw') {
      s('ufw-active', '');
    }
  }
}
