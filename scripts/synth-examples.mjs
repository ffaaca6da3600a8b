// Synthesizes every example app (examples/<app>/cdk8s.yaml) into examples/<app>/dist/.
// It runs each app with the command its cdk8s.yaml declares, exactly as `cdk8s synth`
// would, without paying the CLI's start-up cost once per example, then runs the
// validation plugins the cdk8s.yaml declares as `cdk8s synth` does (cdk8s-cli's own
// ValidationContext and report; local plugins only) unless --no-validate is given.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', 'examples');
const args = process.argv.slice(2);
const validate = !args.includes('--no-validate');
const only = args.filter((a) => a !== '--no-validate');
let failed = false;
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
  if (validate) {
    await runValidations(dir, outdir, parse(config)?.validations ?? []);
  }
}
if (failed) {
  console.error('Validation failed. See the reports above for details');
  process.exit(2);
}

/** What `cdk8s synth` does with cdk8s.yaml's `validations` (cdk8s-cli lib/util.js validateApp), for local plugins. */
async function runValidations(dir, outdir, validations) {
  const { ValidationContext } = require('cdk8s-cli/plugins');
  const manifests = listFiles(join(dir, outdir)).filter((f) => f.endsWith('.yaml')).map((f) => relative(dir, f));
  for (const v of validations) {
    if (!(isAbsolute(v.package) || v.package.startsWith(`.${sep}`))) {
      throw new Error(`${relative(process.cwd(), dir)}/cdk8s.yaml: only local validation plugins run here, not ${v.package}`);
    }
    const pkg = resolve(dir, v.package);
    const cwd = process.cwd();
    process.chdir(dir); // plugins read paths relative to the app folder, as under `cdk8s synth`
    try {
      const plugin = new (require(pkg)[v.class])(v.properties ?? {});
      const context = new ValidationContext(manifests, pkg, v.version);
      await plugin.validate(context);
      console.log(`\n${context.report.toString()}\n`);
      failed ||= !context.report.success;
    } finally {
      process.chdir(cwd);
    }
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
