#!/usr/bin/env bash
# `npx projen test:jsii-targets` (after `npx projen compile` and
# `npx projen test:snippets`): generates the Python, Java, Go and .NET bindings
# with jsii-pacmak (code only, into dist/jsii-targets/, git-ignored) and checks
# what can be checked offline.
# Only the npm registry and Debian packages are reachable here, not PyPI,
# Maven Central, the Go module proxy or NuGet, so no binding is built against
# its jsii runtime or the cdk8s, cdk8s-plus and constructs bindings:
#   Python  every generated module byte-compiles (python3 -m compileall), and
#           so does every Python sample of its README and doc comments
#           (translated by rosetta with type information, in the tablet
#           test:snippets compiled);
#   Java    every generated source parses (javac's parser, types unresolved);
#           pom.xml is well-formed;
#   Go      every generated file parses (gofmt -e); no go vet or build (they
#           need the modules);
#   .NET    generated only: Debian has no .NET SDK; the .csproj is well-formed.
# The reserved words kept in the API are generated as docs/jsii-languages.md
# says. A missing tool skips its check, saying so; with
# JSII_TARGETS_REQUIRE_TOOLS=1 (.ci/run) it fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -f .jsii ]] || {
  echo "test:jsii-targets: no .jsii assembly; run npx projen compile first" >&2
  exit 1
}
# The README's and the doc comments' samples, compiled and translated by
# test:snippets for this assembly (jsii rewrites .jsii on every compile).
[[ .jsii.tabl.json -nt .jsii ]] || {
  echo "test:jsii-targets: no .jsii.tabl.json newer than .jsii; run npx projen test:snippets first" >&2
  exit 1
}
out=dist/jsii-targets
now() { date +%s%3N; }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
count() { if [[ -d $out/$1 ]]; then find "$out/$1" -type f -name "$2" | wc -l; else echo 0; fi; }
summary=()
# A missing tool: the check is skipped, saying so, unless tools are required.
have() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [[ ${JSII_TARGETS_REQUIRE_TOOLS:-} == 1 ]]; then
    echo "test:jsii-targets: $1 is required (JSII_TARGETS_REQUIRE_TOOLS=1) but missing" >&2
    exit 1
  fi
  return 1
}
# The text of an element of an XML file (a path relative to the root element,
# `ns:` for the root's namespace): the file must be well-formed.
xml_text() {
  python3 - "$1" "$2" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
print(root.findtext(sys.argv[2].replace("ns:", ns), default="?"))
PY
}

rm -rf "$out"
start=$(now)
# The samples' translations come from .jsii.tabl.json (read by pacmak next to
# the assembly); --rosetta-unknown-snippets fail: a sample missing there would
# be translated without type information. --no-npmignore: pacmak must not edit
# the projen-managed .npmignore.
npx jsii-pacmak --code-only --targets python,java,go,dotnet --outdir "$out" --force \
  --no-npmignore --rosetta-unknown-snippets fail
pacmak_ms=$(($(now) - start))
echo "jsii-pacmak: python, java, go, dotnet generated in $(seconds "$pacmak_ms") s"
py=$(count python '*.py')
java=$(count java '*.java')
go=$(count go '*.go')
cs=$(count dotnet '*.cs')
for n in "$py" "$java" "$go" "$cs"; do
  ((n > 0)) || {
    echo "test:jsii-targets: a language got no code from jsii-pacmak (python $py, java $java, go $go, c# $cs files)" >&2
    exit 1
  }
done

# Python
if have python3; then
  python3 -m compileall -q "$out/python"
  samples=$(
    python3 - "$out/python/README.md" .jsii.tabl.json <<'PY'
import json, re, sys
blocks = re.findall(r"^```python\n(.*?)^```", open(sys.argv[1]).read(), re.M | re.S)
for i, block in enumerate(blocks):
    compile(block, f"README.md python sample {i + 1}", "exec")
# The @example samples, as pacmak puts them into the docstrings.
snippets = json.load(open(sys.argv[2]))["snippets"].values()
examples = [s for s in snippets if s["location"].get("field", {}).get("field") == "example"]
for s in examples:
    compile(s["translations"]["python"]["source"], f"@example of {s['location']['api']['fqn']}", "exec")
print(f"{len(blocks)} README and {len(examples)} @example samples")
PY
  )
  summary+=("Python  $py .py files: all byte-compile (python3 -m compileall), so do the $samples; not imported (the jsii runtime is on PyPI)")
else
  summary+=("Python  $py .py files: skipped, no python3")
fi

# Java
if have javac; then
  mapfile -t sources < <(find "$out/java" -type f -name '*.java' | sort)
  parsed=$(java scripts/jsii-targets/ParseJava.java "${sources[@]}")
  summary+=("Java    $java .java files: $parsed (javac's parser; types unresolved, not compiled: no Maven Central)")
else
  summary+=("Java    $java .java files: skipped, no javac")
fi
if have python3; then
  summary+=("        pom.xml well-formed: $(xml_text "$out/java/pom.xml" ns:groupId):$(xml_text "$out/java/pom.xml" ns:artifactId)")
fi

# Go
if have gofmt; then
  # -e: every syntax error; -l: the files gofmt would reformat (pacmak does
  # not format code-only output: blank lines at the end, doc comment lists).
  unformatted=$(gofmt -e -l "$out/go" | wc -l)
  summary+=("Go      $go .go files: all parse (gofmt -e; $unformatted not gofmt-formatted, cosmetic); no go vet or build (the modules need the Go proxy)")
else
  summary+=("Go      $go .go files: skipped, no gofmt")
fi

# .NET
csproj=$(find "$out/dotnet" -name '*.csproj' | head -n 1)
summary+=(".NET    $cs .cs files: generated only, not compiled (Debian has no .NET SDK, NuGet is not reachable)")
if have python3; then
  summary+=("        $(basename "$csproj") well-formed: PackageId $(xml_text "$csproj" .//PackageId)")
fi

reserved=$(npx ts-node --transpile-only scripts/jsii-targets/reserved-words.ts "$out")

echo
echo "test:jsii-targets: $out (jsii-pacmak $(seconds "$pacmak_ms") s)"
printf '  %s\n' "${summary[@]}" "$reserved"
