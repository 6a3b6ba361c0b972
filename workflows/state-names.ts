// A snapshot's state as the API names it.
import type { StateValue } from 'xstate';

/** Top-level state (the API's `state`) and the full path (`stateDetail`, e.g. procuratorial-supervision.reasons-required). */
export function stateNames(snapshot: { value: StateValue }): { state: string; stateDetail: string } {
  const path: string[] = [];
  let value: unknown = snapshot.value;
  while (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0];
    path.push(key);
    value = inner;
  }
  if (typeof value === 'string') path.push(value);
  return { state: path[0], stateDetail: path.join('.') };
}
