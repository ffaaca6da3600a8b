// The rules the validation plugin reports under, with the recommendation and
// fix cdk8s prints once per rule (each location says what exactly is wrong).
import { crdRule, identityRule, serviceAccountRule, serviceAllocationRule } from '../../core/cluster-model/admission';
import { connectServerRule } from '../../core/cluster-model/connect';
import { limitsRule } from '../../core/cluster-model/limits';
import { monitorPortRule } from '../../core/cluster-model/monitors';
import { driverHostRule } from '../../core/cluster-model/network';
import { networkPolicyRule } from '../../core/cluster-model/network-policy';
import { Rule } from '../../core/cluster-model/objects';
import { podSecurityRule } from '../../core/cluster-model/pod-security';
import { webhookRule } from '../../core/cluster-model/webhooks';
import { ManifestRule } from '../manifest-checks';

export interface RuleText {
  /** The rule name cdk8s shows as the violation's title. */
  readonly name: string;
  readonly recommendation: string;
  readonly fix: string;
}

const SEE_LOCATION = 'Each location names the object and what the cluster would do with it;';

/** The manifest checks (manifest-checks.ts), plus parse failures and scripts. */
export const MANIFEST_RULES: { readonly [rule in ManifestRule | 'manifest-parse' | 'shell-script']: RuleText } = {
  'manifest-parse': {
    name: 'manifest-parse',
    recommendation: 'Every manifest must be valid YAML: kubectl refuses the whole file otherwise.',
    fix: 'Correct the YAML at the line the location gives (a file written by cdk8s is always valid: look for files edited or added by hand).',
  },
  'schema': {
    name: 'kubernetes-schema',
    recommendation: 'Objects must match the Kubernetes API schema of their apiVersion and kind (types, required fields, enums): '
      + 'the API server refuses them otherwise.',
    fix: 'Correct the field at each location as its message says.',
  },
  'unknown-field': {
    name: 'unknown-field',
    recommendation: 'The Kubernetes type does not declare these fields: the API server refuses the object under strict field '
      + 'validation (kubectl\'s default) or drops the field, so the setting never takes effect.',
    fix: 'Remove the field or correct its name (the message suggests the closest declared one).',
  },
  'crd-schema': {
    name: 'crd-schema',
    recommendation: 'Custom resources must match the openAPIV3Schema of their CustomResourceDefinition, in a served version: '
      + 'the API server refuses them otherwise.',
    fix: 'Correct the field at each location as its message says.',
  },
  'crd-pruned-field': {
    name: 'crd-pruned-field',
    recommendation: 'The CRD schema does not declare these fields: the API server silently prunes them when it stores the object, '
      + 'so the controller never sees them.',
    fix: 'Remove the field or correct its name (the message suggests the closest declared one), or install a CRD version that declares it.',
  },
  'unknown-kind': {
    name: 'unknown-kind',
    recommendation: 'No schema is known for these objects (not a built-in kind, no CustomResourceDefinition among the manifests, '
      + 'the library\'s own CRDs or properties.crdFiles), so they were not checked; the API server refuses a kind whose CRD is not installed.',
    fix: 'Add the CRD\'s YAML file to properties.crdFiles in cdk8s.yaml, or list the kind as "<group>/<Kind>" in properties.allowUnknownKinds.',
  },
  'shell-script': {
    name: 'shell-script',
    recommendation: 'Scripts written beside the manifests must parse (bash -n), pass shellcheck at every severity and be formatted by shfmt.',
    fix: 'Correct the script as the tool output says; for a script the library generates, report it as a bug of cdk8s-spark.',
  },
};

interface ClusterRule extends RuleText {
  readonly rule: Rule;
}

/** The cluster model's rules (core/cluster-model), by name. */
export const CLUSTER_RULE_TEXTS: readonly ClusterRule[] = [
  {
    rule: crdRule,
    name: 'admission-crd',
    recommendation: 'The API server refuses these CustomResourceDefinitions (name, protected group, storage version, structural schema).',
    fix: `${SEE_LOCATION} change the CRD as it says.`,
  },
  {
    rule: identityRule,
    name: 'duplicate-object',
    recommendation: 'Two objects share kind, namespace and name: the second replaces the first when applied (Argo CD refuses to sync).',
    fix: `${SEE_LOCATION} rename one of the two.`,
  },
  {
    rule: serviceAllocationRule,
    name: 'service-allocation',
    recommendation: 'A fixed clusterIP or nodePort belongs to one Service: the API server refuses the second.',
    fix: `${SEE_LOCATION} give one Service another address or port.`,
  },
  {
    rule: serviceAccountRule,
    name: 'service-account',
    recommendation: 'Pods run as a ServiceAccount the app does not create in a namespace it creates: the API server refuses the pods.',
    fix: `${SEE_LOCATION} create the account in the app or name one that exists.`,
  },
  {
    rule: podSecurityRule,
    name: 'pod-security',
    recommendation: 'Pods break the Pod Security Standard their namespace enforces (pod-security.kubernetes.io/enforce): '
      + 'the API server refuses them.',
    fix: `${SEE_LOCATION} set the securityContext fields it names (the library's constructs do by default), or run the pods elsewhere.`,
  },
  {
    rule: limitsRule,
    name: 'limits-and-quotas',
    recommendation: 'Pods that the namespace\'s LimitRange or ResourceQuota makes the API server refuse.',
    fix: `${SEE_LOCATION} change the requests and limits, or the LimitRange or ResourceQuota.`,
  },
  {
    rule: driverHostRule,
    name: 'spark-driver-host',
    recommendation: 'A client-mode Spark driver that its executors cannot connect back to.',
    fix: `${SEE_LOCATION} give the driver an address its executors can reach.`,
  },
  {
    rule: networkPolicyRule,
    name: 'network-policy',
    recommendation: 'The app\'s NetworkPolicies block traffic Spark needs (DNS, driver and executors, API server, standalone master).',
    fix: `${SEE_LOCATION} it says which policy to change.`,
  },
  {
    rule: webhookRule,
    name: 'admission-webhook',
    recommendation: 'Admission webhooks of the app (the Spark operator\'s, or a failurePolicy Fail webhook) refuse objects of the app.',
    fix: `${SEE_LOCATION} change the object as it says.`,
  },
  {
    rule: monitorPortRule,
    name: 'monitor-targets',
    recommendation: 'A ServiceMonitor or PodMonitor endpoint names a port that none of the Services or pods it selects declares: Prometheus scrapes nothing.',
    fix: `${SEE_LOCATION} name a port the selected objects declare, or declare it.`,
  },
  {
    rule: connectServerRule,
    name: 'spark-connect-server',
    recommendation: 'A SparkConnect server pod too small for its driver heap and the JVM overhead, or without a ServiceAccount to create its executors.',
    fix: `${SEE_LOCATION} raise the server pod's memory limit or lower its memory, or give the server a ServiceAccount.`,
  },
];
