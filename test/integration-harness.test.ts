// The bash parts of the root-file-system integration harness (test/integration:
// recorders, fake binaries, namespace runner, debootstrap wrapper) pass bash -n,
// shellcheck and shfmt, like the scripts they test. The harness itself runs
// with `npx projen test:integration`.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.join(__dirname, 'integration');
const FILES = ['ns-run.sh', 'build-rootfs.sh', ...fs.readdirSync(path.join(DIR, 'fakes')).map((f) => `fakes/${f}`)];

function check(tool: string, args: string[]): string {
  try {
    execFileSync(tool, args, { cwd: DIR, encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return `${tool}: ${err.stdout ?? ''}${err.stderr ?? ''}` || err.message;
  }
}

test.each(FILES)('%s passes bash -n', (file) => {
  expect(check('bash', ['-n', file])).toBe('');
});

test('the harness scripts pass shellcheck and shfmt', () => {
  expect(check('shellcheck', ['-x', '-P', 'fakes', '-s', 'bash', ...FILES])).toBe('');
  expect(check('shfmt', ['-i', '2', '-ci', '-bn', '-d', ...FILES])).toBe('');
});
