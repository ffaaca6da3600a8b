import { Construct, IConstruct } from 'constructs';
import { AppSlot } from './app-context';
import { pathOf } from './errors';

/** One guarded input of a construct. */
interface Guard {
  readonly property: string;
  readonly snapshot: () => unknown;
  readonly fix: string;
  /** The input's JSON text when the construct was built (undefined when the snapshot is). */
  readonly before: string | undefined;
}

/** A construct's guards, and their texts as one JSON array (what they serialize to while unchanged), once needed. */
interface Guards {
  readonly list: Guard[];
  before?: string;
}

const GUARDS = new AppSlot('late-change-guards', () => new Map<IConstruct, Guards>());

/**
 * Guards a value a construct copied from its input when it was built: at
 * synth, if the input has changed since, synthesis fails naming the construct,
 * the property and how to make the change take effect. Use it where a value
 * cannot be rendered lazily (it shaped other objects, or was checked when
 * given); prefer `Lazy` rendering and `addXxx` mutators where it can.
 *
 * @param user the construct that copied the value (named in the error)
 * @param property the property the value came in as, e.g. `props.arguments`
 * @param snapshot a pure function of the input returning a JSON-able view of it
 * @param fix what to do instead, e.g. `call addArgument() on the job`
 */
export function guardLateChange(user: IConstruct, property: string, snapshot: () => unknown, fix: string): void {
  const guard: Guard = { property, snapshot, fix, before: jsonView(snapshot()) };
  const all = GUARDS.of(user);
  let guards = all.get(user);
  if (guards === undefined) {
    const created: Guards = { list: [] };
    guards = created;
    all.set(user, created);
    user.node.addValidation({ validate: () => changes(user, created) });
  }
  guards.list.push(guard);
  guards.before = undefined;
}

/**
 * The construct's guarded inputs that changed. cdk8s validates the app once
 * per chart, so this runs that often: all of a construct's inputs are
 * serialized in one call, compared with their texts when it was built, and
 * looked at one by one only when something changed.
 */
function changes(user: IConstruct, guards: Guards): string[] {
  // JSON.stringify writes undefined (and functions) as null in an array.
  guards.before ??= `[${guards.list.map((g) => g.before ?? 'null').join(',')}]`;
  if (jsonView(guards.list.map((g) => g.snapshot())) === guards.before) {
    return [];
  }
  return guards.list.filter((g) => jsonView(g.snapshot()) !== g.before).map((g) =>
    `${pathOf(user)}: ${g.property} changed after ${pathOf(user)} was created, so the change would be ignored: ${g.fix}`);
}

/**
 * The JSON text of a snapshot. Most inputs hold no construct, and
 * JSON.stringify without a replacer takes V8's fast path (about twice as
 * fast). A construct cannot be serialized (its node refers back to it), so
 * one throws there; then the constructs stand for their path.
 */
function jsonView(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, constructsByPath);
  }
}

/**
 * Inputs may hold constructs (a Secret, a Volume of any cdk8s-plus line): they
 * stand for their path, which changes when another one is given, and they
 * cannot be serialized themselves (their tree is circular).
 */
function constructsByPath(_key: string, value: unknown): unknown {
  return Construct.isConstruct(value) ? { construct: value.node.path } : value;
}
