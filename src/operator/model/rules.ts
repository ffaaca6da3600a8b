import { ModelProblem } from './validate';
import { JOB_PROP_CONF_KEYS } from '../../core/job-conf-keys';
import { SparkMemory } from '../../core/spark-memory';

/**
 * Spark configuration keys that the typed props (or the operator) set. A
 * job's conf setting them would fight the operator, so they are refused,
 * naming what to use instead.
 */
export const DENIED_CONF_KEYS: { readonly [key: string]: string } = {
  'spark.master': 'nothing: the operator points Spark at the cluster it runs in',
  ...JOB_PROP_CONF_KEYS,
  'spark.kubernetes.driver.pod.name': 'nothing: the operator names the driver pod',
};

function num(value: unknown): number | undefined {
  return Number.isInteger(value) ? value as number : undefined;
}

function versionAtLeast(version: unknown, major: number): boolean {
  const m = typeof version === 'string' ? /^(\d+)\./.exec(version) : null;
  return m !== null && parseInt(m[1], 10) >= major;
}

function memory(value: unknown, where: string): SparkMemory | undefined {
  return typeof value === 'string' ? SparkMemory.parse(value, where) : undefined;
}

/**
 * The operator's admission rules (and Spark's own preconditions) that a
 * schema cannot express, applied to a rendered SparkApplication spec.
 * Paths name the props that set the fields.
 */
export function checkSparkApplicationRules(spec: any): ModelProblem[] {
  const out: ModelProblem[] = [];
  if (typeof spec !== 'object' || spec === null) {
    return out;
  }
  for (const key of Object.keys(spec.sparkConf ?? {})) {
    const instead = DENIED_CONF_KEYS[key];
    if (instead !== undefined) {
      out.push({ path: 'sparkConf key', value: key, message: `the key is managed by the library; set it through ${instead}` });
    }
  }
  for (const role of ['driver', 'executor']) {
    const pod = spec[role] ?? {};
    if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0 && pod.nodeSelector && Object.keys(pod.nodeSelector).length > 0) {
      out.push({
        path: `${role}.nodeSelector`,
        value: pod.nodeSelector,
        message: 'a node selector on the application and on the driver or executor at once; the operator refuses that, set one of them',
      });
    }
    if (pod.template !== undefined && !versionAtLeast(spec.sparkVersion, 3)) {
      out.push({ path: `${role}.template`, value: spec.sparkVersion, message: 'pod templates need Spark 3.0 or later (the image\'s sparkVersion)' });
    }
    if (pod.memoryLimit !== undefined) {
      const problem = memoryLimitProblem(spec, role, pod);
      if (problem) {
        out.push({ path: `${role}.memoryLimit`, value: pod.memoryLimit, message: problem });
      }
    }
  }
  const da = spec.dynamicAllocation;
  if (da?.enabled) {
    const min = num(da.minExecutors);
    const initial = num(da.initialExecutors);
    const max = num(da.maxExecutors);
    const order: Array<[string, number | undefined]> = [['minExecutors', min], ['initialExecutors', initial], ['maxExecutors', max]];
    const given = order.filter(([, v]) => v !== undefined) as Array<[string, number]>;
    for (let i = 1; i < given.length; i++) {
      if (given[i - 1][1] > given[i][1]) {
        out.push({
          path: 'dynamicAllocation',
          value: { min, initial, max },
          message: `minExecutors <= initialExecutors <= maxExecutors; ${given[i - 1][0]} ${given[i - 1][1]} exceeds ${given[i][0]} ${given[i][1]}`,
        });
        break;
      }
    }
    if (min !== undefined && min < 0) {
      out.push({ path: 'dynamicAllocation.minExecutors', value: min, message: 'a number of executors of at least 0' });
    }
  }
  return out;
}

// Spark's overhead factor for Python and R applications, whose workers live
// outside the JVM (and the one to assume when checking limits conservatively).
const NON_JVM_OVERHEAD_FACTOR = 0.4;

function memoryLimitProblem(spec: any, role: string, pod: any): string | undefined {
  try {
    // memoryLimit is a Kubernetes quantity (the operator parses it as one);
    // memory and memoryOverhead are in Spark notation.
    const limit = SparkMemory.fromQuantity(pod.memoryLimit, `${role}.memoryLimit`);
    const heap = memory(pod.memory ?? '1g', `${role}.memory`)!;
    const factorText = spec.sparkConf?.[`spark.${role}.memoryOverheadFactor`] ?? spec.memoryOverheadFactor;
    const nonJvm = spec.type === 'Python' || spec.type === 'R';
    const factor = factorText !== undefined ? parseFloat(factorText) : nonJvm ? NON_JVM_OVERHEAD_FACTOR : undefined;
    const additional = role === 'executor' ? memory(spec.sparkConf?.['spark.executor.pyspark.memory'], 'spark.executor.pyspark.memory') : undefined;
    const needed = SparkMemory.containerMemoryFor(heap, { overhead: memory(pod.memoryOverhead, `${role}.memoryOverhead`), factor, additional });
    if (needed.isGreaterThan(limit)) {
      return `at least the container memory Spark requests, memory + overhead = ${needed.toQuantity()}; a lower limit gets the pod OOM-killed`;
    }
    return undefined;
  } catch (e) {
    return `a limit computable from memory, memoryOverhead and memoryLimit (${(e as Error).message})`;
  }
}
