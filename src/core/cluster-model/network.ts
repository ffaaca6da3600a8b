import { describe, ModelObject, namespaceOf, podSpecOf, Rule } from './objects';

// How a Spark driver that runs in a pod of ours (client mode: standalone
// submit Jobs, notebooks, the Thrift server) is reached by its executors.
// Spark advertises spark.driver.host, which defaults to
// Utils.localCanonicalHostName() (apache/spark core/.../internal/config/package.scala):
// SPARK_LOCAL_HOSTNAME when set, else the canonical name of the pod's address,
// which kubelet's /etc/hosts maps to the pod's bare hostname. No other pod can
// resolve that name (cluster DNS serves Services and, with a subdomain,
// hostname.subdomain.namespace.svc).

interface Container {
  readonly name: string;
  readonly args: unknown[];
  readonly env: any[];
  readonly mounts: any[];
}


/** The Spark properties files mounted into the container as ConfigMaps (`spark-defaults.conf`). */
function mountedDefaults(objects: readonly ModelObject[], namespace: string, spec: any, c: Container): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  const confDir = c.env.find((e) => e.name === 'SPARK_CONF_DIR')?.value ?? '/opt/spark/conf';
  for (const m of c.mounts) {
    if (m.mountPath !== confDir) continue;
    const volume = (spec.volumes ?? []).find((v: any) => v.name === m.name);
    const cmName = volume?.configMap?.name;
    const cm = objects.find((o) => o.json?.kind === 'ConfigMap' && o.json.metadata?.name === cmName && namespaceOf(o.json) === namespace);
    const text: unknown = cm?.json.data?.['spark-defaults.conf'];
    if (typeof text !== 'string') continue;
    for (const line of text.split('\n')) {
      const match = /^\s*([^#\s]\S*)\s+(.*?)\s*$/.exec(line);
      if (match) out[match[1]] = match[2];
    }
  }
  return out;
}

/** The client-mode drivers among the containers of our workloads. */
function clientDrivers(spec: any): Container[] {
  const out: Container[] = [];
  for (const c of spec?.containers ?? []) {
    const args: unknown[] = [...(c.command ?? []), ...(c.args ?? [])];
    const env: any[] = c.env ?? [];
    const submit = args.some((a) => typeof a === 'string' && /(^|\/)spark-submit$/.test(a))
      || args.includes('--master') || env.some((e) => e.name === 'SPARK_MASTER');
    const at = args.indexOf('--deploy-mode');
    const cluster = at >= 0 && args[at + 1] === 'cluster';
    if (submit && !cluster) {
      out.push({ name: String(c.name), args, env, mounts: c.volumeMounts ?? [] });
    }
  }
  return out;
}

function confArg(args: unknown[], key: string): string | undefined {
  for (let i = 0; i < args.length - 1; i++) {
    const next = args[i + 1];
    if (args[i] === '--conf' && typeof next === 'string' && next.startsWith(`${key}=`)) {
      return next.slice(key.length + 1);
    }
  }
  return undefined;
}

const IP = /^(\d{1,3}\.){3}\d{1,3}$|^\[?[0-9a-fA-F:]+\]?$/;

/** Whether executors in other pods can reach `host`, the driver's advertised address; undefined when they can. */
function unreachable(objects: readonly ModelObject[], namespace: string, c: Container, host: string): string | undefined {
  const ref = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(host);
  if (ref) {
    const v = c.env.find((e) => e.name === ref[1]);
    return v?.valueFrom?.fieldRef?.fieldPath === 'status.podIP'
      ? undefined : `it expands $(${ref[1]}), which is not the pod IP (fieldRef status.podIP)`;
  }
  if (IP.test(host)) {
    return undefined;
  }
  const svc = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
  if (svc) {
    const found = objects.some((o) => o.json?.kind === 'Service' && o.json.metadata?.name === svc[1] && namespaceOf(o.json) === svc[2]);
    return found || svc[2] !== namespace ? undefined : `no Service ${svc[1]} in namespace ${svc[2]} is part of the app`;
  }
  return 'no DNS server resolves it for other pods';
}

/** Client-mode drivers advertise an address their executors can resolve and reach. */
export const driverHostRule: Rule = (objects) => {
  const out: string[] = [];
  for (const o of objects) {
    const spec = podSpecOf(o.json);
    if (!spec) continue;
    const namespace = namespaceOf(o.json);
    for (const c of clientDrivers(spec)) {
      const localHostname = c.env.find((e) => e.name === 'SPARK_LOCAL_HOSTNAME');
      const host = confArg(c.args, 'spark.driver.host')
        ?? mountedDefaults(objects, namespace, spec, c)['spark.driver.host']
        ?? (localHostname ? (localHostname.valueFrom?.fieldRef?.fieldPath === 'status.podIP' ? '$(SPARK_LOCAL_HOSTNAME)' : localHostname.value) : undefined);
      const problem = host === undefined
        ? 'it sets neither spark.driver.host nor SPARK_LOCAL_HOSTNAME, so Spark advertises the pod\'s bare hostname, which no other pod resolves'
        : unreachable(objects, namespace, c, host);
      if (problem !== undefined) {
        out.push(`${describe(o)}: container ${c.name} runs a client-mode Spark driver whose executors cannot dial it back`
          + `${host !== undefined ? ` at "${host}"` : ''}: ${problem}. Fix: advertise the pod IP (env SPARK_LOCAL_HOSTNAME from `
          + 'fieldRef status.podIP) or a Service name (spark.driver.host)');
      }
    }
  }
  return out;
};
