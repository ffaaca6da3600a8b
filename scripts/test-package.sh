#!/usr/bin/env bash
# `npx projen test:package` (after `npx projen compile`): packs the library as
# npm would publish it, puts the tarball into a brand-new app next to the
# peers (offline: unpacked where npm installs it, the peers copied from the
# repository's install), and synthesizes the README's minimal app there with
# plain Node. The manifests
# must be exactly those the sources give (test/package/minimal-app.js run
# against src/ through ts-node), and the tarball must hold only the library
# and its bundled dependencies. Last, the packed validation plugin
# (lib/validation/plugin.js) checks those manifests there, as `cdk8s synth`
# would load it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

[[ -f lib/index.js ]] || {
  echo "test:package: lib/ is not compiled; run npx projen compile first" >&2
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(npm pack --silent --pack-destination "$work")
echo "packed $tarball"
unexpected=$(tar -tzf "$work/$tarball" | sed 's|^package/||' | grep -Ev '^(lib/|node_modules/|package\.json$|README\.md$|LICENSE$|API\.md$|\.jsii$)' || true)
if [[ -n $unexpected ]]; then
  echo "test:package: the tarball holds more than the library:" >&2
  echo "$unexpected" >&2
  exit 1
fi

# The peers, as the repository installed them (they bundle their own
# dependencies), and the tarball unpacked where npm would put it: offline.
mkdir -p "$work/app/node_modules"
for peer in cdk8s cdk8s-plus-28 constructs; do
  cp -R "node_modules/$peer" "$work/app/node_modules/$peer"
done
mkdir "$work/app/node_modules/cdk8s-spark"
tar -xzf "$work/$tarball" -C "$work/app/node_modules/cdk8s-spark" --strip-components=1
version() { node -p "require('./node_modules/$1/package.json').version"; }
cat >"$work/app/package.json" <<JSON
{
  "name": "fresh-app",
  "private": true,
  "dependencies": {
    "cdk8s-spark": "$(node -p "require('./package.json').version")",
    "cdk8s": "$(version cdk8s)",
    "cdk8s-plus-28": "$(version cdk8s-plus-28)",
    "constructs": "$(version constructs)"
  }
}
JSON
cp test/package/minimal-app.js "$work/app/main.js"
# What npm checks on install: the peers' versions satisfy the package's ranges.
(cd "$work/app" && npm ls --all >/dev/null 2>&1) || {
  echo "test:package: the app's dependency tree is not what npm would accept (unmet or invalid peers):" >&2
  (cd "$work/app" && npm ls --all) >&2 || true
  exit 1
}

packed=$(cd "$work/app" && node main.js cdk8s-spark)
sources=$(npx ts-node --transpile-only test/package/minimal-app.js "$root/src")
if [[ $packed != "$sources" ]]; then
  echo "test:package: the packed library synthesizes other manifests than the sources:" >&2
  diff <(echo "$sources") <(echo "$packed") >&2 || true
  exit 1
fi
echo "test:package: the packed library installs offline into a new app and synthesizes what the sources do (${#packed} characters)"

# The packed validation plugin on the manifests the packed library wrote.
report=$(cd "$work/app" && cp "$root/test/package/validate-minimal-app.js" validate.js \
  && node validate.js "$root/node_modules/cdk8s-cli/lib/plugins/index.js" <<<"$packed") || {
  echo "test:package: the packed validation plugin failed on the minimal app:" >&2
  echo "$report" >&2
  exit 1
}
grep -q 'Violations    │ 0 ' <<<"$report" || {
  echo "test:package: unexpected report of the packed validation plugin:" >&2
  echo "$report" >&2
  exit 1
}
echo "test:package: the packed validation plugin checks the minimal app's manifests offline ($(grep -o -m1 '[0-9]* object(s)' <<<"$report")): no violations"
