// Runs Argo CD resource health checks under a real Lua interpreter. Argo CD
// runs them with gopher-lua (Lua 5.1): the live object is the global `obj`,
// the script returns a table { status, message }.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The Lua interpreter found (5.1 first, as gopher-lua implements 5.1), or undefined. */
export const LUA = ['lua5.1', 'lua5.4', 'lua'].find((bin) => {
  try {
    execFileSync(bin, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

/** `test`, or `test.skip` after printing why when no Lua interpreter is installed. */
export function luaTestFor(who: string): jest.It {
  if (!LUA) {
    // eslint-disable-next-line no-console
    console.log(`${who}: no Lua interpreter (apt-get install lua5.1), skipping the Lua runs`);
    return test.skip;
  }
  return test;
}

/** A JSON value as a Lua table constructor (null becomes nil, as Argo CD's conversion does). */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `{ ${value.map(toLua).join(', ')} }`;
  return `{ ${Object.entries(value as object).map(([k, v]) => `[${JSON.stringify(k)}] = ${toLua(v)}`).join(', ')} }`;
}

/** Runs `script` once per object (one interpreter for all) and returns "status | message" per object. */
export function runHealth(script: string, objects: unknown[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argo-health-'));
  try {
    fs.writeFileSync(path.join(dir, 'check.lua'), script);
    const driver = [
      `local check = assert(loadfile(${JSON.stringify(path.join(dir, 'check.lua'))}))`,
      `local objects = { ${objects.map(toLua).join(',\n')} }`,
      'for i = 1, #objects do',
      '  obj = objects[i]',
      '  local hs = check()',
      // One line per object: multi-line messages (Argo CD's own SUCCEEDING one) are joined.
      '  io.write(hs.status, " | ", (string.gsub(hs.message or "", "%s*\\n%s*", " ")), "\\n")',
      'end',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'driver.lua'), driver);
    return execFileSync(LUA!, [path.join(dir, 'driver.lua')], { encoding: 'utf8' }).trimEnd().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
