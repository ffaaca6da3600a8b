# shellcheck shell=bash disable=SC2034,SC2153,SC2154
# ---- node library ---------------------------------------------------------

# Root of the file system this script reads and changes. Empty on a real
# machine; the test sandbox points it at a temporary directory so that every
# file path below ("$ROOT/etc/...") lands there instead of in /.
ROOT="${CDK8S_SPARK_ROOT:-}"
WORK_DIR=''
CURRENT_STEP='start'

step() {
  CURRENT_STEP=$*
  log "step: $*"
}

# added_step DESCRIPTION FUNCTION: a step added with addPreparationStep. Its
# commands are the user's, not checked first: a dry run names it and runs none.
added_step() {
  step "$1"
  if [[ $DRY_RUN == true ]]; then
    log "dry-run: would run the commands of the added step '$1'"
    return 0
  fi
  "$2"
}

# write_file PATH MODE: writes standard input to $ROOT/PATH with MODE, unless
# the file already has that content and mode. Returns 0 when the file changed
# (or would change, in a dry run) and 1 when it was already up to date, so
# callers can restart a service only when its configuration changed.
write_file() {
  local path=$ROOT$1 mode=$2 new
  new=$(mktemp "$WORK_DIR/new.XXXXXX")
  cat >"$new"
  if [[ -f $path ]] && cmp -s "$new" "$path" && [[ $(stat -c '%a' "$path") == "${mode#0}" ]]; then
    return 1
  fi
  CHANGES=$((CHANGES + 1))
  if [[ $DRY_RUN == true ]]; then
    log "dry-run: would write $1 (mode $mode)"
    if [[ ${mode: -2} == 00 ]]; then
      # A file for root only (kubeconfig, join command) may hold a secret: no diff.
      log "dry-run: contents of $1 not shown (readable by root only)"
    elif [[ -f $path ]]; then
      diff -u "$path" "$new" >&2 || true
    else
      sed 's/^/+/' "$new" >&2
    fi
    return 0
  fi
  mkdir -p "${path%/*}"
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
  for f in "${REPO_FILES_ADDED[@]}" "${REPO_FILES_CHANGED[@]}"; do
    [[ $f != "$1" ]] || return 0
  done
  if [[ -e $ROOT$1 ]]; then
    cat "$ROOT$1" >"$WORK_DIR/backup.${#REPO_FILES_CHANGED[@]}"
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
  for i in "${!REPO_FILES_ADDED[@]}"; do
    rm -f "$ROOT${REPO_FILES_ADDED[i]}"
    log "rolled back: removed ${REPO_FILES_ADDED[i]}, which this run had added"
  done
  for i in "${!REPO_FILES_CHANGED[@]}"; do
    cat "$WORK_DIR/backup.$i" >"$ROOT${REPO_FILES_CHANGED[i]}"
    log "rolled back: restored ${REPO_FILES_CHANGED[i]} as it was before this run"
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
