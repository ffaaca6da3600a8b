import { IConstruct } from 'constructs';

/**
 * State kept per app (the root of a construct tree), created on first use:
 * registries that constructs look each other up in without walking the tree.
 */
export class PerApp<T> {
  private readonly byRoot = new WeakMap<IConstruct, T>();

  constructor(private readonly create: () => T) {}

  /** The state of the app that contains `scope`. */
  public of(scope: IConstruct): T {
    const root = scope.node.root;
    let state = this.byRoot.get(root);
    if (state === undefined) {
      state = this.create();
      this.byRoot.set(root, state);
    }
    return state;
  }
}
