# shellcheck shell=bash disable=SC2034,SC2154
# ---- build-spark-images ---------------------------------------------------

readonly DOCKERFILES=kubernetes/dockerfiles/spark
# The distribution's own JVM image, before the runtime layer (local only, not pushed).
readonly DIST_IMAGE="$JVM_IMAGE-distribution"
PUSH=true
BUILDER=${CONTAINER_BUILDER:-docker}
SPARK_DIST=''

usage() {
  cat <<USAGE
Usage: ./$SCRIPT_NAME [--dry-run] [--no-push] [--builder docker|podman] SPARK_HOME

Builds the Spark $SPARK_VERSION images from the unpacked Spark distribution in
SPARK_HOME (https://spark.apache.org/downloads.html) and pushes them:

  $JVM_IMAGE
${PYTHON_IMAGE:+  $PYTHON_IMAGE
}${R_IMAGE:+  $R_IMAGE
}
Log in to the registry first (docker login), and trust its CA if it has a
private one.

  --dry-run            print the commands, run nothing
  --no-push            build only
  --builder TOOL       docker (default; env CONTAINER_BUILDER) or podman
USAGE
}

# set_distribution DIR: the one operand, SPARK_HOME.
set_distribution() {
  [[ -z $SPARK_DIST ]] || die "one Spark distribution directory only (see --help)"
  SPARK_DIST=$1
}

parse_args() {
  parse_options '
    --dry-run set   DRY_RUN=true
    --no-push set   PUSH=false
    --builder value BUILDER
    [!-]*     call  set_distribution
  ' "$@"
  [[ -n $SPARK_DIST ]] || die "missing SPARK_HOME: the directory of an unpacked Spark distribution (see --help)"
  case $BUILDER in
    docker | podman) ;;
    *) die "--builder must be docker or podman, not '$BUILDER'" ;;
  esac
}

# require_file PATH WHAT: fails unless PATH exists in the distribution.
require_file() {
  [[ -e $SPARK_DIST/$1 ]] || die "$SPARK_DIST has no $1; $2"
}

check_distribution() {
  [[ -d $SPARK_DIST ]] || die "$SPARK_DIST is not a directory"
  require_file "$DOCKERFILES/Dockerfile" "is it an unpacked Spark distribution (not the source)?"
  require_file jars "is it an unpacked Spark distribution (not the source)?"
  local cores
  cores=$(compgen -G "$SPARK_DIST/jars/spark-core_*-$SPARK_VERSION.jar" || true)
  [[ -n $cores ]] || die "$SPARK_DIST is not Spark $SPARK_VERSION (no jars/spark-core_*-$SPARK_VERSION.jar); the images are tagged for Spark $SPARK_VERSION"
  if [[ -n $PYTHON_IMAGE ]]; then
    require_file "$DOCKERFILES/bindings/python/Dockerfile" "leave SparkImageVariant.PYTHON out of the variants to build without it"
    require_file python/lib "leave SparkImageVariant.PYTHON out of the variants to build without it"
  fi
  if [[ -n $R_IMAGE ]]; then
    require_file "$DOCKERFILES/bindings/R/Dockerfile" "leave SparkImageVariant.R out of the variants to build without it"
    require_file R "this distribution was built without SparkR; leave SparkImageVariant.R out of the variants"
  fi
  log "Spark $SPARK_VERSION distribution: $SPARK_DIST"
}

build_images() {
  local args=(--build-arg "spark_uid=$SPARK_UID") arg
  for arg in "${EXTRA_BUILD_ARGS[@]}"; do
    args+=(--build-arg "$arg")
  done
  # The Dockerfiles copy from the distribution's top directory.
  cd "$SPARK_DIST" || die "cannot enter $SPARK_DIST"
  run "$BUILDER" build "${args[@]}" -t "$DIST_IMAGE" -f "$DOCKERFILES/Dockerfile" .
  # The runtime layer: a user for the uid and curl, on top of it.
  local layer
  layer=$(mktemp -d)
  runtime_layer_dockerfile >"$layer/Dockerfile"
  run "$BUILDER" build "${args[@]}" --build-arg "base_img=$DIST_IMAGE" -t "$JVM_IMAGE" -f "$layer/Dockerfile" "$layer"
  rm -rf "$layer"
  if [[ -n $PYTHON_IMAGE ]]; then
    run "$BUILDER" build "${args[@]}" --build-arg "base_img=$JVM_IMAGE" -t "$PYTHON_IMAGE" \
      -f "$DOCKERFILES/bindings/python/Dockerfile" .
  fi
  if [[ -n $R_IMAGE ]]; then
    run "$BUILDER" build "${args[@]}" --build-arg "base_img=$JVM_IMAGE" -t "$R_IMAGE" \
      -f "$DOCKERFILES/bindings/R/Dockerfile" .
  fi
}

push_images() {
  local image
  if [[ $PUSH == false ]]; then
    log "--no-push: images built, not pushed"
    return 0
  fi
  for image in "$JVM_IMAGE" "$PYTHON_IMAGE" "$R_IMAGE"; do
    if [[ -n $image ]]; then
      run "$BUILDER" push "$image"
    fi
  done
}

main() {
  parse_args "$@"
  if [[ $DRY_RUN == false ]] && ! command -v "$BUILDER" >/dev/null 2>&1; then
    die "$BUILDER is not installed (or not on PATH)"
  fi
  check_distribution
  build_images
  push_images
  if [[ $DRY_RUN == true ]]; then
    log "done (dry run): nothing built or pushed"
  else
    log "done"
  fi
}

main "$@"
