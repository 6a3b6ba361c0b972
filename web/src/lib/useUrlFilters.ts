// A list's filters live in the address, so the page comes back as it was left.
import { useSearchParams } from 'react-router';

/** The named filters that are set, and a setter (an empty value removes the filter). */
export function useUrlFilters<K extends string>(names: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(names.map((f) => [f, params.get(f) ?? undefined]).filter(([, v]) => v)) as Partial<
    Record<K, string>
  >;
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return { params, filters, set };
}
