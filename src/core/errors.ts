import { IConstruct } from 'constructs';

/**
 * Where the bad input was given: a construct (its path is reported), or, for
 * value objects created outside any construct, the API that received it
 * (e.g. `SparkImage.of`).
 */
export type Where = IConstruct | string;

/**
 * Builds the one error shape every construct in this library throws for bad input:
 * where (construct path), what (property), the offending value, and what is allowed.
 */
export function invalidInput(scope: Where, property: string, value: unknown, allowed: string): Error {
  const where = typeof scope === 'string' ? scope : pathOf(scope);
  return new Error(`${where}: invalid ${property} ${describe(value)}: ${allowed}`);
}

/** Throws {@link invalidInput} when `ok` is false. */
export function check(ok: boolean, scope: Where, property: string, value: unknown, allowed: string): void {
  if (!ok) {
    throw invalidInput(scope, property, value, allowed);
  }
}

/** The construct path, or `<root>` for an app (whose path is empty). */
export function pathOf(scope: IConstruct): string {
  return scope.node.path === '' ? '<root>' : scope.node.path;
}

function describe(value: unknown): string {
  if (value === undefined) {
    return '(undefined)';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}
