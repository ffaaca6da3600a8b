import { ApiObject, App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * The method of an ApiObject that returns what `toJson()` would, up to the
 * order of keys, without rendering: or undefined when it cannot tell.
 * Rendering (token resolution with the app's resolvers, key sorting,
 * patches) costs about as much as writing the object's YAML, and the checks
 * that run at synth (the cluster model, Argo CD sync waves) read every object.
 * A symbol shared by every copy of the library.
 */
export const RENDER_WITHOUT_CDK8S: unique symbol = Symbol.for('cdk8s-spark.renderWithoutCdk8s') as any;

/** An ApiObject that may know its rendered JSON (see {@link RENDER_WITHOUT_CDK8S}). */
interface KnowsItsJson {
  [RENDER_WITHOUT_CDK8S](): any;
}

/**
 * What cdk8s writes for `obj`: `obj.toJson()`, or the same JSON the object
 * knows without rendering (a job whose spec was checked as plain data and not
 * changed since).
 */
export function renderedJson(obj: ApiObject): any {
  const knows = (obj as Partial<KnowsItsJson>)[RENDER_WITHOUT_CDK8S];
  return (typeof knows === 'function' ? knows.call(obj) : undefined) ?? obj.toJson();
}

/** True when the app resolves values with cdk8s's built-in resolvers only (none of which changes plain data). */
export function hasDefaultResolvers(app: App): boolean {
  const resolvers = app.resolvers;
  return resolvers.length === 3 && resolvers[0] instanceof LazyResolver && resolvers[1] instanceof ImplicitTokenResolver
    && resolvers[2] instanceof NumberStringUnionResolver;
}
