// The signed-in session: the token in memory, mirrored in sessionStorage so a
// reload keeps it (and closing the tab ends it).
import type { User } from '../api/types';

const KEY = 'caselink.session';

interface Stored {
  token: string;
  user: User;
}

function read(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

let current: Stored | null = read();
const listeners = new Set<() => void>();

export const session = {
  get token(): string | null {
    return current?.token ?? null;
  },
  get user(): User | null {
    return current?.user ?? null;
  },
  set(token: string, user: User): void {
    current = { token, user };
    sessionStorage.setItem(KEY, JSON.stringify(current));
    listeners.forEach((l) => l());
  },
  clear(): void {
    current = null;
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
