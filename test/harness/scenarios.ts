/**
 * Slow, independent pieces of a test file (runs of generated scripts, waits
 * for processes) run side by side in one beforeAll, and each test then
 * asserts on the result of its own scenario:
 *
 *   const scenarios = new Scenarios();
 *   const first = scenarios.add(async () => runSomething());
 *   beforeAll(() => scenarios.run(), 60_000);
 *   test('...', () => { expect(first().status).toBe(0); });
 *
 * A scenario that throws fails only the tests that read it, with its error.
 */
import * as os from 'os';

type Outcome<T> = { readonly value: T } | { readonly error: unknown };

export class Scenarios {
  private readonly pending: Array<() => Promise<void>> = [];
  private running: Promise<void> | undefined;

  /**
   * Registers a scenario; it starts in `run()`, in registration order.
   *
   * @returns a function that gives the scenario's result, or throws its error
   */
  public add<T>(scenario: () => Promise<T>): () => T {
    let outcome: Outcome<T> | undefined;
    this.pending.push(async () => {
      try {
        outcome = { value: await scenario() };
      } catch (error) {
        outcome = { error };
      }
    });
    return () => {
      if (!outcome) {
        throw new Error('the scenario has not run: call run() in a beforeAll');
      }
      if ('error' in outcome) {
        throw outcome.error;
      }
      return outcome.value;
    };
  }

  /**
   * Runs every registered scenario, at most `concurrency` at a time, once
   * (later calls return the first call's promise). Never rejects: errors are
   * kept for the tests.
   *
   * @param concurrency @default - the number of CPUs, at least 2
   */
  public run(concurrency: number = Math.max(2, os.availableParallelism())): Promise<void> {
    this.running ??= (async () => {
      const queue = this.pending.splice(0);
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await next();
        }
      }));
    })();
    return this.running;
  }
}
