/** What a bevakning remembers: which steps were taken (each at most once) and the kansli's own due date. */
export interface BevakningState {
  steg: { steg: string; tidpunkt: string }[];
  datum: { datum: string; av: string } | null;
}

export interface BevakningStore {
  /**
   * Takes one step of one bevakning (a conditional write): true the first time, false when it was already
   * taken, by this run or another. A mail is sent only after its step is claimed, so nothing is sent twice.
   */
  claimSteg(nyckel: string, steg: string, nu: string): Promise<boolean>;
  /** Gives a step back when its mail could not be sent, so the next run tries again. */
  releaseSteg(nyckel: string, steg: string): Promise<void>;
  getBevakning(nyckel: string): Promise<BevakningState>;
  /** The kansli's due date for one bevakning; null removes it (the register's date applies again). */
  setDatum(nyckel: string, datum: { datum: string; av: string } | null): Promise<void>;
}

/** The key of an insats's report bevakning and of a komplettering request. */
export const bevakningsnyckel = {
  insats: (insatsId: string) => `insats:${insatsId}`,
  komplettering: (handling: string) => `komplettering:${handling}`,
  kansli: 'kansli',
} as const;
