// The hive-site.xml writer, run for real with bash.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hiveSiteEnvName, hiveSiteScript } from '../../../src/services/private/thrift/hive-site-script';
import { checkScript } from '../../harness/scripts';

function run(entries: { key: string; env: string }[], env: { [name: string]: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-site-'));
  const out = path.join(dir, 'hive-site.xml');
  const r = spawnSync('bash', ['-c', hiveSiteScript(out, entries)], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  const written = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
  const mode = fs.existsSync(out) ? (fs.statSync(out).mode % 0o1000) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...r, written, mode };
}

const PASSWORD = { key: 'javax.jdo.option.ConnectionPassword', env: hiveSiteEnvName('javax.jdo.option.ConnectionPassword') };

test('writes each value escaped for XML, mode 0600, and names neither value in its log', () => {
  const r = run([PASSWORD, { key: 'hive.x', env: 'HIVE_X' }], { [PASSWORD.env]: 'p&ss<w>rd "quoted"', HIVE_X: '' });
  expect(r.status).toBe(0);
  expect(r.written).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n'
    + '  <property>\n    <name>javax.jdo.option.ConnectionPassword</name>\n    <value>p&amp;ss&lt;w&gt;rd "quoted"</value>\n  </property>\n'
    + '  <property>\n    <name>hive.x</name>\n    <value></value>\n  </property>\n'
    + '</configuration>\n');
  expect(r.mode).toBe(0o600);
  expect(r.stderr).toContain('hive-site: wrote');
  expect(r.stderr).toContain('(2 settings)');
  expect(r.stderr + r.stdout).not.toContain('p&ss');
});

test('a variable that is not set stops it, naming the variable and the key, and writes nothing', () => {
  const r = run([PASSWORD], {});
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`hive-site: error: ${PASSWORD.env} (the value of javax.jdo.option.ConnectionPassword) is not set`);
  expect(r.written).toBeUndefined();
});

test('passes bash -n, shellcheck and shfmt', () => {
  checkScript(hiveSiteScript('/opt/spark/thrift-conf/hive-site.xml', [PASSWORD]), 'hive-site.sh');
});

test.each([
  ['a relative file', 'hive-site.xml', [PASSWORD], 'hiveSiteScript: invalid file "hive-site.xml"'],
  ['a key with a space', '/x/hive-site.xml', [{ key: 'a b', env: 'A' }], 'hiveSiteScript: invalid entry'],
  ['a lower-case variable', '/x/hive-site.xml', [{ key: 'a', env: 'a' }], 'hiveSiteScript: invalid entry'],
  ['two entries reading one variable', '/x/hive-site.xml', [{ key: 'a.b', env: 'A_B' }, { key: 'a-b', env: 'A_B' }], 'hiveSiteScript: two entries read the same variable'],
])('refuses %s', (_name, file, entries, message) => {
  expect(() => hiveSiteScript(file, entries)).toThrow(message);
});
