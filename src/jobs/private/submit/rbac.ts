import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkConf } from '../../../core/spark-conf';
import { SparkImage } from '../../../core/spark-image';

// The identity of a cluster-mode submit pod: its own ServiceAccount, bound to
// a Role holding what spark-submit needs to run the driver.

const PVC_CLAIM_CONF = /^spark\.kubernetes\.driver\.volumes\.persistentVolumeClaim\.[^.]+\.options\.claimName$/;

export interface SubmitterRbac {
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly role: k8s.KubeRole;
  readonly roleBinding: k8s.KubeRoleBinding;
}

/**
 * The submitter's ServiceAccount, Role and RoleBinding, all named `name`; the
 * Role's rules follow the configuration at synth (`conf`), which
 * addSparkConf may still change.
 */
export function submitterRbac(scope: Construct, metadata: k8s.ObjectMeta & { readonly name: string; readonly namespace: string },
  image: SparkImage, conf: () => SparkConf): SubmitterRbac {
  return {
    serviceAccount: new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata }),
    role: new k8s.KubeRole(scope, 'Role', { metadata, rules: Lazy.any({ produce: () => submitterRules(image, conf()) }) }),
    roleBinding: new k8s.KubeRoleBinding(scope, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: metadata.name, namespace: metadata.namespace }],
    }),
  };
}

/**
 * The submitter's permissions, from what spark-submit does in cluster mode:
 * create the driver pod and watch it to its end (the wrapper then reads its
 * phase), create the driver's ConfigMaps (its conf, the executor pod
 * template) and Service, and delete them again when a later step fails.
 * Spark 4 applies the ConfigMaps and the Service server-side (patch);
 * Spark 3 creates or replaces them (update).
 */
function submitterRules(image: SparkImage, conf: SparkConf): k8s.PolicyRule[] {
  const apply = ['create', 'delete', 'get', 'patch', ...(image.isAtLeast(4, 0) ? [] : ['update'])];
  const rules: k8s.PolicyRule[] = [
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['configmaps', 'services'], verbs: apply },
  ];
  // Driver volumes with claimName OnDemand / SPARK_EXTRA are claims the submitter creates.
  if (conf.keys.some((key) => PVC_CLAIM_CONF.test(key) && ['OnDemand', 'SPARK_EXTRA'].includes(conf.get(key)!))) {
    rules.push({ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: apply });
  }
  return rules;
}
