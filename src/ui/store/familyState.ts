/**
 * A family's own view state, kept in the one store under the family's key: the family's views
 * read and change it through this handle, typed by the family, and nothing else sees it.
 */
import { useAppStore } from './store';

export interface FamilyStateHandle<S extends object> {
  /** Subscribes a component to one value of the state (select fields, not new objects). */
  use<T>(selector: (state: S) => T): T;
  get(): S;
  set(change: Partial<S> | ((state: S) => Partial<S>)): void;
  /** Back to the initial values, with `change` on top. */
  reset(change?: Partial<S>): void;
}

export function familyState<S extends object>(key: string, initial: S): FamilyStateHandle<S> {
  const read = (family: Readonly<Record<string, object>>) =>
    (family[key] as S | undefined) ?? initial;
  const write = (next: S) =>
    useAppStore.setState((s) => ({ family: { ...s.family, [key]: next } }));
  return {
    use: (selector) => useAppStore((s) => selector(read(s.family))),
    get: () => read(useAppStore.getState().family),
    set: (change) => {
      const current = read(useAppStore.getState().family);
      write({ ...current, ...(typeof change === 'function' ? change(current) : change) });
    },
    reset: (change = {}) => write({ ...initial, ...change }),
  };
}
