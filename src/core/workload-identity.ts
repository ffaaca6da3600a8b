import { brand, isBranded } from './brand';
import { check, Where } from './errors';
import { annotations as checkAnnotations, typed } from './validate';

/** The cloud whose workload identity a {@link WorkloadIdentity} binds a ServiceAccount to. */
export enum WorkloadIdentityProvider {
  /** Amazon EKS IAM roles for service accounts (IRSA). */
  AWS = 'aws',
  /** GKE Workload Identity (Federation for GKE). */
  GCP = 'gcp',
  /** Microsoft Entra (Azure AD) Workload Identity on AKS. */
  AZURE = 'azure',
}

/** Options of {@link WorkloadIdentity.azure}. */
export interface AzureWorkloadIdentityOptions {
  /**
   * The Microsoft Entra tenant (a GUID) the application or managed identity
   * is registered in (annotation `azure.workload.identity/tenant-id`).
   * @default - the tenant the workload identity webhook is configured with (its `AZURE_TENANT_ID`)
   */
  readonly tenantId?: string;
}

const AWS_ANNOTATION = 'eks.amazonaws.com/role-arn';
const GCP_ANNOTATION = 'iam.gke.io/gcp-service-account';
const AZURE_CLIENT_ANNOTATION = 'azure.workload.identity/client-id';
const AZURE_TENANT_ANNOTATION = 'azure.workload.identity/tenant-id';
const AZURE_USE_LABEL = 'azure.workload.identity/use';

// arn:<partition>:iam::<account>:role/<path/><name>: IAM role names are 1-64
// characters of letters, digits and +=,.@_-; a path is segments of the same.
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
// <name>@<project>.iam.gserviceaccount.com: both 6-30 lowercase letters, digits
// and hyphens, starting with a letter and not ending with a hyphen.
const GCP_EMAIL = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A cloud identity for the pods of a ServiceAccount, a choice of one
 * provider: the annotations the provider's webhook or metadata server reads on
 * the ServiceAccount, and, for Azure, the label it needs on every pod running
 * as that account. Constructs that create a ServiceAccount take it as their
 * `identity` prop, annotate the account and label the pods they render.
 *
 * - {@link WorkloadIdentity.aws}: IAM roles for service accounts,
 *   https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 * - {@link WorkloadIdentity.gcp}: GKE Workload Identity,
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 * - {@link WorkloadIdentity.azure}: Azure Workload Identity,
 *   https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html
 *
 * The cloud side (the IAM role's trust policy, the IAM binding of the Google
 * service account, the federated credential of the Azure identity) is yours
 * to set up: it names the ServiceAccount's namespace and name.
 */
export class WorkloadIdentity {
  /**
   * An AWS IAM role the pods assume (IRSA): the ServiceAccount gets
   * `eks.amazonaws.com/role-arn`, and the EKS pod identity webhook gives
   * the pods `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`
   * (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html).
   * The role's trust policy must allow the cluster's OIDC provider for
   * `system:serviceaccount:<namespace>:<name>`.
   *
   * @param roleArn the role's ARN, `arn:aws:iam::<12-digit account>:role/<path/><name>`
   */
  public static aws(roleArn: string): WorkloadIdentity {
    check(typeof roleArn === 'string' && ROLE_ARN.test(roleArn), 'WorkloadIdentity.aws', 'roleArn', roleArn,
      'an IAM role ARN, arn:aws[-partition]:iam::<12-digit account id>:role/[<path>/]<name>, e.g. "arn:aws:iam::123456789012:role/spark-jobs"');
    return new WorkloadIdentity(WorkloadIdentityProvider.AWS, { [AWS_ANNOTATION]: roleArn }, {});
  }

  /**
   * A Google service account the pods act as (GKE Workload Identity): the
   * ServiceAccount gets `iam.gke.io/gcp-service-account`
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity).
   * The Google service account must grant `roles/iam.workloadIdentityUser`
   * to `<project>.svc.id.goog[<namespace>/<name>]`.
   *
   * @param serviceAccountEmail `<name>@<project id>.iam.gserviceaccount.com`
   */
  public static gcp(serviceAccountEmail: string): WorkloadIdentity {
    check(typeof serviceAccountEmail === 'string' && GCP_EMAIL.test(serviceAccountEmail), 'WorkloadIdentity.gcp', 'serviceAccountEmail',
      serviceAccountEmail, 'a Google service account email <name>@<project id>.iam.gserviceaccount.com, name and project id of 6-30 lowercase'
      + ' letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. "spark-jobs@my-project.iam.gserviceaccount.com"');
    return new WorkloadIdentity(WorkloadIdentityProvider.GCP, { [GCP_ANNOTATION]: serviceAccountEmail }, {});
  }

  /**
   * A Microsoft Entra application or user-assigned managed identity the pods
   * act as (Azure Workload Identity): the ServiceAccount gets
   * `azure.workload.identity/client-id` (and `azure.workload.identity/tenant-id`
   * when given), and every pod the library runs as that account gets the label
   * `azure.workload.identity/use: "true"`, without which (since the webhook's
   * v1.0) the webhook leaves the pod alone
   * (https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html).
   * The identity needs a federated credential for
   * `system:serviceaccount:<namespace>:<name>`.
   *
   * @param clientId the client (application) id, a GUID
   * @param options the tenant
   */
  public static azure(clientId: string, options: AzureWorkloadIdentityOptions = {}): WorkloadIdentity {
    const where = 'WorkloadIdentity.azure';
    check(typeof clientId === 'string' && GUID.test(clientId), where, 'clientId', clientId,
      'the client (application) id of the Entra application or managed identity, a GUID such as "00000000-0000-0000-0000-000000000000"');
    const tenantId = options?.tenantId;
    check(tenantId === undefined || (typeof tenantId === 'string' && GUID.test(tenantId)), where, 'tenantId', tenantId,
      'the Entra tenant id, a GUID such as "00000000-0000-0000-0000-000000000000"');
    return new WorkloadIdentity(WorkloadIdentityProvider.AZURE, {
      [AZURE_CLIENT_ANNOTATION]: clientId,
      ...(tenantId !== undefined ? { [AZURE_TENANT_ANNOTATION]: tenantId } : {}),
    }, { [AZURE_USE_LABEL]: 'true' });
  }

  /**
   * Pod labels: `labels` (a pod's own labels prop, named `property`) plus
   * the labels the identity of the pod's ServiceAccount needs (`identity`),
   * refusing a label of both with another value. Returns `labels` itself
   * when the identity needs none.
   * @internal
   */
  public static _podLabels(where: Where, property: string, labels: { [key: string]: string } | undefined,
    identity: WorkloadIdentity | undefined): { [key: string]: string } | undefined {
    const required = identity?.podLabels ?? {};
    if (Object.keys(required).length === 0) {
      return labels;
    }
    for (const [key, value] of Object.entries(required)) {
      const given = labels?.[key];
      check(given === undefined || given === value, where, property, `${key}=${given}`,
        `"${value}" for ${key}, which the ServiceAccount's workload identity needs on the pod (or leave it out)`);
    }
    return { ...(labels ?? {}), ...required };
  }

  /**
   * `identity` (a construct's `identity` prop, named `property`) when it is
   * a WorkloadIdentity or not given; anything else (from plain JavaScript)
   * is refused.
   * @internal
   */
  public static _checked(where: Where, property: string, identity: WorkloadIdentity | undefined): WorkloadIdentity | undefined {
    return typed(where, property, identity, WorkloadIdentity.isWorkloadIdentity,
      'a WorkloadIdentity, e.g. WorkloadIdentity.aws("arn:aws:iam::123456789012:role/spark")');
  }

  /**
   * The annotations of a ServiceAccount a construct creates: `given` (its
   * `serviceAccountAnnotations` prop, named `property`; checked) plus those
   * of `identity`, refusing a key of both; undefined when there are none.
   * @internal
   */
  public static _serviceAccountAnnotations(where: Where, property: string, given: { [key: string]: string } | undefined,
    identity: WorkloadIdentity | undefined): { [key: string]: string } | undefined {
    const checked = checkAnnotations(where, property, given);
    const all = identity ? identity._annotationsWith(where, property, checked) : checked;
    return Object.keys(all).length > 0 ? all : undefined;
  }

  /** True when `x` is a {@link WorkloadIdentity} (also from another copy of the library). */
  public static isWorkloadIdentity(x: any): x is WorkloadIdentity {
    return isBranded(x, KIND);
  }

  /** The cloud. */
  public readonly provider: WorkloadIdentityProvider;
  /** The annotations of the ServiceAccount. */
  public readonly serviceAccountAnnotations: { [key: string]: string };
  /** The labels every pod running as the ServiceAccount needs (empty but for Azure). */
  public readonly podLabels: { [key: string]: string };

  private constructor(provider: WorkloadIdentityProvider, annotations: { [key: string]: string }, podLabels: { [key: string]: string }) {
    brand(this, KIND);
    this.provider = provider;
    this.serviceAccountAnnotations = Object.freeze(annotations) as { [key: string]: string };
    this.podLabels = Object.freeze(podLabels) as { [key: string]: string };
  }

  /**
   * The ServiceAccount's annotations: `given` (a construct's own annotations
   * prop, named `property`) plus this identity's, refusing a key of both.
   * @internal
   */
  public _annotationsWith(where: Where, property: string, given: { [key: string]: string } | undefined): { [key: string]: string } {
    for (const key of Object.keys(given ?? {})) {
      check(!(key in this.serviceAccountAnnotations), where, property, key,
        `annotations other than those the identity sets (${Object.keys(this.serviceAccountAnnotations).join(', ')}); set ${key} through identity only`);
    }
    return { ...(given ?? {}), ...this.serviceAccountAnnotations };
  }
}

const KIND = 'WorkloadIdentity';
