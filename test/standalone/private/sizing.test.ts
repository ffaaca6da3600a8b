import { Size } from 'cdk8s';
import { SparkMemory } from '../../../src';
import { describeBudget, floorMebibytes, largestWorkerMemory, workerBudget } from '../../../src/standalone/private/sizing';

// Spark sizes a JVM's non-heap overhead as max(0.10 x heap, 384 MiB), the
// product truncated to whole MiB (Spark core/.../internal/config/package.scala:
// EXECUTOR_MEMORY_OVERHEAD_FACTOR, default 0.1, and, since Spark 4.0,
// EXECUTOR_MIN_MEMORY_OVERHEAD, default 384m).

describe('workerBudget', () => {
  test.each<[number, number, number, number, number]>([
    // worker MiB, daemon MiB, executor overhead, daemon overhead, total
    [4096, 1024, 409, 384, 4096 + 409 + 1024 + 384],
    [2048, 1024, 384, 384, 2048 + 384 + 1024 + 384],
    [3840, 1024, 384, 384, 3840 + 384 + 1024 + 384],
    [3850, 1024, 385, 384, 3850 + 385 + 1024 + 384],
    [16384, 4096, 1638, 409, 16384 + 1638 + 4096 + 409],
    [1, 1, 384, 384, 1 + 384 + 1 + 384],
  ])('%d MiB for executors, %d MiB daemon heap', (worker, daemon, executorOverhead, daemonOverhead, total) => {
    const budget = workerBudget(SparkMemory.mebibytes(worker), SparkMemory.mebibytes(daemon));
    expect(budget.executorOverhead.toMebibytes()).toBe(executorOverhead);
    expect(budget.daemonOverhead.toMebibytes()).toBe(daemonOverhead);
    expect(budget.totalMib).toBe(total);
  });

  test('describeBudget spells out the sum', () => {
    const budget = workerBudget(SparkMemory.mebibytes(4096), SparkMemory.mebibytes(1024));
    expect(describeBudget(budget)).toBe('4g for executors + 409m executor JVM overhead + 1g worker daemon heap + 384m daemon JVM overhead = 5913 MiB');
  });
});

describe('largestWorkerMemory', () => {
  const daemon = SparkMemory.mebibytes(1024);

  test.each<[number, number | undefined]>([
    [0, undefined],
    [1792, undefined], // 1 + 384 + 1024 + 384 = 1793 does not fit
    [1793, 1],
    [4096, 2304], // 2304 + 384 + 1024 + 384 = 4096
    [5913, 4096],
    [5912, 4095],
  ])('a container of %d MiB holds %p MiB for executors', (container, expected) => {
    expect(largestWorkerMemory(container, daemon)).toBe(expected);
  });

  test.each([1793, 2000, 4096, 5913, 8192, 65536])('the result for %d MiB fits and one more MiB does not', (container) => {
    const mib = largestWorkerMemory(container, daemon)!;
    expect(workerBudget(SparkMemory.mebibytes(mib), daemon).totalMib).toBeLessThanOrEqual(container);
    expect(workerBudget(SparkMemory.mebibytes(mib + 1), daemon).totalMib).toBeGreaterThan(container);
  });
});

describe('floorMebibytes', () => {
  test.each<[Size, number]>([[Size.mebibytes(512), 512], [Size.kibibytes(1536), 1], [Size.gibibytes(2), 2048], [Size.kibibytes(1023), 0]])(
    '%p is %d whole MiB', (size, mib) => {
      expect(floorMebibytes(size)).toBe(mib);
    });

});

describe('with a 512 MiB daemon heap', () => {
  // Spark's overhead rule: max(10 %, 384 MiB) (SparkMemory.overheadFor).
  test('a worker budget adds the executors\' overhead, the daemon heap and its overhead', () => {
    const budget = workerBudget(SparkMemory.gibibytes(4), SparkMemory.mebibytes(512));
    expect(budget.executorOverhead.toMebibytes()).toBe(409); // 10 % of 4096, truncated as Spark's .toLong does
    expect(budget.daemonOverhead.toMebibytes()).toBe(384);
    expect(budget.totalMib).toBe(4096 + 409 + 512 + 384);
    expect(describeBudget(budget)).toBe('4g for executors + 409m executor JVM overhead + 512m worker daemon heap '
      + '+ 384m daemon JVM overhead = 5401 MiB');
  });

  test.each<[number, number | undefined]>([
    [4096, 2816], // 2816 + 384 + 512 + 384 = 4096
    [8192, 6633],
    [1280, undefined], // the daemon and the overheads leave nothing
    [1281, 1],
    [0, undefined],
  ])('the largest worker memory in %p MiB is %p MiB', (containerMib, expected) => {
    const daemon = SparkMemory.mebibytes(512);
    const largest = largestWorkerMemory(containerMib, daemon);
    expect(largest).toBe(expected);
    if (largest !== undefined) {
      expect(workerBudget(SparkMemory.mebibytes(largest), daemon).totalMib).toBeLessThanOrEqual(containerMib);
      expect(workerBudget(SparkMemory.mebibytes(largest + 1), daemon).totalMib).toBeGreaterThan(containerMib);
    }
  });
});
