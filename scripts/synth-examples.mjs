// Synthesizes every example app (examples/<app>/cdk8s.yaml) into examples/<app>/dist/.
// It runs each app with the command its cdk8s.yaml declares, exactly as `cdk8s synth`
// would, without paying the CLI's start-up cost once per example.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', 'examples');
const only = process.argv.slice(2);
const apps = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'cdk8s.yaml')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

if (apps.length === 0) {
  console.error(`no example apps found under ${root}${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}

for (const app of apps) {
  const dir = join(root, app);
  const config = readFileSync(join(dir, 'cdk8s.yaml'), 'utf8');
  const command = /^app:\s*(.+)$/m.exec(config)?.[1]?.trim();
  const outdir = /^output:\s*(.+)$/m.exec(config)?.[1]?.trim() ?? 'dist';
  if (!command) {
    console.error(`${relative(process.cwd(), dir)}/cdk8s.yaml has no "app:" command`);
    process.exit(1);
  }
  rmSync(join(dir, outdir), { recursive: true, force: true });
  const started = process.hrtime.bigint();
  execSync(command, { cwd: dir, stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const files = listFiles(join(dir, outdir)).map((f) => relative(process.cwd(), f));
  console.log(`synthesized examples/${app} in ${ms.toFixed(0)} ms: ${files.length} files`);
  for (const file of files) {
    console.log(`  ${file}`);
  }
}

function listFiles(dir) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}
