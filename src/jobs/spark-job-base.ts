import { Chart } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkJobs } from './spark-job';
import { ISparkJob, SparkJobKind } from './spark-job-kind';
import { SparkPodRole } from './spark-job-spec';
import { ISparkServiceAccount, SparkServiceAccount } from './spark-service-account';
import { brand, isBranded } from '../core/brand';
import { refuseCredentialConf, refuseCredentialEnv, refuseCredentialUrl } from '../core/credentials';
import { check } from '../core/errors';
import { resolveNamespace } from '../core/kube-ref-checks';
import { INamespaceRef } from '../core/kube-refs';
import { DnsNames } from '../core/names';
import { SparkVolumeMount } from '../core/volume-mount';

/** Identity of a Spark job, given to {@link SparkJobBase} by each kind of job. */
export interface SparkJobBaseProps {
  /**
   * Name of the job: a DNS-1035 label of at most `maxNameLength` characters.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the job; its driver and executors run there.
   * @default - the chart's namespace, else 'default'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * The namespace as an object (see {@link SparkJobSpecOptions.namespaceRef}).
   * @default - `namespace` names it
   */
  readonly namespaceRef?: INamespaceRef;
  /** The longest name the kind of job allows (what its runner appends must fit in 63 characters). */
  readonly maxNameLength: number;
  /** True when the Spark operator runs the job. */
  readonly managedByOperator: boolean;
  /**
   * A batch job or a long-running service.
   * @default SparkJobKind.BATCH
   */
  readonly jobKind?: SparkJobKind;
}

/**
 * What every kind of Spark job shares: its identity (name and namespace,
 * resolved and checked once here), its driver ServiceAccount, its
 * registration with {@link SparkJobs}, and the mutators that add to what it
 * runs after construction ({@link addArgument}, {@link addSparkConf}). The
 * runners (operator, native spark-submit, standalone) render the rest.
 */
export abstract class SparkJobBase extends Construct implements ISparkJob {
  /** True when `x` is a Spark job made by this library (any loaded copy of it). */
  public static isSparkJobBase(x: any): x is SparkJobBase {
    return isBranded(x, KIND);
  }

  /** Name of the job. */
  public readonly name: string;
  /**
   * Namespace of the job.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The namespace the driver and executors run in (same as `namespace`). */
  public readonly jobNamespace: string;
  /** True when the Spark operator runs the job. */
  public readonly managedByOperator: boolean;
  /** A batch job or a long-running service (always set; optional as in {@link ISparkJob}). */
  public readonly jobKind?: SparkJobKind;

  protected constructor(scope: Construct, id: string, props: SparkJobBaseProps) {
    super(scope, id);
    brand(this, KIND);
    const namespace = resolveNamespace(this, props.namespace, props.namespaceRef);
    this.namespace = DnsNames.validateLabel(this, 'namespace', namespace ?? Chart.of(this).namespace ?? 'default');
    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? DnsNames.generate(this, { maxLength: props.maxNameLength }),
      props.maxNameLength);
    this.jobNamespace = this.namespace;
    this.managedByOperator = props.managedByOperator;
    this.jobKind = props.jobKind ?? SparkJobKind.BATCH;
  }

  /**
   * Adds an argument of the application, after those given in the props and
   * those added before. It takes effect whenever it is called before synthesis.
   */
  public addArgument(argument: string): void {
    check(typeof argument === 'string' && !argument.includes('\0'), this, 'arguments', argument, 'strings without NUL characters');
    refuseCredentialUrl(this, 'arguments', argument);
    this.applyArgument(argument);
  }

  /**
   * Sets a Spark configuration key, as if it were in the `sparkConf` prop:
   * the same keys are refused, and a key already set (by the props, the
   * event log store or the cluster) to another value is an error.
   */
  public addSparkConf(key: string, value: string): void {
    refuseCredentialConf(this, 'sparkConf key', key);
    this.applySparkConf(key, value);
  }

  /**
   * Adds an environment variable of the driver, as if it were in
   * `driver.env` (after the variables given there, before those the library
   * adds, such as the event log store's).
   */
  public addDriverEnv(name: string, value: EnvValue): void {
    refuseCredentialEnv(this, 'driver.env', name, value);
    this.applyEnv(SparkPodRole.DRIVER, name, value);
  }

  /** Adds an environment variable of the executors, as if it were in `executor.env`. */
  public addExecutorEnv(name: string, value: EnvValue): void {
    refuseCredentialEnv(this, 'executor.env', name, value);
    this.applyEnv(SparkPodRole.EXECUTOR, name, value);
  }

  /**
   * Mounts a volume into the driver, as if it were in `driver.volumeMounts`
   * (the volume joins the job's volumes once per name).
   */
  public addDriverVolumeMount(mount: SparkVolumeMount): void {
    this.applyVolumeMount(SparkPodRole.DRIVER, mount);
  }

  /** Mounts a volume into the executors, as if it were in `executor.volumeMounts`. */
  public addExecutorVolumeMount(mount: SparkVolumeMount): void {
    this.applyVolumeMount(SparkPodRole.EXECUTOR, mount);
  }

  /** Adds an argument (already checked) to what the job renders. */
  protected abstract applyArgument(argument: string): void;

  /** Checks a Spark configuration key and value and adds them to what the job renders. */
  protected abstract applySparkConf(key: string, value: string): void;

  /** Checks an environment variable of the driver or the executors and adds it to what the job renders. */
  protected abstract applyEnv(role: SparkPodRole, name: string, value: EnvValue): void;

  /** Checks a volume mount of the driver or the executors and adds it to what the job renders. */
  protected abstract applyVolumeMount(role: SparkPodRole, mount: SparkVolumeMount): void;

  /**
   * The driver's ServiceAccount: the given one, which must live in the job's
   * namespace (the job's objects apply after a cdk8s-plus one the app
   * emits), else the namespace's shared {@link SparkServiceAccount}.
   * @param owner how errors name the job's namespace, e.g. "the Job's"
   * @param given the `serviceAccount` prop
   */
  protected resolveServiceAccount(owner: string, given?: ISparkServiceAccount): ISparkServiceAccount {
    const serviceAccount = given ?? SparkServiceAccount.forNamespace(this, this.namespace);
    check(serviceAccount.namespace === this.namespace, this, 'serviceAccount', serviceAccount.node.path,
      `a SparkServiceAccount in ${owner} namespace "${this.namespace}" (it is in "${serviceAccount.namespace}")`);
    SparkServiceAccount._applyAfter(this, serviceAccount);
    return serviceAccount;
  }

  /** Registers the job with {@link SparkJobs}; runners call it last in their constructor. */
  protected registerJob(): void {
    SparkJobs.register(this);
  }
}

const KIND = 'SparkJob';
