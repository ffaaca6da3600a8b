import { k8s } from 'cdk8s-plus-28';

/**
 * The permissions of the Spark operator 2.5 (controller and webhook), split
 * by where they apply. Everything a job needs lives in the job namespaces; only
 * what is cluster-scoped by nature is granted cluster-wide.
 */

const CORE = '';
const SPARK = 'sparkoperator.k8s.io';
const COORDINATION = 'coordination.k8s.io';

/** What the controller needs in every namespace whose jobs it runs. */
export function controllerJobRules(options: {
  readonly batchScheduler: boolean;
  readonly kubeSchedulers: boolean;
  /** The controller creates an Ingress per application UI (`--ingress-url-format`). */
  readonly uiIngress?: boolean;
}): k8s.PolicyRule[] {
  const rules: k8s.PolicyRule[] = [
    // Driver and executor pods: watched for state, created by spark-submit
    // (which runs inside the controller pod under its service account),
    // deleted on retry, cancellation and cleanup.
    { apiGroups: [CORE], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
    // spark-submit writes the driver's Spark and Hadoop configuration into ConfigMaps.
    { apiGroups: [CORE], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
    // spark-submit creates the driver's headless Service; the controller
    // creates the web UI Service (and removes it when the run ends).
    { apiGroups: [CORE], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    // Application lifecycle events are recorded on the SparkApplication.
    { apiGroups: [CORE], resources: ['events'], verbs: ['create', 'update', 'patch'] },
    // Web UI and driverIngressOptions Ingresses. v2.5.2 reads an Ingress
    // before writing it through the manager's cached client
    // (internal/controller/sparkapplication/driveringress.go
    // createDriverIngressV1; cmd/operator/controller/start.go disables the
    // cache for no type), so the first read starts an Ingress informer, which
    // lists and watches: without those verbs it never syncs and the
    // reconcile waits on it. Upstream bypassed the cache after 2.5.2
    // (kubeflow/spark-operator#3032).
    {
      apiGroups: ['networking.k8s.io'],
      resources: ['ingresses'],
      verbs: options.uiIngress ? ['get', 'list', 'watch', 'create', 'update', 'delete'] : ['get', 'create', 'update', 'delete'],
    },
    // A ScheduledSparkApplication creates one SparkApplication per run and
    // deletes the runs beyond its history limits.
    { apiGroups: [SPARK], resources: ['sparkapplications'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    { apiGroups: [SPARK], resources: ['scheduledsparkapplications', 'sparkconnects'], verbs: ['get', 'list', 'watch'] },
    // State is written to the status subresource only.
    {
      apiGroups: [SPARK],
      resources: ['sparkapplications/status', 'scheduledsparkapplications/status', 'sparkconnects/status'],
      verbs: ['update'],
    },
    // Owner references with blockOwnerDeletion on the objects created for an
    // application need update on the owner's finalizers subresource.
    {
      apiGroups: [SPARK],
      resources: ['sparkapplications/finalizers', 'scheduledsparkapplications/finalizers', 'sparkconnects/finalizers'],
      verbs: ['update'],
    },
  ];
  if (options.batchScheduler) {
    // Volcano gang scheduling: one PodGroup per application.
    rules.push({
      apiGroups: ['scheduling.incubator.k8s.io', 'scheduling.sigs.dev', 'scheduling.volcano.sh'],
      resources: ['podgroups'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    });
  }
  if (options.kubeSchedulers) {
    // scheduler-plugins coscheduling (kube-scheduler names): its PodGroups.
    rules.push({
      apiGroups: ['scheduling.x-k8s.io'],
      resources: ['podgroups'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    });
  }
  return rules;
}

/**
 * What the controller needs cluster-wide whatever it watches: the CRD lookup
 * (the chart's ClusterRole with job namespaces; v2.5.2 reads no Nodes), and
 * the Namespaces when it selects its job namespaces by label.
 */
export function controllerClusterRules(namespaceSelector: boolean): k8s.PolicyRule[] {
  return [
    // Checks that optional CRDs (e.g. Volcano's PodGroup) are installed.
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get'] },
    // With --namespace-selector the controller reads each object's Namespace
    // from its cache to match the labels (v2.5.2 pkg/util/namespace.go
    // MatchesWithClient; the chart's controller ClusterRole grants the same).
    ...(namespaceSelector ? [{ apiGroups: [CORE], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }] : []),
  ];
}

/** Leader election in the operator's own namespace: one Lease, plus its events. */
export function leaderElectionRules(lockName: string): k8s.PolicyRule[] {
  return [
    // create cannot be limited to a name (the object does not exist yet).
    { apiGroups: [COORDINATION], resources: ['leases'], verbs: ['create'] },
    { apiGroups: [COORDINATION], resources: ['leases'], resourceNames: [lockName], verbs: ['get', 'update'] },
    // Leadership changes are recorded as events in the same namespace.
    { apiGroups: [CORE], resources: ['events'], verbs: ['create', 'update', 'patch'] },
  ];
}

/** What the webhook reads in every namespace whose jobs it admits. */
export function webhookJobRules(): k8s.PolicyRule[] {
  return [
    // Pod defaulting looks up the pod's SparkApplication; quota enforcement
    // sums the pods and ResourceQuotas of the namespace. Admission answers are
    // patches in the response, so the webhook itself never writes these.
    { apiGroups: [CORE], resources: ['pods', 'resourcequotas'], verbs: ['get', 'list', 'watch'] },
    {
      apiGroups: [SPARK],
      resources: ['sparkapplications', 'scheduledsparkapplications', 'sparkconnects'],
      verbs: ['get', 'list', 'watch'],
    },
  ];
}

/**
 * The self-generated certificate: the webhook creates its Secret on first
 * start, then reads and rotates it. With cert-manager it only reads it.
 */
export function webhookSecretRules(secretName: string, selfGenerated: boolean): k8s.PolicyRule[] {
  if (!selfGenerated) {
    return [{ apiGroups: [CORE], resources: ['secrets'], resourceNames: [secretName], verbs: ['get'] }];
  }
  return [
    { apiGroups: [CORE], resources: ['secrets'], verbs: ['create'] },
    { apiGroups: [CORE], resources: ['secrets'], resourceNames: [secretName], verbs: ['get', 'update'] },
  ];
}

/**
 * With the self-generated certificate the webhook writes its CA into the
 * caBundle of its own two configurations (watched through a cluster-wide
 * informer, hence list and watch without a name).
 */
export function webhookConfigurationRules(configurationName: string): k8s.PolicyRule[] {
  const resources = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'];
  return [
    { apiGroups: ['admissionregistration.k8s.io'], resources, verbs: ['list', 'watch'] },
    { apiGroups: ['admissionregistration.k8s.io'], resources, resourceNames: [configurationName], verbs: ['get', 'update'] },
  ];
}
