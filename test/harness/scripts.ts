/**
 * Shell script checks for tests of constructs that generate scripts (kubeadm
 * node setup, init containers, ...). A generated script must parse with
 * `bash -n`, pass shellcheck at every severity and already be formatted the
 * way shfmt formats it with SHFMT_FLAGS.
 *
 * shellcheck needs one to two seconds of CPU per thousand lines, so passes are
 * remembered: a script whose exact text already passed with the same tool
 * binaries, flags and SHELLCHECK_OPTS is not checked again, whatever its name
 * (the tools are told the dialect, so a file name changes no verdict; the
 * node scripts of several cluster variants are the same text), neither
 * in this process nor, through node_modules/.cache/cdk8s-spark-script-checks,
 * in later test runs. Any change to the script, a tool or a flag changes the
 * key, so the script is checked again; failures are never remembered. Set
 * CDK8S_SPARK_SCRIPT_CHECK_CACHE=off to check every script afresh.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SHELLCHECK_FLAGS, SHFMT_FLAGS } from '../../src/validation/script-checks';

// The flags the library's validation plugin uses too (one definition).
export { SHFMT_FLAGS };

const INSTALL_HINT = 'install it with: apt-get install -y shellcheck shfmt';

/** The tools a check runs, in order. */
const TOOLS = ['bash', 'shellcheck', 'shfmt'];

/** Where passes are remembered across test runs. */
const CACHE_DIR = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'cdk8s-spark-script-checks');

interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Check = readonly [label: string, tool: string, args: string[]];

function missingTool(tool: string): Error {
  return new Error(`${tool} is not installed (or not on PATH); ${INSTALL_HINT}`);
}

/** Runs a tool; a missing binary is an error that says how to install it, never a silent skip. */
function run(tool: string, args: readonly string[], options: { input?: string; cwd?: string } = {}): ToolResult {
  // env is passed explicitly so that the PATH seen by this process (e.g. jest's
  // sandboxed process.env) is the one used to find the tool.
  const result = spawnSync(tool, args, { ...options, env: process.env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw missingTool(tool);
    }
    throw new Error(`failed to run ${tool}: ${result.error.message}`);
  }
  // A tool killed by a signal has no exit status: count it as a failure.
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** `run`, without blocking, so that the checks of several scripts can run side by side. */
function runAsync(tool: string, args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? missingTool(tool) : new Error(`failed to run ${tool}: ${err.message}`));
    });
    child.on('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** A file name for the temp copy, so tool output names the script. */
function safeFileName(name: string): string {
  const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_');
  return base || 'script.sh';
}

/** The checks of one script file, run in its directory on the bare file name. */
function checksFor(file: string): Check[] {
  return [
    ['bash -n', 'bash', ['-n', file]],
    ['shellcheck', 'shellcheck', [...SHELLCHECK_FLAGS, file]],
    [`shfmt -d ${SHFMT_FLAGS.join(' ')}`, 'shfmt', ['-d', ...SHFMT_FLAGS, file]],
  ];
}

function failureOf(label: string, result: ToolResult): string | undefined {
  if (result.status === 0) {
    return undefined;
  }
  const output = [result.stdout, result.stderr].filter((s) => s.trim()).join('\n').trimEnd();
  return `--- ${label} (exit ${result.status}) ---\n${output}`;
}

function errorFor(name: string, failures: string[]): Error {
  return new Error(`script ${name} failed ${failures.length} check(s):\n${failures.join('\n')}`);
}

// ---------------------------------------------------------------------------
// Remembered passes
// ---------------------------------------------------------------------------

const passed = new Set<string>();

function diskCacheEnabled(): boolean {
  return !['off', '0', 'false', 'no'].includes((process.env.CDK8S_SPARK_SCRIPT_CHECK_CACHE ?? '').toLowerCase());
}

/** The binary each tool resolves to on PATH, with its size and modification time; undefined when one is missing. */
function toolIdentity(): string[] | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d);
  const identity: string[] = [];
  for (const tool of TOOLS) {
    let found: string | undefined;
    for (const dir of dirs) {
      try {
        const real = fs.realpathSync(path.join(dir, tool));
        const stat = fs.statSync(real);
        if (stat.isFile()) {
          found = `${tool}=${real}:${stat.size}:${stat.mtimeMs}`;
          break;
        }
      } catch {
        // not in this directory
      }
    }
    if (!found) {
      // Let the check run, and fail saying how to install the tool.
      return undefined;
    }
    identity.push(found);
  }
  return identity;
}

/** The key of a check of this text with these tools and flags; undefined when a tool is missing. */
function cacheKey(content: string): string | undefined {
  const tools = toolIdentity();
  if (!tools) {
    return undefined;
  }
  const material = JSON.stringify({
    version: 2,
    tools,
    shellcheck: SHELLCHECK_FLAGS,
    shellcheckOpts: process.env.SHELLCHECK_OPTS ?? '',
    shfmt: SHFMT_FLAGS,
    content,
  });
  return createHash('sha256').update(material).digest('hex');
}

function hasPassed(key: string | undefined): boolean {
  if (key === undefined) {
    return false;
  }
  if (passed.has(key)) {
    return true;
  }
  if (diskCacheEnabled() && fs.existsSync(path.join(CACHE_DIR, key))) {
    passed.add(key);
    return true;
  }
  return false;
}

function rememberPass(key: string | undefined): void {
  if (key === undefined) {
    return;
  }
  passed.add(key);
  if (diskCacheEnabled()) {
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      fs.writeFileSync(path.join(CACHE_DIR, key), '');
    } catch {
      // A read-only checkout only loses the cache.
    }
  }
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/**
 * Checks a shell script with `bash -n`, shellcheck and shfmt (diff mode).
 * Throws an Error containing every failing tool's output.
 *
 * @param content the script text
 * @param name a name for messages (e.g. `kubeadm-init.sh`)
 */
export function checkScript(content: string, name = 'script.sh'): void {
  const file = safeFileName(name);
  const key = cacheKey(content);
  if (hasPassed(key)) {
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-script-'));
  try {
    fs.writeFileSync(path.join(dir, file), content);
    // The tools run in the temp dir on the bare file name, so their messages
    // name the script rather than a temp path.
    const failures: string[] = [];
    for (const [label, tool, args] of checksFor(file)) {
      const failure = failureOf(label, run(tool, args, { cwd: dir }));
      if (failure) {
        failures.push(failure);
      }
    }
    if (failures.length > 0) {
      throw errorFor(name, failures);
    }
    rememberPass(key);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks several scripts like `checkScript`, all at once (each tool runs once
 * per script, in parallel). Rejects with one Error naming every failing script
 * and containing every failing tool's output.
 *
 * @param scripts script name (e.g. `worker.sh`) to script text
 */
export async function checkScripts(scripts: Record<string, string>): Promise<void> {
  // A text given under several names is checked once; a failure names them all.
  const byKey = new Map<string, { name: string; content: string; file: string; key: string | undefined }>();
  Object.entries(scripts).forEach(([name, content], i) => {
    const key = cacheKey(content);
    const same = key === undefined ? undefined : byKey.get(key);
    if (same) {
      same.name += ` (also ${name})`;
    } else if (!hasPassed(key)) {
      byKey.set(key ?? `unkeyed ${i}`, { name, content, file: safeFileName(name), key });
    }
  });
  const pending = [...byKey.values()];
  if (pending.length === 0) {
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-scripts-'));
  try {
    const errors = await Promise.all(pending.map(async (script, i) => {
      // One directory per script, so that scripts may share a base name.
      const cwd = path.join(dir, String(i));
      fs.mkdirSync(cwd);
      fs.writeFileSync(path.join(cwd, script.file), script.content);
      const results = await Promise.all(checksFor(script.file).map(([, tool, args]) => runAsync(tool, args, cwd)));
      const failures = checksFor(script.file)
        .map(([label], j) => failureOf(label, results[j]))
        .filter((f): f is string => f !== undefined);
      if (failures.length > 0) {
        return errorFor(script.name, failures).message;
      }
      rememberPass(script.key);
      return undefined;
    }));
    const failed = errors.filter((e): e is string => e !== undefined);
    if (failed.length > 0) {
      throw new Error(failed.join('\n'));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Formats a script with shfmt and SHFMT_FLAGS; throws when shfmt cannot parse it. */
export function formatScript(content: string): string {
  const result = run('shfmt', SHFMT_FLAGS, { input: content });
  if (result.status !== 0) {
    throw new Error(`shfmt could not format the script:\n${result.stderr.trimEnd()}`);
  }
  return result.stdout;
}
