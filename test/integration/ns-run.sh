#!/usr/bin/env bash
# ns-run.sh COMMAND...: runs inside the test's fresh mount, UTS, IPC, network
# and PID namespaces (unshare, see rootfs.ts) and runs COMMAND chrooted in the
# node's root file system IT_ROOT. Everything it mounts lives in the private
# mount namespace and goes away with it; the network namespace has only
# loopback, carrying the node's declared addresses and the package mirror.
set -euo pipefail
root=$IT_ROOT

ip link set lo up
for address in $IT_ADDRESSES; do
  ip addr add "$address/32" dev lo
done
hostname "$(<"$root/etc/hostname")"

mount -t proc proc "$root/proc"
# Kernel settings stay read-only, as container runtimes mount them: a
# maintainer script or recorder bug cannot change the running kernel.
for p in sys sysrq-trigger irq bus fs; do
  if [[ -e $root/proc/$p ]]; then
    mount --bind "$root/proc/$p" "$root/proc/$p"
    mount -o remount,bind,ro "$root/proc/$p"
  fi
done
mkdir -p "$root/run/it" "$root/run/it-cluster"
mount --bind "$IT_DIR" "$root/run/it"
mount --bind "$IT_CLUSTER_DIR" "$root/run/it-cluster"

pids=()
if [[ $IT_MIRROR != down ]]; then
  rm -f "$IT_DIR/mirror-ready"
  "$IT_NODE" "$IT_SERVER" "$IT_MIRROR_ROOT" "$IT_PORT" "$IT_DIR/access.log" "$IT_MIRROR" "$IT_DIR/mirror-ready" &
  pids+=($!)
  for _ in $(seq 200); do
    [[ -f $IT_DIR/mirror-ready ]] && break
    sleep 0.05
  done
  [[ -f $IT_DIR/mirror-ready ]] || {
    echo "ns-run: the mirror did not start" >&2
    exit 90
  }
fi

# Samples the process list while the command runs: a secret on any command
# line shows here.
(
  while :; do
    chroot "$root" ps -e -ww -o pid=,args= >>"$IT_DIR/ps-samples.log" 2>/dev/null || true
    echo --- >>"$IT_DIR/ps-samples.log"
    sleep 0.1
  done
) &
pids+=($!)

# The command's environment comes from a 0600 file, never from a command line.
set +e
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  /bin/bash -c 'set -a; . /run/it/env; set +a; exec "$@"' ns-run "$@"
rc=$?
kill "${pids[@]}" 2>/dev/null
wait 2>/dev/null
exit "$rc"
