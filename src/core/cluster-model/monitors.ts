import { describe, matchesSelector, ModelObject, namespaceOf, podTemplateOf, Rule } from './objects';

// What the Prometheus operator turns a monitor into: a scrape job per endpoint
// whose targets are the ports of that name. A PodMonitor endpoint's `port` is
// matched against the container ports of the selected pods (Prometheus's
// kubernetes_sd "pod" role makes one target per declared container port, init
// containers included), a ServiceMonitor's against the ports of the selected
// Services (prometheus-operator pkg/prometheus/promcfg.go keeps the targets
// whose port name equals the endpoint's). A name no selected object declares
// yields no target and no error: the series are silently missing.

/** The namespaces a monitor's `namespaceSelector` covers; undefined for all of them. */
function monitoredNamespaces(o: ModelObject): string[] | undefined {
  const selector = o.json.spec?.namespaceSelector ?? {};
  if (selector.any === true) {
    return undefined;
  }
  return Array.isArray(selector.matchNames) && selector.matchNames.length > 0 ? selector.matchNames : [namespaceOf(o.json)];
}

function inScope(namespaces: string[] | undefined, json: any): boolean {
  return namespaces === undefined || namespaces.includes(namespaceOf(json));
}

/**
 * Monitors whose endpoints name a port that none of the pods or Services they
 * select in the app declares. Monitors that select nothing the app emits are
 * not judged (their pods come from elsewhere, e.g. Spark drivers created by
 * the operator or spark-submit at run time).
 */
export const monitorPortRule: Rule = (objects) => {
  const out: string[] = [];
  for (const o of objects) {
    const kind = o.json?.kind;
    if (!String(o.json?.apiVersion ?? '').startsWith('monitoring.coreos.com/') || (kind !== 'PodMonitor' && kind !== 'ServiceMonitor')) {
      continue;
    }
    const namespaces = monitoredNamespaces(o);
    const selector = o.json.spec?.selector;
    const declared: Array<{ readonly what: string; readonly ports: string[] }> = [];
    for (const other of objects) {
      if (!inScope(namespaces, other.json)) {
        continue;
      }
      if (kind === 'PodMonitor') {
        const template = podTemplateOf(other.json);
        if (template && matchesSelector(selector, template.metadata?.labels ?? {})) {
          const containers = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])];
          declared.push({ what: describe(other), ports: containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name)).filter(Boolean) });
        }
      } else if (other.json?.kind === 'Service' && matchesSelector(selector, other.json.metadata?.labels ?? {})) {
        declared.push({ what: describe(other), ports: (other.json.spec?.ports ?? []).map((p: any) => p.name).filter(Boolean) });
      }
    }
    if (declared.length === 0) {
      continue;
    }
    const endpoints: any[] = (kind === 'PodMonitor' ? o.json.spec?.podMetricsEndpoints : o.json.spec?.endpoints) ?? [];
    for (const e of endpoints) {
      if (typeof e.port === 'string' && !declared.some((d) => d.ports.includes(e.port))) {
        out.push(`${describe(o)}: endpoint port "${e.port}" is declared by none of the ${kind === 'PodMonitor' ? 'pods' : 'Services'} it selects `
          + `(${declared.map((d) => `${d.what}: ${d.ports.join(', ') || 'no named ports'}`).join('; ')}), so Prometheus finds no target for it; `
          + `name a port ${kind === 'PodMonitor' ? 'a container' : 'the Service'} declares`);
      }
    }
  }
  return out;
};
