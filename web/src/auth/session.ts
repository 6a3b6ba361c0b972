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
let ended: 'expired' | 'signed-out' | null = null;
const listeners = new Set<() => void>();

export const session = {
  get token(): string | null {
    return current?.token ?? null;
  },
  get user(): User | null {
    return current?.user ?? null;
  },
  /** How the last session ended: a 401 (expired, revoked elsewhere) or signing out here. */
  get ended(): 'expired' | 'signed-out' | null {
    return ended;
  },
  set(token: string, user: User): void {
    current = { token, user };
    ended = null;
    sessionStorage.setItem(KEY, JSON.stringify(current));
    listeners.forEach((l) => l());
  },
  clear(how: 'expired' | 'signed-out'): void {
    current = null;
    ended = how;
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
