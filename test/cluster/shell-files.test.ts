// The bash under src/**/sh/ is checked as files (bash -n, shellcheck, shfmt),
// and the embedded modules generated from them must be current.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { posixShells } from '../harness/posix-shells';
import { checkScripts } from '../harness/scripts';

const ROOT = path.resolve(__dirname, '..', '..');

function shFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return shFiles(full);
    }
    return e.name.endsWith('.sh') && path.basename(dir) === 'sh' ? [full] : [];
  });
}

const FILES = shFiles(path.join(ROOT, 'src'));

test('the shell files exist where the embedding looks', () => {
  const rel = FILES.map((f) => path.relative(ROOT, f));
  expect(rel).toContain('src/core/sh/library.sh');
  expect(rel).toContain('src/cluster/private/node-scripts/sh/prepare.sh');
});

test('every shell file passes bash -n, shellcheck and shfmt as a file', async () => {
  await checkScripts(Object.fromEntries(FILES.map((f) => [path.relative(ROOT, f), fs.readFileSync(f, 'utf8')])));
}, 120_000);

// dash, and BusyBox sh (the registry image's /bin/sh) when installed.
const SHELLS = posixShells('test/cluster/shell-files.test.ts');

test.each(SHELLS.map((s) => [s.name, s.argv] as const))('the shared library parses as POSIX sh under %s', (_name, argv) => {
  const result = spawnSync(argv[0], [...argv.slice(1), '-n', path.join(ROOT, 'src/core/sh/library.sh')], { encoding: 'utf8' });
  expect(result.error).toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test('the embedded modules are current (npx projen embed:shell)', () => {
  const result = spawnSync('node', [path.join(ROOT, 'scripts/embed-shell.mjs'), '--check'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

// The shared library's parse_options, run under bash and under the POSIX
// shells (dash; BusyBox sh runs the registry's scripts).
describe('parse_options', () => {
  const library = fs.readFileSync(path.join(ROOT, 'src/core/sh/library.sh'), 'utf8');
  const harness = `${library}
usage() { echo usage; }
refuse() { die "refused $1"; }
operand() { OPERAND=$1; }
ROLE='' NAME='' OPERAND=''
parse_options '
  --dry-run   set   DRY_RUN=true
  --token     call  refuse
  --token=*   call  refuse
  --role      value ROLE
  --name      value NAME
  [!-]*       call  operand
' "$@"
echo "dry=$DRY_RUN role=$ROLE name=$NAME operand=$OPERAND"
`;
  const shells = [{ name: 'bash', argv: ['bash', '--norc', '--noprofile'], path: [process.env.PATH!] }, ...SHELLS];
  const run = (shell: typeof shells[number], args: string[]) => spawnSync(shell.argv[0], [...shell.argv.slice(1), '-c', harness, 'test', ...args], {
    encoding: 'utf8', env: { PATH: shell.path.join(':'), SCRIPT_NAME: 't' },
  });

  describe.each(shells.map((s) => [s.name, s] as const))('under %s', (_name, shell) => {
    test.each<[string[], string]>([
      [[], 'dry=false role= name= operand='],
      [['--dry-run', '--role', 'a b*', 'x'], 'dry=true role=a b* name= operand=x'],
      [['--name', '--role'], 'dry=false role= name=--role operand='],
      [['-h'], 'usage'],
    ])('%j', (args, out) => {
      const result = run(shell, args);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(out);
      expect(result.status).toBe(0);
    });

    test.each<[string[], string]>([
      [['--bogus'], "t: error: unknown argument '--bogus' (see --help)"],
      [['--role'], 't: error: --role needs a value'],
      [['--token=abc'], 't: error: refused --token=abc'],
      [['-x', 'y'], "t: error: unknown argument '-x' (see --help)"],
    ])('refuses %j', (args, message) => {
      const result = run(shell, args);
      expect(result.stderr.trim()).toBe(message);
      expect(result.stdout).toBe('');
      expect(result.status).toBe(1);
    });
  });
});
