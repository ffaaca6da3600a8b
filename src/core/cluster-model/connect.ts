import { describe, Rule } from './objects';
import { parseQuantity } from './quantity';

// What the Spark operator's SparkConnect controller (kubeflow/spark-operator
// v2.5.2 internal/controller/sparkconnect) does with the server template: the
// pod is the template's spec with the server container's command added, so
// neither Spark nor the operator sizes it or gives it an identity.

const MIB = 2 ** 20;
// Spark's minimum memory overhead (384 MiB): the JVM needs at least that beside its heap.
const MIN_OVERHEAD_MIB = 384;

function heapMiB(value: unknown): number | undefined {
  const match = /^(\d+)([kmgtp]?)b?$/i.exec(String(value ?? '1g').trim());
  if (!match) return undefined;
  const scale: { [unit: string]: number } = { 'k': 1 / 1024, '': 1 / MIB, 'm': 1, 'g': 1024, 't': 1024 ** 2, 'p': 1024 ** 3 };
  return Number(match[1]) * scale[match[2].toLowerCase()];
}

/**
 * A SparkConnect's server pod holds the driver's heap (`spark.driver.memory`,
 * from `spec.server.memory`) plus the JVM's overhead within its memory limit,
 * and runs as a ServiceAccount (the driver creates its executors through the
 * API server).
 */
export const connectServerRule: Rule = (objects) => {
  const out: string[] = [];
  for (const o of objects) {
    if (o.json?.kind !== 'SparkConnect' || !String(o.json?.apiVersion ?? '').startsWith('sparkoperator.k8s.io/')) continue;
    const spec = o.json.spec ?? {};
    const podSpec = spec.server?.template?.spec ?? {};
    const container = (podSpec.containers ?? []).find((c: any) => c?.name === 'spark-kubernetes-driver');
    const heap = heapMiB(spec.server?.memory ?? spec.sparkConf?.['spark.driver.memory']);
    const limit = parseQuantity(container?.resources?.limits?.memory ?? container?.resources?.requests?.memory);
    if (heap !== undefined && limit !== undefined && limit < (heap + MIN_OVERHEAD_MIB) * MIB) {
      out.push(`${describe(o)}: the server container's memory (${Math.floor(limit / MIB)} MiB) does not hold the driver's heap `
        + `(${Math.ceil(heap)} MiB, spec.server.memory) and the JVM's overhead (at least ${MIN_OVERHEAD_MIB} MiB): the server is OOM-killed. `
        + 'Fix: raise the template\'s memory (SparkConnectServer sizes it from server.memory and server.memoryOverhead)');
    }
    if (typeof podSpec.serviceAccountName !== 'string' || podSpec.serviceAccountName === '') {
      out.push(`${describe(o)}: the server pod runs as the namespace's default ServiceAccount (spec.server.template.spec.serviceAccountName `
        + 'is not set), which may not create the executor pods. Fix: name a SparkServiceAccount');
    }
  }
  return out;
};
