/** The PostgreSQL URL this process uses, for the few places that need their own connection (LISTEN). */
export const DATABASE_URL = Symbol('DATABASE_URL');
