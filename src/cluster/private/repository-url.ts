import { check, Where } from '../../core/errors';
import { isPort } from '../../core/validate';

// A repository URL the node scripts hand to apt/dnf and curl: no blanks, quotes or query string.
const URL = /^(https?):\/\/([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*)(:[0-9]{1,5})?(\/[A-Za-z0-9._~:/%+@=,-]*)?$/;

/** Checks a repository URL; `directory` URLs get a trailing slash. */
export function validateRepositoryUrl(where: Where, property: string, value: string, allowHttp: boolean, directory: boolean): string {
  const match = typeof value === 'string' ? URL.exec(value) : null;
  check(match !== null, where, property, value,
    'an absolute https:// URL of letters, digits and -._~:/%+@=, only (no spaces, quotes or query string)');
  check(match![1] === 'https' || allowHttp, where, property, value,
    'an https:// URL; plain http:// only with allowInsecureHttp: true');
  const port = match![6] ? parseInt(match![6].slice(1), 10) : 443;
  check(isPort(port), where, property, value, 'a URL with a port from 1 to 65535');
  return directory && !value.endsWith('/') ? `${value}/` : value;
}

/** Checks an OpenPGP v4 fingerprint and returns it without blanks, in upper case. */
export function validateFingerprint(where: Where, property: string, value: string): string {
  const normalized = typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : '';
  check(/^[0-9A-F]{40}$/.test(normalized), where, property, value,
    'an OpenPGP v4 fingerprint: 40 hex digits, optionally in groups separated by spaces');
  return normalized;
}
