import { Construct, IConstruct } from 'constructs';
import { pathOf } from './errors';

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
  const before = jsonView(snapshot());
  user.node.addValidation({
    validate: () => {
      const now = jsonView(snapshot());
      return now === before ? [] : [
        `${pathOf(user)}: ${property} changed after ${pathOf(user)} was created, so the change would be ignored: ${fix}`,
      ];
    },
  });
}

/**
 * The JSON text of a snapshot. cdk8s validates the app once per chart, so
 * every guard runs that often: most inputs hold no construct, and
 * JSON.stringify without a replacer takes V8's fast path (about twice as
 * fast). A construct cannot be serialized (its node refers back to it), so
 * one throws there; then the constructs stand for their path.
 */
function jsonView(value: unknown): string {
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
