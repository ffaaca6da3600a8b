import { IConstruct } from 'constructs';
import { attachClusterModel } from './cluster-model';
import { check } from './errors';
import { labelValue } from './validate';

/** The product name written to `app.kubernetes.io/part-of` by default. */
export const PART_OF_DEFAULT = 'cdk8s-spark';

/**
 * The recommended `app.kubernetes.io/*` labels of one component.
 */
export interface StandardLabelsProps {
  /** `app.kubernetes.io/name`: the application, e.g. `spark-history-server`. */
  readonly name: string;

  /**
   * `app.kubernetes.io/instance`: distinguishes several installs of the same application.
   * @default - same as `name`
   */
  readonly instance?: string;

  /**
   * `app.kubernetes.io/component`: the role within the application, e.g. `controller`.
   * @default - no component label
   */
  readonly component?: string;

  /**
   * `app.kubernetes.io/part-of`: the higher-level system.
   * @default 'cdk8s-spark'
   */
  readonly partOf?: string;

  /**
   * `app.kubernetes.io/version`: the version of the application (not of this library).
   * @default - no version label
   */
  readonly version?: string;

  /**
   * `app.kubernetes.io/managed-by`.
   * @default 'cdk8s'
   */
  readonly managedBy?: string;
}

/**
 * The standard `app.kubernetes.io/*` labels.
 *
 * `selector()` returns only the labels that never change over an object's
 * life (name, instance, component): selectors of Deployments and StatefulSets
 * are immutable, so a version bump must not touch them.
 */
export class StandardLabels {
  /** Validates the values and builds the labels. */
  public static of(scope: IConstruct, props: StandardLabelsProps): StandardLabels {
    // Every construct of the library labels its objects: the one place that
    // knows the app holds our output, so the cluster model checks it at synth.
    attachClusterModel(scope);
    return new StandardLabels(scope, props);
  }

  /** Throws unless `value` is a valid label value. */
  public static validateValue(scope: IConstruct, property: string, value: string): string {
    return labelValue(scope, property, value);
  }

  /** `app.kubernetes.io/name`. */
  public readonly name: string;
  /** `app.kubernetes.io/instance`. */
  public readonly instance: string;
  /** `app.kubernetes.io/component`, when set. */
  public readonly component?: string;
  /** `app.kubernetes.io/part-of`. */
  public readonly partOf: string;
  /** `app.kubernetes.io/version`, when set. */
  public readonly version?: string;
  /** `app.kubernetes.io/managed-by`. */
  public readonly managedBy: string;

  private constructor(scope: IConstruct, props: StandardLabelsProps) {
    const v = (property: string, value: string | undefined) =>
      value === undefined ? undefined : StandardLabels.validateValue(scope, property, value);
    this.name = v('name', props.name)!;
    check(this.name.length > 0, scope, 'name', props.name, 'a non-empty label value');
    this.instance = v('instance', props.instance) ?? this.name;
    this.component = v('component', props.component);
    this.partOf = v('partOf', props.partOf) ?? PART_OF_DEFAULT;
    this.version = v('version', props.version);
    this.managedBy = v('managedBy', props.managedBy) ?? 'cdk8s';
  }

  /** All labels, for metadata. */
  public all(): { [key: string]: string } {
    return {
      ...this.selector(),
      'app.kubernetes.io/part-of': this.partOf,
      'app.kubernetes.io/managed-by': this.managedBy,
      ...(this.version ? { 'app.kubernetes.io/version': this.version } : {}),
    };
  }

  /** The stable subset, for label selectors. */
  public selector(): { [key: string]: string } {
    return {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.instance,
      ...(this.component ? { 'app.kubernetes.io/component': this.component } : {}),
    };
  }

  /** The same labels for another component of the same instance. */
  public forComponent(scope: IConstruct, component: string): StandardLabels {
    return new StandardLabels(scope, {
      name: this.name,
      instance: this.instance,
      component,
      partOf: this.partOf,
      version: this.version,
      managedBy: this.managedBy,
    });
  }
}
