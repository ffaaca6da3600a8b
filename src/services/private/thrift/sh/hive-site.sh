# shellcheck shell=bash disable=SC2154
# ---- hive-site ----------------------------------------------------------------
# Settings (rendered before the shared library): OUT, the file to write, and
# ENTRIES, one "KEY ENV" line per setting: the Hive key and the environment
# variable holding its value.
umask 077

# xml_text VALUE: prints VALUE escaped for XML element text.
xml_text() {
  local value=$1
  value=${value//'&'/'&amp;'}
  value=${value//'<'/'&lt;'}
  value=${value//'>'/'&gt;'}
  printf '%s' "${value}"
}

count=0
{
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n'
  while read -r key env; do
    [[ -n ${key} ]] || continue
    [[ -n ${!env+set} ]] || die "${env} (the value of ${key}) is not set"
    printf '  <property>\n    <name>%s</name>\n    <value>' "${key}"
    xml_text "${!env}"
    printf '</value>\n  </property>\n'
    count=$((count + 1))
  done <<<"${ENTRIES}"
  printf '</configuration>\n'
} >"${OUT}.tmp"
# Moved into place whole: the server never reads a half-written file.
mv "${OUT}.tmp" "${OUT}"
log "wrote ${OUT} (${count} settings)"
