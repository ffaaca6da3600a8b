// `npm test`: the type-check, jest and eslint side by side, then their verdict.
//
// tsc and eslint each run on one core; one after the other and after jest they
// left a core idle for most of a minute on a 2-core machine. Side by side the
// cores stay busy until the end. The type-check and eslint write their output
// once done (it cannot interleave with jest's); jest writes as it goes and
// receives this script's arguments (`npx projen test test/foo.test.ts`).
// Fails when any of the three fails, naming which.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs a command in the project root; resolves to its exit status and, when buffered, its output. */
function run(label, command, args, { buffered }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: root, stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (buffered) {
      child.stdout.setEncoding('utf8').on('data', (d) => { output += d; });
      child.stderr.setEncoding('utf8').on('data', (d) => { output += d; });
    }
    child.on('error', (err) => resolve({ label, buffered, status: 1, output: `${output}${err.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) => resolve({
      label, buffered, status: code ?? 1, output: signal ? `${output}killed by ${signal}\n` : output, seconds: (Date.now() - started) / 1000,
    }));
  });
}

// The projen tasks themselves, so their commands and environments have one definition (.projenrc.ts).
const results = await Promise.all([
  run('typecheck', bin('projen'), ['typecheck'], { buffered: true }),
  run('jest', bin('projen'), ['test:jest', ...process.argv.slice(2)], { buffered: false }),
  run('eslint', bin('projen'), ['eslint'], { buffered: true }),
]);

// projen's banner line ("👾 task | command") alone is not worth a section.
for (const r of results.filter((x) => x.buffered && (x.status !== 0 || !/^(👾 [^\n]*\n?)*$/u.test(x.output)))) {
  process.stdout.write(`\n--- ${r.label} ---\n${r.output.trimEnd()}\n`);
}
const summary = results.map((r) => `${r.label} ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`} in ${r.seconds.toFixed(1)} s`);
process.stdout.write(`\n${summary.join('; ')}\n`);
process.exitCode = results.some((r) => r.status !== 0) ? 1 : 0;
