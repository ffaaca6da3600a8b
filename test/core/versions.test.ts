import { operatorImageRelease, zeppelinImageRelease, zeppelinRow } from '../../src/core/compatibility-apps';
import { minorsInRepositoryUrl } from '../../src/core/compatibility-kubernetes';
import { mayBeNewerOfficialRelease, sparkConfKeySince } from '../../src/core/compatibility-spark';
import { compareReleases, parseRelease, ReleaseRange, releaseAtLeast } from '../../src/core/versions';

describe('release numbers', () => {
  test.each<[unknown, number[] | undefined]>([
    ['3.5.7', [3, 5, 7]],
    ['v2.5.2', [2, 5, 2]],
    ['4.0.4-scala2.13-java17-python3-ubuntu', [4, 0, 4]],
    ['1.33', [1, 33, 0]],
    ['10.20.30+build', [10, 20, 30]],
    ['3.5.7x', undefined],
    ['latest', undefined],
    ['v1beta2-1.3.8-3.1.1', undefined],
    [undefined, undefined],
    [42, undefined],
  ])('parseRelease(%j) is %j', (value, parts) => {
    expect(parseRelease(value)).toEqual(parts);
  });

  test('orders numerically, part by part', () => {
    expect(compareReleases('3.10.0', '3.9.9')).toBeGreaterThan(0);
    expect(compareReleases('3.5.7', '3.5.7-rc1')).toBe(0);
    expect(compareReleases('2.99.99', '3.0.0')).toBeLessThan(0);
    expect(releaseAtLeast('3.1.0', '3.1.0')).toBe(true);
    expect(() => compareReleases('x', '1.0.0')).toThrow('not release numbers: "x", "1.0.0"');
  });

  test('ranges include their minimum and exclude their bound', () => {
    const range = new ReleaseRange('3.0.0', '5.0.0');
    expect([range.contains('3.0.0'), range.contains('4.99.0'), range.contains('5.0.0'), range.contains('2.4.8'), range.contains('x')])
      .toEqual([true, true, false, false, false]);
    expect(range.toString()).toBe('3.0.0 up to (not including) 5.0.0');
    expect(range.toCell()).toBe('≥ 3.0.0, < 5.0.0');
    const open = new ReleaseRange('0.12.2');
    expect([open.contains('9.0.0'), open.toString(), open.toCell()]).toEqual([true, '0.12.2 or later', '≥ 0.12.2']);
  });
});

describe('compatibility lookups', () => {
  test('image tags name releases', () => {
    expect(operatorImageRelease('2.5.2')).toBe('2.5.2');
    expect(operatorImageRelease('v2.5.1')).toBe('2.5.1');
    expect(operatorImageRelease('v1beta2-1.3.8-3.1.1')).toBeUndefined();
    expect(operatorImageRelease(undefined)).toBeUndefined();
    expect(zeppelinImageRelease('0.12.0')).toBe('0.12.0');
    expect(zeppelinImageRelease('0.11.2-custom')).toBe('0.11.2');
    expect(zeppelinImageRelease('notebooks')).toBeUndefined();
    expect(zeppelinRow('0.8.2')).toBeUndefined();
    expect(zeppelinRow('0.12.0')?.spark.toString()).toBe('3.3.0 up to (not including) 4.0.0');
  });

  test('package repository URLs name Kubernetes minors in a path segment', () => {
    expect(minorsInRepositoryUrl('https://pkgs.k8s.io/core:/stable:/v1.33/deb/')).toEqual(['1.33']);
    expect(minorsInRepositoryUrl('https://nexus.example.com/k8s/1.30/rpm/')).toEqual(['1.30']);
    expect(minorsInRepositoryUrl('https://nexus.example.com/repository/k8s-deb/')).toEqual([]);
    expect(minorsInRepositoryUrl('https://mirror.example.com/v1.3/v1.33')).toEqual(['1.3', '1.33']);
  });

  test('keys and official releases', () => {
    expect(sparkConfKeySince('spark.archives')).toBe('3.1.0');
    expect(sparkConfKeySince('spark.executor.memory')).toBeUndefined();
    expect([mayBeNewerOfficialRelease('4.1.9'), mayBeNewerOfficialRelease('4.1.1'), mayBeNewerOfficialRelease('3.2.9'),
      mayBeNewerOfficialRelease('9.0.0'), mayBeNewerOfficialRelease('x')]).toEqual([true, false, false, true, false]);
  });
});
