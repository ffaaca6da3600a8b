// The wrapper a cluster-mode SparkSubmitJob runs instead of calling
// spark-submit directly.
//
// Why a wrapper: in cluster mode spark-submit waits for the driver pod
// (spark.kubernetes.submission.waitAppCompletion) but exits 0 whatever the
// driver's outcome. Spark 4.0's Client.run() returns Unit once
// LoggingPodStatusWatcherImpl.watchOrStop() sees the pod Succeeded *or*
// Failed; the proposal to pass the driver's exit code on (SPARK-26365,
// apache/spark#40118) was closed unmerged. So the script reads the driver
// pod's final phase from the API server itself.

/** Exit code of the submit pod when the driver pod ended in phase Failed. */
export const EXIT_DRIVER_FAILED = 3;
/** Exit code of the submit pod when the driver's outcome cannot be read (pod gone, API unreachable, no curl or wget). */
export const EXIT_OUTCOME_UNKNOWN = 4;

/** Environment variables the script reads; the pod spec sets them all. */
export const SCRIPT_ENV = {
  /** The submit pod's name (downward API). */
  podName: 'SPARK_SUBMIT_POD_NAME',
  /** The submit pod's uid (downward API), owner of the driver pod. */
  podUid: 'SPARK_SUBMIT_POD_UID',
  /** The namespace (downward API). */
  namespace: 'SPARK_SUBMIT_NAMESPACE',
  /** Where the ConfigMap with the pod templates is mounted. */
  configDir: 'SPARK_SUBMIT_CONFIG_DIR',
  /** A writable directory for the rendered driver pod template. */
  workDir: 'SPARK_SUBMIT_WORK_DIR',
} as const;

/** The placeholders of the driver pod template that the script fills in. */
export const OWNER_NAME_PLACEHOLDER = '@SUBMIT_POD_NAME@';
export const OWNER_UID_PLACEHOLDER = '@SUBMIT_POD_UID@';

/** File names in the ConfigMap. */
export const SCRIPT_FILE = 'spark-submit.sh';
export const DRIVER_TEMPLATE_FILE = 'driver-pod-template.yaml';
export const EXECUTOR_TEMPLATE_FILE = 'executor-pod-template.yaml';

/** The User-Agent the wrapper sends to the API server. */
export const WRAPPER_USER_AGENT = 'cdk8s-spark-submit';

/**
 * The cluster-mode wrapper. It expects `SPARK_DRIVER_POD_NAME` (the name
 * passed to spark-submit as `spark.kubernetes.driver.pod.name`) and the
 * variables of {@link SCRIPT_ENV}; its arguments are spark-submit's.
 *
 * It reads the driver pod with curl or wget, whichever the image has (the
 * image facts are checked at synth), and finds the phase whatever the layout
 * of the JSON: kube-apiserver indents its answers to clients whose
 * User-Agent starts with `curl` or `Wget` (isPrettyPrint in
 * k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go).
 */
export function clusterModeScript(): string {
  return `#!/bin/bash
# Runs spark-submit in cluster mode and exits with the outcome of the driver.
#
# spark-submit waits for the driver pod but exits 0 even when the driver
# fails (SPARK-26365), so the driver pod's final phase is read from the API
# server: exit 0 when it Succeeded, ${EXIT_DRIVER_FAILED} when it Failed, ${EXIT_OUTCOME_UNKNOWN} when the outcome
# cannot be read. A failing spark-submit exits with its own code.
set -euo pipefail

readonly account=/var/run/secrets/kubernetes.io/serviceaccount
readonly api=https://kubernetes.default.svc:443
readonly driver="\${SPARK_DRIVER_POD_NAME}"
readonly agent=${WRAPPER_USER_AGENT}

# Whichever HTTP client the image has: the official apache/spark images have
# wget, images built from a Spark distribution may have only curl.
if command -v curl >/dev/null; then
  http=curl
elif command -v wget >/dev/null; then
  http=wget
else
  echo "the image has neither curl nor wget: the driver's outcome could not be read; not submitting" >&2
  exit ${EXIT_OUTCOME_UNKNOWN}
fi

# get URL: prints the API object at URL. Exits 1 on an HTTP error answer
# (retrying does not help), 2 when the server could not be reached.
get() {
  local token status=0
  token=$(<"\${account}/token")
  if [[ \${http} == curl ]]; then
    curl --silent --show-error --fail --max-time 30 --user-agent "\${agent}" --cacert "\${account}/ca.crt" \\
      --header "Authorization: Bearer \${token}" "$1" || status=$?
    case \${status} in
      0) return 0 ;;
      22) return 1 ;;
      *) return 2 ;;
    esac
  fi
  wget -q -O - --timeout=30 --tries=1 --user-agent="\${agent}" --ca-certificate="\${account}/ca.crt" \\
    --header="Authorization: Bearer \${token}" "$1" || status=$?
  case \${status} in
    0) return 0 ;;
    6 | 8) return 1 ;;
    *) return 2 ;;
  esac
}

# The driver pod is owned by this pod: deleting the Job (its TTL, its
# deadline, the CronJob's history limit) deletes the driver and, through the
# driver, the executors.
mkdir -p "\${${SCRIPT_ENV.workDir}}"
sed -e "s/${OWNER_NAME_PLACEHOLDER}/\${${SCRIPT_ENV.podName}}/" -e "s/${OWNER_UID_PLACEHOLDER}/\${${SCRIPT_ENV.podUid}}/" \\
  "\${${SCRIPT_ENV.configDir}}/${DRIVER_TEMPLATE_FILE}" >"\${${SCRIPT_ENV.workDir}}/${DRIVER_TEMPLATE_FILE}"

"\${SPARK_HOME:-/opt/spark}/bin/spark-submit" "$@" &
child=$!
# Bash as PID 1 ignores SIGTERM unless trapped: pass it on to spark-submit.
trap 'kill -TERM "\${child}" 2>/dev/null || true' TERM INT
status=0
wait "\${child}" || status=$?
# A trapped signal ends the wait early: wait for spark-submit itself.
while kill -0 "\${child}" 2>/dev/null; do
  status=0
  wait "\${child}" || status=$?
done
if [[ \${status} -ne 0 ]]; then
  echo "spark-submit exited with code \${status}" >&2
  exit "\${status}"
fi

url="\${api}/api/v1/namespaces/\${${SCRIPT_ENV.namespace}}/pods/\${driver}"
pod=''
for attempt in 1 2 3; do
  got=0
  pod=$(get "\${url}") || got=$?
  if [[ \${got} -ne 2 ]]; then
    break
  fi
  if [[ \${attempt} -lt 3 ]]; then
    sleep 2
  fi
done
if [[ \${got} -ne 0 ]]; then
  echo "driver pod \${driver} could not be read (\${http}): its outcome is unknown" >&2
  exit ${EXIT_OUTCOME_UNKNOWN}
fi
# Indented or compact, the answer reads the same without its blanks (no
# phase has any). The pod's status comes after its metadata and spec, so
# the last "phase" key is status.phase.
pod=$(tr -d '[:space:]' <<<"\${pod}")
phase=''
if [[ \${pod} == *'"kind":"Pod"'* ]]; then
  phase=$(grep -o '"phase":"[A-Za-z]*"' <<<"\${pod}" | tail -n 1 | cut -d '"' -f 4 || true)
fi
case "\${phase}" in
  Succeeded)
    echo "driver pod \${driver} succeeded"
    ;;
  Failed)
    echo "driver pod \${driver} failed" >&2
    exit ${EXIT_DRIVER_FAILED}
    ;;
  *)
    echo "driver pod \${driver} ended in phase \${phase:-unknown}" >&2
    exit ${EXIT_OUTCOME_UNKNOWN}
    ;;
esac
`;
}
