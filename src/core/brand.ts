/**
 * Kind marks that survive two copies of the library in one program (where
 * `instanceof` fails): a class marks its instances in its constructor and
 * offers `static isXxx(x)`, as the AWS CDK does (`Stack.isStack`).
 */
const marks = new Map<string, symbol>();

function markOf(kind: string): symbol {
  let mark = marks.get(kind);
  if (mark === undefined) {
    mark = Symbol.for(`cdk8s-spark.${kind}`);
    marks.set(kind, mark);
  }
  return mark;
}

/** Marks `instance` as a `kind` (call from the constructor). */
export function brand(instance: object, kind: string): void {
  Object.defineProperty(instance, markOf(kind), { value: true, enumerable: false });
}

/** True when `x` was marked as a `kind` by any copy of this library. */
export function isBranded(x: unknown, kind: string): boolean {
  return typeof x === 'object' && x !== null && (x as { [k: symbol]: unknown })[markOf(kind)] === true;
}
