/**
 * The library's checks as a cdk8s validation plugin: `cdk8s synth` runs it on
 * the manifests it has just written when cdk8s.yaml enables it:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-spark/lib/validation/plugin.js
 *     version: 0.0.0          # any exact version: cdk8s only prints it (local plugins are not installed)
 *     class: SparkManifestValidation
 *     properties:             # all optional
 *       crdFiles: [crds/argocd-application.yaml]
 *       allowUnknownKinds: [monitoring.coreos.com/ServiceMonitor]
 *       admission: true
 *       scripts: true
 * ```
 *
 * It checks every object against the Kubernetes schema of its kind (types,
 * required fields, enums, undeclared fields), custom resources against their
 * CRDs (those among the manifests, the library's Spark operator CRDs and
 * `crdFiles`; undeclared fields would be pruned), the app as a whole against
 * the cluster model (Pod Security, LimitRanges and quotas, webhooks, network
 * policies...), and the shell scripts written beside the manifests with
 * `bash -n`, shellcheck and shfmt when they are installed. Everything runs
 * offline. cdk8s prints one violation per rule; `cdk8s synth` exits with 2
 * when there is any.
 *
 * The cdk8s CLI loads this file with `require` and constructs the class with
 * the `properties`; it is not part of the jsii API (src/index.ts does not
 * export it), as the CLI's plugin types are not jsii types.
 */
import { parseOptions, PluginOptions } from './private/options';
import { runChecks, Violation } from './private/run';

/**
 * What the plugin uses of the context cdk8s-cli passes to `validate`
 * (cdk8s-cli lib/plugins/validation.d.ts, ValidationContext).
 */
export interface ValidationPluginContext {
  /** Paths of the YAML files `cdk8s synth` wrote. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: Violation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
  /** Construct paths by object name, when `cdk8s synth` recorded them. */
  readonly metadata?: { readonly [name: string]: { readonly path: string } };
}

/**
 * Properties of {@link SparkManifestValidation} (cdk8s.yaml,
 * `validations[].properties`).
 */
export interface SparkManifestValidationProperties {
  /**
   * YAML files holding CustomResourceDefinitions of custom resources in the
   * manifests (Argo CD, cert-manager, Prometheus operator...), relative to
   * the folder of cdk8s.yaml. Other objects in the files are ignored.
   * @default - the CRDs among the manifests and the library's Spark operator CRDs only
   */
  readonly crdFiles?: string[];
  /**
   * Kinds without a known schema that are not reported, as `<group>/<Kind>`.
   * @default - an object with no schema is a violation
   */
  readonly allowUnknownKinds?: string[];
  /**
   * Run the cluster model (what the API server, its admission plugins and
   * the Spark operator's webhooks would refuse).
   * @default true
   */
  readonly admission?: boolean;
  /**
   * Check the `*.sh` files in the output directory with bash -n, shellcheck
   * and shfmt (a tool that is not installed is skipped, and the log says so).
   * @default true
   */
  readonly scripts?: boolean;
}

/** The cdk8s validation plugin of cdk8s-spark. */
export class SparkManifestValidation {
  private readonly options: PluginOptions;

  constructor(properties: SparkManifestValidationProperties = {}) {
    this.options = parseOptions(properties);
  }

  /** Runs every check on the manifests and submits the report. */
  public async validate(context: ValidationPluginContext): Promise<void> {
    const result = await runChecks(context.manifests, context.metadata, this.options, (message) => context.logger.log(message));
    for (const violation of result.violations) {
      context.report.addViolation(violation);
    }
    context.report.submit(result.violations.length === 0 ? 'success' : 'failure', result.summary);
  }
}
