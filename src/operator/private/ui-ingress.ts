import { IConstruct } from 'constructs';
import { OperatorFacts } from './operators';
import { check, invalidInput, pathOf } from '../../core/errors';
import { annotations as checkAnnotations, dnsSubdomain, ingressTls, isDnsSubdomain, isHttpPath } from '../../core/validate';
import type { JobUiNeeds } from '../../jobs/job-events';
import type { SparkOperatorUiIngressOptions } from '../spark-ui-ingress';

// The operator's Ingress per application UI (kubeflow/spark-operator v2.5.2):
// cmd/operator/controller/start.go takes --ingress-url-format,
// --ingress-class-name, --ingress-tls (JSON list of networking/v1 IngressTLS)
// and --ingress-annotations (JSON object); the controller creates the Ingress
// only with the UI Service on (controller.go, inside `if EnableUIService`).
// internal/controller/sparkapplication/driveringress.go getDriverIngressURL
// replaces {{$appName}}, {{$appNamespace}} and {{$appId}} (spaces allowed
// inside the braces), prefixes http:// when there is no scheme and parses
// the result as a URL: its host becomes the Ingress rule's host, its path the
// rule's path.

/** What the install keeps of its checked `controller.uiIngress`. */
export interface CheckedUiIngress {
  readonly urlFormat: string;
  /** The format names the application's namespace. */
  readonly namespaced: boolean;
  readonly args: string[];
}

const VARIABLE = /{{\s*\$(\w+)\s*}}/g;
const PROPERTY = 'controller.uiIngress';

/** Checks `controller.uiIngress` (when given) and renders its flags. */
export function checkUiIngress(scope: IConstruct, options: SparkOperatorUiIngressOptions | undefined,
  uiService: boolean): CheckedUiIngress | undefined {
  if (options === undefined) {
    return undefined;
  }
  check(uiService, scope, PROPERTY, 'set', 'left out when controller.uiService is false: the operator puts the Ingress in front of the UI Service');
  const format = options.urlFormat;
  const where = `${PROPERTY}.urlFormat`;
  check(typeof format === 'string' && format.trim() !== '', scope, where, format,
    'a host name and optional path naming the application, e.g. "{{$appName}}.{{$appNamespace}}.spark.example.com"');
  const variables = [...format.matchAll(VARIABLE)].map((m) => m[1]);
  for (const v of variables) {
    // {{$appId}}: the operator fills the Spark UI's proxy base in before submission, when the application has no id yet.
    check(v === 'appName' || v === 'appNamespace', scope, where, format,
      `only {{$appName}} and {{$appNamespace}} as variables (not {{$${v}}}${v === 'appId'
        ? ', empty when the operator sets the UI\'s proxy base before submission' : ''})`);
  }
  check(variables.includes('appName'), scope, where, format,
    'a URL naming the application with {{$appName}}: two applications must not share a host and path');
  // A sample URL: every variable becomes a valid host label and path segment.
  const sample = format.replace(VARIABLE, (_all, v: string) => (v === 'appName' ? 'app' : 'ns'));
  const url = /^(?:https?:\/\/)?([^/]*)(\/.*)?$/.exec(sample);
  check(url !== null && isDnsSubdomain(url[1]), scope, where, format,
    'an optional http:// or https://, then a host name of lowercase letters, digits, \'-\' and \'.\' (no port: an Ingress rule has none)');
  const path = url![2];
  if (path !== undefined) {
    check(isHttpPath(path), scope, where, format,
      'a path of letters, digits, \'-\', \'.\', \'_\', \'~\' and \'/\' after the host (no query, no fragment)');
    check(!path.endsWith('/'), scope, where, format,
      'a path without a trailing \'/\' (the operator appends its own pattern); leave the path out to serve the UI at the host\'s root');
  }
  const args = [`--ingress-url-format=${format}`];
  if (options.ingressClassName !== undefined) {
    args.push(`--ingress-class-name=${dnsSubdomain(scope, `${PROPERTY}.ingressClassName`, options.ingressClassName)}`);
  }
  const tls = ingressTls(scope, `${PROPERTY}.tls`, options.tls);
  if (tls.length > 0) {
    args.push(`--ingress-tls=${JSON.stringify(tls)}`);
  }
  const annotations = checkAnnotations(scope, `${PROPERTY}.annotations`, options.annotations);
  if (Object.keys(annotations).length > 0) {
    args.push(`--ingress-annotations=${JSON.stringify(annotations)}`);
  }
  return { urlFormat: format, namespaced: variables.includes('appNamespace'), args };
}

/** The controller's flags of a checked UI Ingress. */
export function uiIngressArguments(checked: CheckedUiIngress | undefined): string[] {
  return checked?.args ?? [];
}

/**
 * What the install finds wrong with its UI settings once the app is
 * complete: a URL without the namespace when the operator may run jobs in
 * several namespaces, and jobs it runs that set UI options it does not serve.
 */
export function uiIngressFindings(install: OperatorFacts, checked: CheckedUiIngress | undefined, uiService: boolean,
  needs: JobUiNeeds[]): string[] {
  const errors: string[] = [];
  const manyNamespaces = install.watchesAllNamespaces || install.jobNamespaceSelector !== undefined || install.jobNamespaces.length > 1;
  if (checked !== undefined && !checked.namespaced && manyNamespaces) {
    errors.push(invalidInput(install, `${PROPERTY}.urlFormat`, checked.urlFormat, 'a URL naming the namespace with {{$appNamespace}} too: '
      + 'the operator runs jobs in several namespaces, and two applications of one name in two namespaces would share a URL').message);
  }
  for (const need of needs.filter((n) => install.watchesNamespace(n.job.jobNamespace))) {
    if (need.ingress && checked === undefined) {
      errors.push(invalidInput(need.job, 'uiIngress', 'set', `left out, or a UI Ingress on the Spark operator ${pathOf(install)} `
        + 'that runs the job (its controller.uiIngress): without one it creates no Ingress').message);
    }
    if (need.service && !uiService) {
      errors.push(invalidInput(need.job, 'uiService', 'set', `left out, as the Spark operator ${pathOf(install)} that runs the job `
        + 'creates no UI Service (its controller.uiService is false)').message);
    }
  }
  return errors;
}
