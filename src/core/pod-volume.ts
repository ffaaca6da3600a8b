import { k8s } from 'cdk8s-plus-28';
import { check, Where } from './errors';
import type { IPodVolume } from './volume-mount';

/**
 * The volume as the pod spec holds it. cdk8s-plus volumes render themselves;
 * a newer line may know volume fields the Kubernetes 1.28 schema this library
 * writes with does not, and those would vanish on the way: refused instead.
 */
export function podVolumeStruct(scope: Where, property: string, volume: IPodVolume): k8s.Volume {
  check(volume !== null && typeof volume === 'object' && typeof volume.name === 'string' && typeof (volume as any)._toKube === 'function',
    scope, property, typeof volume, 'a cdk8s-plus Volume (any 2.x line), e.g. Volume.fromPersistentVolumeClaim(...)');
  const struct: k8s.Volume = (volume as any)._toKube();
  const lost = droppedFields(struct, k8s.toJson_Volume(struct), '');
  check(lost.length === 0, scope, property, volume.name,
    `a volume whose fields Kubernetes 1.28 knows; ${lost.join(', ')} would be dropped`);
  return struct;
}

/** The paths of set fields of `given` that `rendered` lacks (quantities render as strings: not descended into). */
function droppedFields(given: any, rendered: any, at: string): string[] {
  return Object.entries(given ?? {}).flatMap(([key, value]) => {
    if (value === undefined) {
      return [];
    }
    if (rendered === null || typeof rendered !== 'object' || !(key in rendered)) {
      return [`${at}${key}`];
    }
    const plain = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
    return plain || Array.isArray(value) ? droppedFields(value, rendered[key], `${at}${key}.`) : [];
  });
}
