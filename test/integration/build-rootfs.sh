#!/usr/bin/env bash
# build-rootfs.sh CACHE_DIR DIGEST SUITE MIRROR PACKAGE...: builds a Debian root
# file system with debootstrap into CACHE_DIR/rootfs-DIGEST, once. Concurrent
# callers wait on a lock; a half-built tree is never left under the final name.
set -euo pipefail
cache=$1 digest=$2 suite=$3 mirror=$4
shift 4
target=$cache/rootfs-$digest
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [[ -f $target/.complete ]]; then
  exit 0
fi
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
include=$(
  IFS=,
  echo "$*"
)
debootstrap --variant=minbase --include="$include" "$suite" "$work/root" "$mirror"
# The tests serve every package the scripts install from a local mirror; the
# Debian archive is not reachable inside the test's network namespace.
rm -f "$work/root/etc/apt/sources.list" "$work/root/etc/apt/sources.list.d/"*
rm -rf "$work/root/var/lib/apt/lists/"* "$work/root/var/cache/apt/archives/"*.deb
: >"$work/root/.complete"
rm -rf "$target"
mv "$work/root" "$target"
