# shellcheck shell=sh disable=SC2034,SC2154
# ---- shared library (cdk8s-spark) -----------------------------------------

# Shared by every script the library generates for machines and containers.
# POSIX sh, so that the registry's BusyBox sh runs it as bash does. The
# script sets SCRIPT_NAME before it; usage() is the script's own.
DRY_RUN=false
CHANGES=0
# DIED: die() was the cause of the exit (an exit handler may read it).
# shellcheck disable=SC2034
DIED=false

log() {
  printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
}

die() {
  # shellcheck disable=SC2034
  DIED=true
  log "error: $*"
  exit 1
}

have() {
  command -v "$1" >/dev/null 2>&1
}

# run COMMAND...: a command that changes something. A dry run prints it instead.
run() {
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" = true ]; then
    log "dry-run: would run: $*"
    return 0
  fi
  log "run: $*"
  "$@"
}

# run_redacted DESCRIPTION COMMAND...: like run, but logs DESCRIPTION instead of
# the command line, for commands that carry a secret.
run_redacted() {
  _run_description=$1
  shift
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" = true ]; then
    log "dry-run: would run: $_run_description"
    return 0
  fi
  log "run: $_run_description"
  "$@"
}

# parse_options TABLE ARG...: parses the arguments by a table, one option a
# line: "PATTERN set NAME=VALUE" (a flag), "PATTERN value NAME" (the next
# argument is NAME's value) or "PATTERN call FUNCTION" (FUNCTION gets the
# argument). PATTERN is a case pattern, e.g. --token=* or [!-]* for operands;
# the first matching line wins. -h and --help print usage; anything else is
# an error.
parse_options() {
  _opt_table=$1
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      -h | --help)
        usage
        exit 0
        ;;
    esac
    _opt_row "$1"
    case $_opt_kind in
      set) _opt_assign "${_opt_target%%=*}" "${_opt_target#*=}" ;;
      value)
        [ $# -gt 1 ] || die "$1 needs a value"
        _opt_assign "$_opt_target" "$2"
        shift
        ;;
      call) "$_opt_target" "$1" ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
}

# _opt_row ARG: sets _opt_kind and _opt_target from the first table line whose
# pattern matches ARG (both empty when none does).
_opt_row() {
  _opt_kind=''
  _opt_target=''
  _opt_ifs=$IFS
  IFS='
'
  set -f
  for _opt_line in $_opt_table; do
    IFS=' '
    # shellcheck disable=SC2086 # split the line into its three words
    set -- "$1" $_opt_line
    IFS='
'
    [ $# -eq 4 ] || continue
    # shellcheck disable=SC2254 # the pattern is a pattern
    case $1 in
      $2)
        _opt_kind=$3
        _opt_target=$4
        break
        ;;
    esac
  done
  set +f
  IFS=$_opt_ifs
}

_opt_assign() {
  case $1 in
    '' | [0-9]* | *[!A-Za-z0-9_]*) die "parse_options: '$1' is not a variable name" ;;
  esac
  eval "$1=\$2"
}
