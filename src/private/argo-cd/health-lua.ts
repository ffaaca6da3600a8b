// Argo CD health checks of the Spark operator's resources, in Lua 5.1 (Argo
// CD runs them with gopher-lua). Argo CD calls the script with the live
// object in the global `obj` and expects a table { status, message }, status
// being one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown.

/**
 * SparkApplication: from `status.applicationState.state`, the operator's
 * state machine ("" → SUBMITTED → RUNNING → SUCCEEDING → COMPLETED, with
 * FAILING / PENDING_RERUN / INVALIDATING on the way to retries or FAILED).
 */
export const SPARK_APPLICATION_LUA = `-- Health of a sparkoperator.k8s.io SparkApplication (written by cdk8s-spark).
local health = {}
local states = {
  COMPLETED = { "Healthy", "the application completed" },
  FAILED = { "Degraded", "the application failed" },
  SUBMISSION_FAILED = { "Degraded", "spark-submit failed" },
  SUBMITTED = { "Progressing", "submitted, waiting for the driver to run" },
  RUNNING = { "Progressing", "the driver is running" },
  SUCCEEDING = { "Progressing", "the driver succeeded, waiting for the executors to finish" },
  FAILING = { "Progressing", "the driver failed, the operator decides whether to retry" },
  PENDING_RERUN = { "Progressing", "waiting to be submitted again" },
  INVALIDATING = { "Progressing", "the spec changed, the running attempt is being stopped" },
  SUSPENDING = { "Progressing", "being suspended" },
  SUSPENDED = { "Suspended", "suspended" },
  RESUMING = { "Progressing", "being resumed" },
  UNKNOWN = { "Unknown", "the operator lost track of the driver" },
}
local state = ""
local detail = ""
if obj.status ~= nil and obj.status.applicationState ~= nil then
  state = obj.status.applicationState.state or ""
  detail = obj.status.applicationState.errorMessage or ""
end
local suspended = obj.spec ~= nil and obj.spec.suspend == true
local known = states[state]
if state == "" then
  if suspended then
    health.status = "Suspended"
    health.message = "suspended before submission"
  else
    health.status = "Progressing"
    health.message = "waiting for the Spark operator to submit the application"
  end
elseif known ~= nil then
  health.status = known[1]
  health.message = state .. ": " .. known[2]
else
  health.status = "Unknown"
  health.message = "unrecognized application state " .. state
end
if detail ~= "" then
  health.message = health.message .. " (" .. detail .. ")"
end
return health
`;

/**
 * ScheduledSparkApplication: suspended runs, then `status.scheduleState`
 * ("" → Validating → Scheduled, or FailedValidation with a `reason`).
 *
 * @param degradeOnFailedLastRun report Degraded while the most recent run is
 *   among `status.pastFailedRunNames`
 */
export function scheduledSparkApplicationLua(degradeOnFailedLastRun: boolean): string {
  return `-- Health of a sparkoperator.k8s.io ScheduledSparkApplication (written by cdk8s-spark).
local health = {}
local degradeOnFailedLastRun = ${degradeOnFailedLastRun ? 'true' : 'false'}
local status = obj.status or {}
local state = status.scheduleState or ""
local function lastRunFailed()
  if status.lastRunName == nil or status.lastRunName == "" or status.pastFailedRunNames == nil then
    return false
  end
  for _, name in ipairs(status.pastFailedRunNames) do
    if name == status.lastRunName then
      return true
    end
  end
  return false
end
if obj.spec ~= nil and obj.spec.suspend == true then
  health.status = "Suspended"
  health.message = "runs are suspended"
elseif state == "FailedValidation" then
  health.status = "Degraded"
  health.message = "the schedule is invalid"
  if status.reason ~= nil and status.reason ~= "" then
    health.message = health.message .. ": " .. status.reason
  end
elseif state == "Scheduled" then
  if degradeOnFailedLastRun and lastRunFailed() then
    health.status = "Degraded"
    health.message = "the last run " .. status.lastRunName .. " failed"
  else
    health.status = "Healthy"
    health.message = "scheduled"
    if status.nextRun ~= nil and status.nextRun ~= "" then
      health.message = health.message .. ", next run at " .. status.nextRun
    end
  end
elseif state == "" or state == "Validating" then
  health.status = "Progressing"
  health.message = "waiting for the Spark operator to validate the schedule"
else
  health.status = "Unknown"
  health.message = "unrecognized schedule state " .. state
end
return health
`;
}
