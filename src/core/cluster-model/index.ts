import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { crdRule, identityRule, serviceAccountRule, serviceAllocationRule } from './admission';
import { connectServerRule } from './connect';
import { limitsRule } from './limits';
import { monitorPortRule } from './monitors';
import { driverHostRule } from './network';
import { networkPolicyRule } from './network-policy';
import { ModelObject, Rule } from './objects';
import { podSecurityRule } from './pod-security';
import { webhookRule } from './webhooks';
import { AppSlot } from '../app-context';
import { renderedJson } from '../rendered-json';

export { ModelObject } from './objects';

/**
 * The model of what the cluster does with the app's output: each rule reads
 * every object and reports what the API server, a controller or Spark would
 * refuse or break. Runs on the whole app at synth (see {@link attachClusterModel})
 * and on manifests in the tests.
 */
export const CLUSTER_RULES: readonly Rule[] = [
  crdRule, identityRule, serviceAllocationRule, serviceAccountRule, podSecurityRule, limitsRule, driverHostRule, networkPolicyRule, webhookRule,
  monitorPortRule, connectServerRule,
];

/** Findings of every rule on `objects`. */
export function checkCluster(objects: readonly ModelObject[]): string[] {
  return CLUSTER_RULES.flatMap((rule) => rule(objects));
}

/** The app's ApiObjects, rendered as they will be written. */
export function appObjects(root: IConstruct): ModelObject[] {
  const out: ModelObject[] = [];
  for (const c of root.node.findAll()) {
    if (ApiObject.isApiObject(c)) {
      out.push({ path: c.node.path, json: renderedJson(c) });
    }
  }
  return out;
}

interface ModelState {
  attached: boolean;
  /** Run before the model reads the app (constructs that finish objects at validation, e.g. sync waves). */
  readonly prepare: Array<() => void>;
  /** Findings of the current synthesis, while it runs (see validate below). */
  cached?: { constructs: number; findings: string[] };
}

const STATE = new AppSlot<ModelState>('cluster-model', () => ({ attached: false, prepare: [] }));

/**
 * Has `prepare` run before the cluster model reads the app of `scope`: for
 * constructs that complete other objects during validation (ArgoCdSyncWaves
 * annotates them), so the model sees the objects as they will be written.
 */
export function beforeClusterModel(scope: IConstruct, prepare: () => void): void {
  STATE.of(scope).prepare.push(prepare);
}

/**
 * Runs the cluster model as a validation of the app that contains `scope`,
 * once per app however many constructs ask for it. Library constructs call
 * this from their constructors; the app's own ApiObjects are checked too.
 */
export function attachClusterModel(scope: IConstruct): void {
  const state = STATE.of(scope);
  if (state.attached) {
    return;
  }
  state.attached = true;
  const root = scope.node.root;
  root.node.addValidation({
    validate: () => {
      // cdk8s validates the whole app once per chart while it writes the
      // charts (App.synth, Chart.toJson), all in one synchronous run. The
      // findings are kept for that run only: dropped at the next microtask, or
      // as soon as the app has another number of constructs.
      const constructs = root.node.findAll().length;
      if (state.cached?.constructs === constructs) {
        return state.cached.findings;
      }
      state.prepare.forEach((prepare) => prepare());
      const findings = checkCluster(appObjects(root)).map((finding) => `cluster model: ${finding}`);
      state.cached = { constructs, findings };
      queueMicrotask(() => { state.cached = undefined; });
      return findings;
    },
  });
}
