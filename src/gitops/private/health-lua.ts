// Argo CD health checks of the Spark operator's resources, in Lua 5.1 (Argo
// CD runs them with gopher-lua). Argo CD calls the script with the live
// object in the global `obj` and expects a table { status, message }, status
// being one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown.

/**
 * SparkApplication: from `status.applicationState.state`, the operator's
 * state machine ("" → SUBMITTED → RUNNING → SUCCEEDING → COMPLETED, with
 * FAILING / PENDING_RERUN / INVALIDATING on the way to retries or FAILED).
 *
 * The statuses agree with Argo CD's built-in check
 * (argoproj/argo-cd resource_customizations/sparkoperator.k8s.io/SparkApplication/health.lua,
 * which this one replaces when installed): RUNNING is Healthy once the running
 * executors match `spec.executor.instances`, or lie within the dynamic
 * allocation range (`spec.dynamicAllocation`, else the `spark.dynamicAllocation.*`
 * or `spark.streaming.dynamicAllocation.*` conf), or, with neither set, number
 * at least one; FAILING is Degraded; UNKNOWN is Progressing. Deliberate
 * differences, for states the built-in check does not know or misnames:
 * INVALIDATING is Progressing (built-in: Missing, which Argo CD reads as "not
 * in the cluster"), SUSPENDED is Suspended and SUSPENDING/RESUMING Progressing
 * (built-in: Progressing), an unknown state is Unknown.
 */
export const SPARK_APPLICATION_LUA = `-- Health of a sparkoperator.k8s.io SparkApplication (written by cdk8s-spark).
local health = {}
local states = {
  COMPLETED = { "Healthy", "the application completed" },
  FAILED = { "Degraded", "the application failed" },
  SUBMISSION_FAILED = { "Degraded", "spark-submit failed" },
  SUBMITTED = { "Progressing", "submitted, waiting for the driver to run" },
  RUNNING = { "Progressing", "the driver is running, waiting for the executors" },
  SUCCEEDING = { "Progressing", "the driver succeeded, waiting for the executors to finish" },
  FAILING = { "Degraded", "the driver failed, the operator decides whether to retry" },
  PENDING_RERUN = { "Progressing", "waiting to be submitted again" },
  INVALIDATING = { "Progressing", "the spec changed, the running attempt is being stopped" },
  SUSPENDING = { "Progressing", "being suspended" },
  SUSPENDED = { "Suspended", "suspended" },
  RESUMING = { "Progressing", "being resumed" },
  UNKNOWN = { "Progressing", "the driver or an executor is in an unknown state" },
}
local spec = obj.spec or {}
local status = obj.status or {}
local appState = status.applicationState or {}
local state = appState.state or ""
local detail = appState.errorMessage or ""

-- The executors a running application should have: min and max (max nil = no bound).
local function executorRange()
  local da = spec.dynamicAllocation
  if da ~= nil and da.enabled == true then
    return da.minExecutors or 0, da.maxExecutors
  end
  local conf = spec.sparkConf or {}
  for _, prefix in ipairs({ "spark.streaming.dynamicAllocation.", "spark.dynamicAllocation." }) do
    if conf[prefix .. "enabled"] == "true" then
      return tonumber(conf[prefix .. "minExecutors"] or "0") or 0, tonumber(conf[prefix .. "maxExecutors"] or "")
    end
  end
  return nil, nil
end

local function executorsReady()
  if status.executorState == nil then
    return false
  end
  local running = 0
  for _, executor in pairs(status.executorState) do
    if executor == "RUNNING" then
      running = running + 1
    end
  end
  local instances = (spec.executor or {}).instances
  if instances ~= nil and instances == running then
    return true
  end
  local min, max = executorRange()
  if min ~= nil then
    return running >= min and (max == nil or running <= max)
  end
  return spec.dynamicAllocation == nil and instances == nil and running >= 1
end

local known = states[state]
if state == "" then
  if spec.suspend == true then
    health.status = "Suspended"
    health.message = "suspended before submission"
  else
    health.status = "Progressing"
    health.message = "waiting for the Spark operator to submit the application"
  end
elseif state == "RUNNING" and executorsReady() then
  health.status = "Healthy"
  health.message = "RUNNING: the driver and its executors are running"
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
