import { ApiObject, App, Chart, IResolver, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  addSyncOptions, annotationsOf, isArgoCdOnly, markArgoCdOnly, SYNC_OPTIONS, SYNC_WAVE,
} from '../../../src/gitops/private/annotations';

const configMap = (scope: Construct, id: string, annotations?: { [key: string]: string }) =>
  new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase(), ...(annotations ? { annotations } : {}) } });

/** A resolver that writes the string 'x' as 'X' (cdk8s resolves a replaced value again). */
class Upper implements IResolver {
  public resolve(context: ResolutionContext): void {
    if (context.value === 'x') {
      context.replaceValue('X');
    }
  }
}

describe('gitops/private/annotations', () => {
  test('the annotation keys Argo CD reads (argoproj/argo-cd docs/user-guide/sync-waves.md, sync-options.md)', () => {
    expect(SYNC_WAVE).toBe('argocd.argoproj.io/sync-wave');
    expect(SYNC_OPTIONS).toBe('argocd.argoproj.io/sync-options');
  });

  test('annotationsOf reads what the object carries now, {} when none', () => {
    const chart = new Chart(Testing.app(), 'test');
    const obj = configMap(chart, 'A');
    expect(annotationsOf(obj)).toEqual({});
    obj.metadata.addAnnotation('x', '1');
    expect(annotationsOf(obj)).toEqual({ x: '1' });
  });

  // Plain string annotations are read where cdk8s keeps them; anything a
  // resolver could change is rendered. Either way the result is what cdk8s writes.
  test.each<[string, () => App, (obj: ApiObject) => void, { [key: string]: string }]>([
    ['plain strings', () => Testing.app(), (obj) => obj.metadata.addAnnotation('a', 'x'), { a: 'x' }],
    ['a Lazy value', () => Testing.app(), (obj) => obj.metadata.addAnnotation('a', Lazy.any({ produce: () => 'late' }) as any), { a: 'late' }],
    ['a resolver of the app', () => Testing.app({ resolvers: [new Upper()] }), (obj) => obj.metadata.addAnnotation('a', 'x'), { a: 'X' }],
  ])('annotationsOf agrees with the written manifest: %s', (_name, makeApp, annotate, expected) => {
    const chart = new Chart(makeApp(), 'test');
    const obj = configMap(chart, 'A');
    annotate(obj);
    const read = annotationsOf(obj);
    expect(read).toEqual(expected);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual(expected);
    // A copy: changing it does not change the object.
    read.b = 'y';
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual(expected);
  });

  // Argo CD splits the annotation on commas and trims each option
  // (argoproj/gitops-engine, package resource: HasAnnotationOption over GetAnnotationCSVs,
  // strings.Split(..., ",") then strings.TrimSpace).
  test.each<[string, string | undefined, string[], string | undefined]>([
    ['none before', undefined, ['Prune=false'], 'Prune=false'],
    ['appends new options in order', 'Prune=false', ['Delete=false', 'ServerSideApply=true'], 'Prune=false,Delete=false,ServerSideApply=true'],
    ['keeps options already there once', 'Prune=false,Delete=false', ['Delete=false', 'Replace=true'], 'Prune=false,Delete=false,Replace=true'],
    ['normalises spaces and empty entries when it adds', ' Prune=false , ,Delete=false', ['Replace=true'], 'Prune=false,Delete=false,Replace=true'],
    ['leaves the annotation untouched when nothing is new', ' Prune=false ', ['Prune=false'], ' Prune=false '],
    ['adds nothing for no options', undefined, [], undefined],
  ])('addSyncOptions: %s', (_name, before, options, after) => {
    const chart = new Chart(Testing.app(), 'test');
    const obj = configMap(chart, 'A', before === undefined ? undefined : { [SYNC_OPTIONS]: before, other: 'kept' });
    const annotations = annotationsOf(obj);
    addSyncOptions(obj, annotations, options);
    expect(annotationsOf(obj)[SYNC_OPTIONS]).toBe(after);
    // The caller's view of the annotations follows.
    expect(annotations[SYNC_OPTIONS]).toBe(after);
    if (before !== undefined) {
      expect(annotationsOf(obj).other).toBe('kept');
    }
    // The synthesized manifest carries the same value.
    expect(Testing.synth(chart)[0].metadata.annotations?.[SYNC_OPTIONS]).toBe(after);
  });

  test('an object is Argo CD-only when it or a scope above it is marked, in its own app only', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const argo = new Construct(chart, 'ArgoCd');
    const inside = configMap(argo, 'Inside');
    const outside = configMap(chart, 'Outside');
    expect(isArgoCdOnly(inside)).toBe(false);
    markArgoCdOnly(argo);
    expect(isArgoCdOnly(argo)).toBe(true);
    expect(isArgoCdOnly(inside)).toBe(true);
    // Marked after the child was made: the lookup happens when asked.
    const later = configMap(argo, 'Later');
    expect(isArgoCdOnly(later)).toBe(true);
    expect(isArgoCdOnly(outside)).toBe(false);
    expect(isArgoCdOnly(chart)).toBe(false);

    // Another app with the same tree shape is unaffected (the marks are per app).
    const other = new Chart(Testing.app(), 'test');
    const otherInside = configMap(new Construct(other, 'ArgoCd'), 'Inside');
    expect(isArgoCdOnly(otherInside)).toBe(false);
  });
});
