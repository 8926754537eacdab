import type { Person } from './roller.js';

/** A signed-in session, stored server-side; the cookie holds only a random id whose hash is the key. */
export interface Session {
  person: Person;
  /** Sent with every form and compared with the posted value (synchronizer token). */
  csrf: string;
  skapad: string;
  /** Absolute expiry: after it the session is refused even if the store has not removed it yet. */
  utgar: string;
}

/** A login under way: what the callback must match (state) and prove (PKCE verifier, nonce). */
export interface Inloggning {
  nonce: string;
  verifier: string;
  /** Where to go after the login (a path under /kansli). */
  tillbaka: string;
}

/** Sessions and logins under way: working items with a TTL, not records. */
export interface SessionStore {
  putInloggning(state: string, l: Inloggning, utgar: Date): Promise<void>;
  /** Returns the login once and marks it used; null when unknown, used or expired. */
  takeInloggning(state: string, nu: Date): Promise<Inloggning | null>;
  putSession(idHash: string, s: Session): Promise<void>;
  /** Null when unknown, ended or expired. */
  getSession(idHash: string, nu: Date): Promise<Session | null>;
  endSession(idHash: string, nu: Date): Promise<void>;
}
