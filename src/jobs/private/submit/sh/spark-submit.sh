# shellcheck shell=bash disable=SC2154
# ---- spark-submit wrapper ---------------------------------------------------
# Settings (rendered before the shared library): EXIT_DRIVER_FAILED,
# EXIT_OUTCOME_UNKNOWN, USER_AGENT. The pod sets SPARK_DRIVER_POD_NAME,
# SPARK_SUBMIT_POD_NAME, SPARK_SUBMIT_POD_UID, SPARK_SUBMIT_NAMESPACE,
# SPARK_SUBMIT_CONFIG_DIR and SPARK_SUBMIT_WORK_DIR.

readonly account=/var/run/secrets/kubernetes.io/serviceaccount
readonly api=https://kubernetes.default.svc:443
readonly driver="${SPARK_DRIVER_POD_NAME}"

# fail CODE MESSAGE: logs MESSAGE and exits with CODE.
fail() {
  log "$2"
  exit "$1"
}

# Whichever HTTP client the image has: the official apache/spark images have
# wget, images built from a Spark distribution may have only curl.
if have curl; then
  http=curl
elif have wget; then
  http=wget
else
  fail "${EXIT_OUTCOME_UNKNOWN}" "the image has neither curl nor wget: the driver's outcome could not be read; not submitting"
fi

# get URL: prints the API object at URL. Returns 1 on an HTTP error answer
# (retrying does not help), 2 when the server could not be reached.
get() {
  local token status=0
  token=$(<"${account}/token")
  if [[ ${http} == curl ]]; then
    curl --silent --show-error --fail --max-time 30 --user-agent "${USER_AGENT}" --cacert "${account}/ca.crt" \
      --header "Authorization: Bearer ${token}" "$1" || status=$?
    case ${status} in
      0) return 0 ;;
      22) return 1 ;;
      *) return 2 ;;
    esac
  fi
  wget -q -O - --timeout=30 --tries=1 --user-agent="${USER_AGENT}" --ca-certificate="${account}/ca.crt" \
    --header="Authorization: Bearer ${token}" "$1" || status=$?
  case ${status} in
    0) return 0 ;;
    6 | 8) return 1 ;;
    *) return 2 ;;
  esac
}

# The driver pod is owned by this pod: deleting the Job (its TTL, its
# deadline, the CronJob's history limit) deletes the driver and, through the
# driver, the executors.
mkdir -p "${SPARK_SUBMIT_WORK_DIR}"
sed -e "s/@SUBMIT_POD_NAME@/${SPARK_SUBMIT_POD_NAME}/" -e "s/@SUBMIT_POD_UID@/${SPARK_SUBMIT_POD_UID}/" \
  "${SPARK_SUBMIT_CONFIG_DIR}/driver-pod-template.yaml" >"${SPARK_SUBMIT_WORK_DIR}/driver-pod-template.yaml"

"${SPARK_HOME:-/opt/spark}/bin/spark-submit" "$@" &
child=$!
# Bash as PID 1 ignores SIGTERM unless trapped: pass it on to spark-submit.
trap 'kill -TERM "${child}" 2>/dev/null || true' TERM INT
status=0
wait "${child}" || status=$?
# A trapped signal ends the wait early: wait for spark-submit itself.
while kill -0 "${child}" 2>/dev/null; do
  status=0
  wait "${child}" || status=$?
done
if [[ ${status} -ne 0 ]]; then
  fail "${status}" "spark-submit exited with code ${status}"
fi

url="${api}/api/v1/namespaces/${SPARK_SUBMIT_NAMESPACE}/pods/${driver}"
pod=''
for attempt in 1 2 3; do
  got=0
  pod=$(get "${url}") || got=$?
  if [[ ${got} -ne 2 ]]; then
    break
  fi
  if [[ ${attempt} -lt 3 ]]; then
    sleep 2
  fi
done
if [[ ${got} -ne 0 ]]; then
  fail "${EXIT_OUTCOME_UNKNOWN}" "driver pod ${driver} could not be read (${http}): its outcome is unknown"
fi
# Indented or compact, the answer reads the same without its blanks (no
# phase has any). The pod's status comes after its metadata and spec, so
# the last "phase" key is status.phase.
pod=$(tr -d '[:space:]' <<<"${pod}")
phase=''
if [[ ${pod} == *'"kind":"Pod"'* ]]; then
  phase=$(grep -o '"phase":"[A-Za-z]*"' <<<"${pod}" | tail -n 1 | cut -d '"' -f 4 || true)
fi
case "${phase}" in
  Succeeded)
    echo "driver pod ${driver} succeeded"
    ;;
  Failed)
    fail "${EXIT_DRIVER_FAILED}" "driver pod ${driver} failed"
    ;;
  *)
    fail "${EXIT_OUTCOME_UNKNOWN}" "driver pod ${driver} ended in phase ${phase:-unknown}"
    ;;
esac
