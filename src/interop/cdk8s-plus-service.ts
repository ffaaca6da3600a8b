import { ApiObject, App, Chart } from 'cdk8s';

// Not part of the jsii API (its generic type has no jsii form): TypeScript
// apps import it from 'cdk8s-spark/lib/interop/cdk8s-plus-service'.

/** A Service port as every cdk8s-plus 2.x line's `ServicePort` takes it. */
export interface Cdk8sPlusServicePort {
  readonly port: number;
  readonly name?: string;
  readonly targetPort?: number;
}

/** What this needs of the app's cdk8s-plus line (the module itself, e.g. `import * as kplus from 'cdk8s-plus-33'`). */
export interface Cdk8sPlusLine<S> {
  readonly Service: new (scope: Chart, id: string, props: {
    metadata: { name: string; namespace?: string };
    ports: Cdk8sPlusServicePort[];
  }) => S;
}

/**
 * A `Service` of the app's own cdk8s-plus line standing for a Service this
 * library emitted (a history server's, the registry's, Zeppelin's `service`),
 * for that line's `IngressBackend.fromService(...)`: its classes take only
 * their own line's Service. It carries the Service's name, namespace and
 * ports and is never written: it lives in an app of its own that is not
 * synthesized. The Ingress must be in the Service's namespace.
 *
 * @example
 * import * as kplus from 'cdk8s-plus-33';
 * const ingress = new kplus.Ingress(chart, 'History');
 * ingress.addHostRule('spark-history.example.com', '/', kplus.IngressBackend.fromService(cdk8sPlusService(kplus, history.service)));
 */
export function cdk8sPlusService<S>(plus: Cdk8sPlusLine<S>, service: ApiObject): S {
  if (!ApiObject.isApiObject(service) || service.kind !== 'Service') {
    throw new Error(`cdk8sPlusService: invalid service ${describe(service)}: a Service ApiObject of this library (e.g. history.service)`);
  }
  const json = service.toJson();
  const ports: Cdk8sPlusServicePort[] = (json.spec?.ports ?? []).map((p: any) => ({
    port: p.port,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(typeof p.targetPort === 'number' ? { targetPort: p.targetPort } : {}),
  }));
  if (ports.length === 0) {
    throw new Error(`cdk8sPlusService: invalid service ${service.node.path}: a Service with ports (an Ingress needs one to route to)`);
  }
  const scratch = new Chart(new App(), 'cdk8s-spark-interop');
  return new plus.Service(scratch, 'Service', { metadata: { name: json.metadata.name, namespace: json.metadata.namespace }, ports });
}

function describe(x: unknown): string {
  return ApiObject.isApiObject(x) ? `${x.node.path} (a ${x.kind})` : typeof x;
}
