// What the Spark operator v2.5.2 refuses or breaks in a SparkConnect spec,
// applied to the rendered spec (at construction and again at synth, after
// escape hatches): the webhook's rules (internal/webhook/sparkconnect_validator.go,
// sparkconf_validator.go) and what the controller needs to start the server
// (internal/controller/sparkconnect/reconciler.go and options.go).

/** A problem of a rendered spec: where (the prop or spec path), the value, and what is allowed. */
export interface ConnectProblem {
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

// The webhook's deny list (sparkconf_validator.go deniedSparkConfKeys).
const WEBHOOK_DENIED = [
  'spark.kubernetes.authenticate.driver.serviceAccountName', 'spark.kubernetes.authenticate.executor.serviceAccountName',
  'spark.kubernetes.authenticate.oauthTokenFile', 'spark.kubernetes.authenticate.oauthToken',
  'spark.kubernetes.authenticate.driver.oauthTokenFile', 'spark.kubernetes.authenticate.driver.oauthToken',
  'spark.kubernetes.authenticate.executor.oauthTokenFile', 'spark.kubernetes.authenticate.executor.oauthToken',
  'spark.master', 'spark.kubernetes.driver.master', 'spark.kubernetes.container.image', 'spark.kubernetes.driver.container.image',
  'spark.kubernetes.executor.container.image',
];

// The webhook's memory notation (validateMemoryString): a whole number, an optional unit.
const MEMORY = /^\d+(pb|tb|gb|mb|kb|p|t|g|m|k|b)?$/;
// A word bash reads literally: safe characters, or one single-quoted string.
const SHELL_WORD = /^([A-Za-z0-9_.,:/=+@%-]*|'([^']|'\\'')*')$/;
const SHELL_KEY = /^[A-Za-z0-9_.\-[\]]+$/;

/** The problems of a rendered SparkConnect spec named `name`. */
export function checkSparkConnectRules(spec: any, name: string): ConnectProblem[] {
  const out: ConnectProblem[] = [];
  if (typeof spec !== 'object' || spec === null) {
    return [{ path: 'spec', value: spec, message: 'a SparkConnect spec' }];
  }
  const add = (path: string, value: unknown, message: string) => out.push({ path, value, message });
  if (name.length > 56) {
    add('name', name, 'at most 56 characters: the operator\'s webhook keeps room for the Service "<name>-server"');
  }
  if (typeof spec.sparkVersion !== 'string' || spec.sparkVersion === '') {
    add('spec.sparkVersion', spec.sparkVersion, 'the Spark version of the image (the webhook requires it)');
  }
  const templateImage = (role: string) => (spec[role]?.template?.spec?.containers ?? []).some((c: any) => typeof c?.image === 'string' && c.image !== '');
  if ((typeof spec.image !== 'string' || spec.image === '') && !(templateImage('server') && templateImage('executor'))) {
    add('spec.image', spec.image, 'an image, or one in both the server and the executor templates (the webhook refuses neither)');
  }
  for (const role of ['server', 'executor']) {
    const memory = spec[role]?.memory;
    if (memory !== undefined && !(typeof memory === 'string' && MEMORY.test(memory.trim().toLowerCase()))) {
      add(`spec.${role}.memory`, memory, 'a whole amount with an optional unit k, m, g, t or p, e.g. "512m" (the webhook\'s format)');
    }
  }
  dynamicAllocationProblems(spec.dynamicAllocation, add);
  for (const key of Object.keys(spec.sparkConf ?? {})) {
    if (WEBHOOK_DENIED.includes(key)) {
      add('sparkConf key', key, 'a key the operator\'s webhook allows (it sets the master, images and identities itself)');
    }
  }
  if (spec.server?.service !== undefined && !(typeof spec.server.service?.metadata?.name === 'string' && spec.server.service.metadata.name !== '')) {
    add('spec.server.service.metadata.name', undefined, 'a name: the operator names the Service after it and creates none without');
  }
  // The controller joins `--conf key=value` words and runs them with `bash -c`.
  for (const [field, prefix] of [['sparkConf', ''], ['hadoopConf', 'spark.hadoop.']] as const) {
    for (const [key, value] of Object.entries(spec[field] ?? {})) {
      if (!SHELL_KEY.test(key)) {
        add(`${field} key`, key, 'a key of letters, digits, ".", "_", "-" and brackets: the operator passes it to bash unquoted');
      } else if (typeof value !== 'string' || !SHELL_WORD.test(value)) {
        add(`${field} "${prefix}${key}"`, value, 'a value bash reads as one literal word (the operator passes "--conf key=value" to bash -c): '
          + 'plain characters, or the whole value single-quoted as the library renders it');
      }
    }
  }
  return out;
}

function dynamicAllocationProblems(da: any, add: (path: string, value: unknown, message: string) => void): void {
  if (!da?.enabled) {
    return;
  }
  const fields = ['minExecutors', 'initialExecutors', 'maxExecutors'];
  for (const field of fields) {
    const v = da[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
      add(`dynamicAllocation.${field}`, v, 'a whole number of executors, 0 or more');
      return;
    }
  }
  const given = fields.filter((f) => da[f] !== undefined);
  for (let i = 1; i < given.length; i++) {
    if (da[given[i - 1]] > da[given[i]]) {
      add('dynamicAllocation', { min: da.minExecutors, initial: da.initialExecutors, max: da.maxExecutors },
        `minExecutors <= initialExecutors <= maxExecutors; ${given[i - 1]} ${da[given[i - 1]]} exceeds ${given[i]} ${da[given[i]]}`);
      return;
    }
  }
  if (da.maxExecutors !== undefined && da.maxExecutors < 1) {
    add('dynamicAllocation.maxExecutors', da.maxExecutors, 'at least 1 executor');
  }
}
