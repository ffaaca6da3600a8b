/**
 * Checks of the shell scripts an app writes beside its manifests (node
 * bootstrap scripts, image build scripts: see core/generated-file.ts): each
 * must parse with `bash -n`, pass shellcheck at every severity and already be
 * formatted the way shfmt formats it with SHFMT_FLAGS. The test harness
 * (test/harness/scripts.ts) uses the same flags.
 *
 * Not part of the jsii API (src/index.ts does not export it).
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * shfmt flags: bash dialect (the one shellcheck and `bash -n` use), 2-space
 * indent, indented `case` branches, binary operators such as `&&` and `|` at
 * the start of a continued line.
 */
export const SHFMT_FLAGS: readonly string[] = ['-ln', 'bash', '-i', '2', '-ci', '-bn'];

/** shellcheck flags: bash dialect, report all severities, ignore stray .shellcheckrc files. */
export const SHELLCHECK_FLAGS: readonly string[] = ['-s', 'bash', '-S', 'style', '--norc', '--color=never'];

/** A tool a script check runs, with its label in reports. */
interface ScriptTool {
  readonly tool: string;
  readonly label: string;
  readonly args: (file: string) => string[];
}

const TOOLS: readonly ScriptTool[] = [
  { tool: 'bash', label: 'bash -n', args: (file) => ['-n', file] },
  { tool: 'shellcheck', label: 'shellcheck', args: (file) => [...SHELLCHECK_FLAGS, file] },
  { tool: 'shfmt', label: `shfmt -d ${SHFMT_FLAGS.join(' ')}`, args: (file) => ['-d', ...SHFMT_FLAGS, file] },
];

/** One failed tool run on one script. */
export interface ScriptFailure {
  /** The script's path, as given. */
  readonly file: string;
  /** e.g. `shellcheck`. */
  readonly check: string;
  readonly exitCode: number;
  /** The tool's output (stdout and stderr). */
  readonly output: string;
}

export interface ScriptCheckResult {
  readonly failures: ScriptFailure[];
  /** Tools that are not on PATH: their checks were not run. */
  readonly missingTools: string[];
  /** The checks that apply (their tool is installed), e.g. `bash -n`, `shellcheck`. */
  readonly checksRun: string[];
  /** How many tool runs were skipped because the same script already passed (see cacheDir). */
  readonly remembered: number;
}

/** The binary `tool` resolves to on PATH, with its size and modification time; undefined when it is not there. */
function toolIdentity(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter((d) => d)) {
    try {
      const real = fs.realpathSync(path.join(dir, tool));
      const stat = fs.statSync(real);
      if (stat.isFile()) {
        return `${tool}=${real}:${stat.size}:${stat.mtimeMs}`;
      }
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Where passes are remembered (shellcheck takes about a second per thousand
 * lines, and an app writes the same scripts run after run): the nearest
 * node_modules/.cache above the working directory, unless
 * CDK8S_SPARK_SCRIPT_CHECK_CACHE is off. A pass is keyed by the script's
 * name and text, the tool binary and its flags: any change checks again.
 * Failures are never remembered.
 */
function cacheDir(): string | undefined {
  if (['off', '0', 'false', 'no'].includes((process.env.CDK8S_SPARK_SCRIPT_CHECK_CACHE ?? '').toLowerCase())) {
    return undefined;
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) {
      return path.join(dir, 'node_modules', '.cache', 'cdk8s-spark-validation-scripts');
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

function passKey(identity: string, t: ScriptTool, file: string): string {
  const material = JSON.stringify({
    version: 1,
    identity,
    args: t.args(path.basename(file)),
    shellcheckOpts: process.env.SHELLCHECK_OPTS ?? '',
    content: fs.readFileSync(file, 'utf8'),
  });
  return createHash('sha256').update(material).digest('hex');
}

function rememberPass(dir: string | undefined, key: string): void {
  if (dir) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, key), '');
    } catch {
      // A read-only tree only loses the cache.
    }
  }
}

function runTool(tool: string, args: string[], cwd: string): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
    child.on('error', (err) => resolve({ status: 1, output: `failed to run ${tool}: ${err.message}` }));
    // A tool killed by a signal has no exit status: count it as a failure.
    child.on('close', (code) => resolve({ status: code ?? 1, output }));
  });
}

/**
 * Runs every installed tool on every script, a few at a time. The tools run
 * in the script's directory on its bare file name, so their messages name it.
 */
export async function checkScriptFiles(files: readonly string[]): Promise<ScriptCheckResult> {
  // A missing tool is skipped (and reported as missing), never an error: the
  // plugin runs on users' machines, where shellcheck or shfmt may be absent.
  const identities = new Map(TOOLS.map((t) => [t, toolIdentity(t.tool)]));
  const available = TOOLS.filter((t) => identities.get(t) !== undefined);
  const missingTools = TOOLS.filter((t) => !available.includes(t)).map((t) => t.tool);
  const cache = cacheDir();
  const jobs = files.flatMap((file) => available.map((t) => ({ file, t, key: passKey(identities.get(t)!, t, file) })))
    .filter((job) => !(cache && fs.existsSync(path.join(cache, job.key))));
  const failures: ScriptFailure[] = [];
  const results: Array<ScriptFailure | undefined> = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const { file, t, key } = jobs[i];
      const { status, output } = await runTool(t.tool, t.args(path.basename(file)), path.dirname(file));
      results[i] = status === 0 ? undefined : { file, check: t.label, exitCode: status, output: output.trimEnd() };
      if (status === 0) {
        rememberPass(cache, key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(os.cpus().length, jobs.length)) }, worker));
  // In job order (script by script, tool by tool), whatever order they finished in.
  failures.push(...results.filter((r): r is ScriptFailure => r !== undefined));
  return { failures, missingTools, checksRun: available.map((t) => t.label), remembered: files.length * available.length - jobs.length };
}
