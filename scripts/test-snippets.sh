#!/usr/bin/env bash
# `npx projen test:snippets` (after `npx projen compile`): every TypeScript
# sample of README.md, docs/*.md and the `@example` doc comments compiles
# against the built library, strictly, in its jsii-rosetta fixture
# (rosetta/default.ts-fixture, or the one its fence names: `ts fixture=NAME`,
# `ts nofixture`):
#   README.md and @example  jsii-rosetta extract --strict on the assembly; the
#                           translations go into .jsii.tabl.json, which
#                           jsii-pacmak reads (test:jsii-targets), so the other
#                           languages get type-aware samples;
#   docs/*.md               scripts/snippets/check-markdown.ts, the same
#                           compilation (they are not part of the assembly).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -f .jsii ]] || {
  echo "test:snippets: no .jsii assembly; run npx projen compile first" >&2
  exit 1
}
# The assembly carries README.md as it was when compiled.
node -e '
const fs = require("fs");
if (JSON.parse(fs.readFileSync(".jsii", "utf8")).readme?.markdown !== fs.readFileSync("README.md", "utf8")) process.exit(1);
' || {
  echo "test:snippets: README.md changed since the assembly was built; run npx projen compile first" >&2
  exit 1
}
now() { date +%s%3N; }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

start=$(now)
# Every sample compiled afresh: rosetta would reuse the last run's tablet for
# an unchanged sample, and it fingerprints only this library's types, not
# those of cdk8s and cdk8s-plus.
rm -f .jsii.tabl.json
npx jsii-rosetta extract --strict .jsii
extract_ms=$(($(now) - start))
assembly=$(node -e '
const snippets = Object.values(require("./.jsii.tabl.json").snippets);
const readme = snippets.filter((s) => s.location.api.api === "moduleReadme").length;
const examples = snippets.filter((s) => s.location.field?.field === "example").length;
if (snippets.some((s) => !s.didCompile)) {
  console.error("test:snippets: a sample of the assembly did not compile");
  process.exit(1);
}
console.log("README.md " + readme + ", @example " + examples);
')

start=$(now)
npx ts-node --transpile-only scripts/snippets/check-markdown.ts docs/*.md
docs_ms=$(($(now) - start))

echo "test:snippets: compiled (jsii-rosetta, strict): $assembly in $(seconds "$extract_ms") s; docs/*.md in $(seconds "$docs_ms") s"
