// Who is signed in, sign-in/out, and the way back after an expired session:
// any 401 sends the user to /login?next=<the page>, and signing in returns there.
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, call, setUnauthorizedHandler } from '../api/client';
import type { LoginResult, Role, User } from '../api/types';
import { session } from './session';

interface Auth {
  user: User | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  replaceToken(token: string, user?: User): void;
  hasRole(...roles: Role[]): boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const user = useSyncExternalStore(session.subscribe, () => session.user);
  const queryClient = useQueryClient();

  useEffect(() => {
    // RequireUser (App.tsx) then sends the page to sign-in, remembering where it was.
    setUnauthorizedHandler(() => {
      if (!session.token) return;
      session.clear('expired');
      queryClient.clear();
    });
  }, [queryClient]);

  const signIn = useCallback(async (username: string, password: string) => {
    const result = await call<LoginResult>(api.POST('/api/v1/auth/login', { body: { username, password } }));
    session.set(result.accessToken, result.user);
  }, []);

  const signOut = useCallback(async () => {
    // The token stops working on the service (where it offers logout); the session ends here in any case.
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${session.token}` } }).catch(
      () => undefined,
    );
    session.clear('signed-out'); // RequireUser then shows the sign-in page
    queryClient.clear();
  }, [queryClient]);

  const replaceToken = useCallback((token: string, next?: User) => session.set(token, next ?? session.user!), []);

  const value = useMemo<Auth>(
    () => ({ user, signIn, signOut, replaceToken, hasRole: (...roles) => !!user && roles.some((r) => user.roles.includes(r)) }),
    [user, signIn, signOut, replaceToken],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
