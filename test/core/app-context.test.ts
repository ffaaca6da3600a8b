import { Chart, Testing } from 'cdk8s';
import { AppContext, AppSlot } from '../../src/core/app-context';
import { brand, isBranded } from '../../src/core/brand';

describe('AppContext', () => {
  test('a slot is created once per app and shared by every construct in it', () => {
    let created = 0;
    const slot = new AppSlot('test.list', () => { created++; return [] as string[]; });
    const app = Testing.app();
    slot.of(new Chart(app, 'a')).push('x');
    expect(slot.of(new Chart(app, 'b'))).toEqual(['x']);
    expect(created).toBe(1);
    expect(AppContext.of(app).get(slot)).toBe(slot.of(app));
  });

  test('two apps never see each other', () => {
    const slot = new AppSlot('test.list', () => [] as string[]);
    const one = Testing.app(); const two = Testing.app();
    slot.of(one).push('one');
    expect(slot.of(two)).toEqual([]);
  });
});

describe('brand', () => {
  test('marks survive a second copy of the module (Symbol.for)', () => {
    class A { constructor() { brand(this, 'A'); } }
    const a = new A();
    expect(isBranded(a, 'A')).toBe(true);
    expect(isBranded(a, 'B')).toBe(false);
    expect(isBranded({ ...a }, 'A')).toBe(false);
    // A second copy of the library marks with the same registered symbol.
    const foreign = {};
    Object.defineProperty(foreign, Symbol.for('cdk8s-spark.A'), { value: true });
    expect(isBranded(foreign, 'A')).toBe(true);
    expect(isBranded(undefined, 'A')).toBe(false);
    expect(isBranded('A', 'A')).toBe(false);
  });
});
