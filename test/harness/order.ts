/**
 * Builds one app in several construction orders and renders every chart, so
 * that a test can compare the YAML byte for byte with the canonical order.
 *
 * An app is a list of steps (create the operator, a tenant, a job, call a
 * mutator...) run against a shared state. A step runs after the steps it
 * names in `after`. Steps that create siblings under one scope name that
 * scope in `siblings`: they keep their relative order in every shuffle,
 * because cdk8s writes a scope's children in the order they were added (that
 * order is the user's, not wiring). Everything else may move.
 */
import { App, Testing, Yaml } from 'cdk8s';
import { GeneratedFile } from '../../src';

/** One thing the app's author does. */
export interface Step<S> {
  /** Unique name, used in `after` and in failure messages. */
  readonly name: string;
  /** Steps that must have run first (what this step uses). */
  readonly after?: string[];
  /** Steps with the same value create siblings under one scope: they keep their listed order. */
  readonly siblings?: string;
  readonly run: (state: S) => void;
}

/** An app described as steps. */
export interface OrderScenario<S> {
  readonly name: string;
  /** The state before any step: typically the apps and their charts (chart order is file order). */
  readonly setup: () => S;
  /** The apps to render, from the state after every step. */
  readonly apps: (state: S) => App[];
  /** The steps, in the canonical order (which must satisfy every constraint). */
  readonly steps: Array<Step<S>>;
}

/** A small seeded generator (Park-Miller, exact in doubles), so that every shuffle can be replayed from its seed. */
export function seeded(seed: number): () => number {
  const M = 2147483647;
  let a = ((Math.floor(seed) % (M - 1)) + (M - 1)) % (M - 1) + 1;
  const next = () => {
    a = (a * 48271) % M;
    return (a - 1) / (M - 1);
  };
  // The first outputs of small seeds are small too: skip them.
  for (let i = 0; i < 8; i++) next();
  return next;
}

/** The constraints of each step: its `after` list plus the sibling before it. */
function constraints<S>(steps: Array<Step<S>>): Map<string, Set<string>> {
  const names = new Set<string>();
  const lastOfGroup = new Map<string, string>();
  const out = new Map<string, Set<string>>();
  for (const step of steps) {
    if (names.has(step.name)) throw new Error(`order scenario: step "${step.name}" is listed twice`);
    const before = new Set(step.after ?? []);
    for (const name of before) {
      if (!names.has(name)) throw new Error(`order scenario: step "${step.name}" runs after "${name}", which is not listed before it`);
    }
    if (step.siblings !== undefined) {
      const previous = lastOfGroup.get(step.siblings);
      if (previous !== undefined) before.add(previous);
      lastOfGroup.set(step.siblings, step.name);
    }
    names.add(step.name);
    out.set(step.name, before);
  }
  return out;
}

/** A random order of `steps` that respects every constraint (a random topological sort). */
export function shuffle<S>(steps: Array<Step<S>>, seed: number): Array<Step<S>> {
  const random = seeded(seed);
  const needs = constraints(steps);
  const done = new Set<string>();
  const left = [...steps];
  const out: Array<Step<S>> = [];
  while (left.length > 0) {
    const ready = left.filter((s) => [...needs.get(s.name)!].every((n) => done.has(n)));
    const pick = ready[Math.floor(random() * ready.length)];
    out.push(pick);
    done.add(pick.name);
    left.splice(left.indexOf(pick), 1);
  }
  return out;
}

/** Runs the steps in `order` and renders every chart of every app: `app index/chart path` to YAML. */
export function render<S>(scenario: OrderScenario<S>, order: Array<Step<S>>): Map<string, string> {
  const state = scenario.setup();
  for (const step of order) {
    step.run(state);
  }
  const out = new Map<string, string>();
  scenario.apps(state).forEach((app, i) => {
    for (const chart of app.charts) {
      out.set(`app ${i} chart ${chart.node.path}`, Yaml.stringify(...Testing.synth(chart)));
    }
    // Node scripts and other files written next to the manifests (their content is final once synthesized).
    for (const file of GeneratedFile.allOf(app)) {
      out.set(`app ${i} file ${file.path}`, file.content);
    }
  });
  return out;
}

/** Names of the steps, for messages. */
export function describeOrder<S>(order: Array<Step<S>>): string {
  return order.map((s) => s.name).join(' → ');
}
