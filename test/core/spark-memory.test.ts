import { Size } from 'cdk8s';
import { SparkMemory } from '../../src';

describe('SparkMemory', () => {
  test.each([
    ['512m', 512, '512m', '512Mi'],
    ['4g', 4096, '4g', '4Gi'],
    ['4G', 4096, '4g', '4Gi'],
    ['1536mb', 1536, '1536m', '1536Mi'],
    ['2048', 2048, '2g', '2Gi'],
    ['1t', 1024 * 1024, '1024g', '1024Gi'],
    ['1048576k', 1024, '1g', '1Gi'],
  ])('parses Spark notation %s', (text, mib, spark, quantity) => {
    const memory = SparkMemory.parse(text);
    expect(memory.toMebibytes()).toBe(mib);
    expect(memory.toSparkString()).toBe(spark);
    expect(memory.toQuantity()).toBe(quantity);
  });

  test.each([
    ['512Mi', 512],
    ['4Gi', 4096],
    ['1.5Gi', 1536],
    ['1048576Ki', 1024],
    ['2097152000', 2000],
  ])('reads the Kubernetes quantity %s back', (quantity, mib) => {
    expect(SparkMemory.fromQuantity(quantity).toMebibytes()).toBe(mib);
  });

  test('round-trips through quantities and sizes', () => {
    for (const text of ['384m', '1g', '7680m', '16g']) {
      const memory = SparkMemory.parse(text);
      expect(SparkMemory.fromQuantity(memory.toQuantity()).toSparkString()).toBe(memory.toSparkString());
      expect(SparkMemory.fromSize(memory.toSize()).toMebibytes()).toBe(memory.toMebibytes());
    }
    expect(SparkMemory.fromSize(Size.gibibytes(2)).toSparkString()).toBe('2g');
  });

  test('overhead: 10% of the heap with a 384 MiB minimum, or what is given', () => {
    expect(SparkMemory.overheadFor(SparkMemory.parse('1g')).toMebibytes()).toBe(384);
    expect(SparkMemory.overheadFor(SparkMemory.parse('8g')).toMebibytes()).toBe(819);
    expect(SparkMemory.overheadFor(SparkMemory.parse('8g'), { factor: 0.4 }).toMebibytes()).toBe(3276);
    expect(SparkMemory.overheadFor(SparkMemory.parse('1g'), { minimum: SparkMemory.parse('256m') }).toMebibytes()).toBe(256);
    expect(SparkMemory.overheadFor(SparkMemory.parse('8g'), { overhead: SparkMemory.parse('1g') }).toMebibytes()).toBe(1024);
  });

  test('container memory = heap + overhead + additional', () => {
    expect(SparkMemory.containerMemoryFor(SparkMemory.parse('512m')).toQuantity()).toBe('896Mi');
    expect(SparkMemory.containerMemoryFor(SparkMemory.parse('4g')).toQuantity()).toBe('4505Mi');
    expect(SparkMemory.containerMemoryFor(SparkMemory.parse('2g'), { additional: SparkMemory.parse('512m') }).toQuantity())
      .toBe('2944Mi');
  });

  test.each(['0', '0m', '-1g', '4x', '1.5g', '', 'g', '4 g gb', '100b'])('rejects Spark memory %j', (text) => {
    expect(() => SparkMemory.parse(text)).toThrow(`SparkMemory.parse: invalid memory ${JSON.stringify(text)}: a positive whole number`);
  });

  test.each(['0Mi', '1G', '0.1Gi', '512MB', '-1Gi', '512mi'])('rejects the quantity %j', (quantity) => {
    expect(() => SparkMemory.fromQuantity(quantity)).toThrow(`invalid quantity ${JSON.stringify(quantity)}`);
  });

  test('isSparkMemory', () => {
    expect(SparkMemory.isSparkMemory(SparkMemory.parse('1g'))).toBe(true);
    expect(SparkMemory.isSparkMemory('1g')).toBe(false);
  });

  test.each<[string, () => unknown, string]>([
    ['zero MiB', () => SparkMemory.mebibytes(0), 'SparkMemory.mebibytes: invalid memory 0: a positive whole number of MiB'],
    ['negative MiB', () => SparkMemory.mebibytes(-5), 'invalid memory -5'],
    ['a fraction of a MiB', () => SparkMemory.mebibytes(1.5), 'invalid memory 1.5'],
    ['a GiB amount that is not whole MiB', () => SparkMemory.gibibytes(0.0001), 'SparkMemory.gibibytes: invalid memory 0.0001: a positive amount that is a whole number of MiB'],
    ['a Size that is not whole MiB', () => SparkMemory.fromSize(Size.kibibytes(1536)), 'SparkMemory.fromSize: invalid memory "1.5 MiB"'],
    ['an overhead factor above 1', () => SparkMemory.overheadFor(SparkMemory.parse('1g'), { factor: 1.5 }), 'SparkMemory.overheadFor: invalid factor 1.5'],
    ['an overhead factor of 0', () => SparkMemory.overheadFor(SparkMemory.parse('1g'), { factor: 0 }), 'invalid factor 0'],
    ['an overhead factor of 1', () => SparkMemory.overheadFor(SparkMemory.parse('1g'), { factor: 1 }), 'invalid factor 1: a number greater than 0 and less than 1'],
  ])('refuses %s', (_name, attempt, message) => {
    expect(attempt).toThrow(message);
  });
});
