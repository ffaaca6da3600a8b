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
  return new Error(`${where}: invalid ${property} ${maskCredentials(describe(value))}: ${maskCredentials(allowed)}`);
}

// The user-info part of a URL (`https://user:token@host`), and the values of query
// parameters that carry credentials (`?token=…`, `X-Amz-Signature=…`).
// An Azure storage URL's user part is its container (abfss://container@account...), not a credential.
const URL_USERINFO = /\b(?!(?:abfss?|wasbs?):\/\/[^\s"':@/]*@)([a-z][a-z0-9+.-]*:\/\/)[^\s"']*@(?!sha(?:256|384|512):)/gi;
/** Words that mark a URL query parameter as a credential (core/credentials refuses such URLs). */
export const CREDENTIAL_PARAMETER_WORDS = 'token|secret|passw(?:or)?d|pwd|signature|sig|credential|api[-_]?key|access[-_]?key';
const CREDENTIAL_QUERY = new RegExp(`([?&;][^=&\\s"'#]*(?:${CREDENTIAL_PARAMETER_WORDS})[^=&\\s"'#]*=)[^&\\s"'#]+`, 'gi');

/**
 * `text` with the credential parts of any URL in it replaced by `***`, so
 * that error messages (which land in CI logs) never repeat a token given
 * inside a URL.
 */
export function maskCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@').replace(CREDENTIAL_QUERY, '$1***');
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
