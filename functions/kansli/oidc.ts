import * as client from 'openid-client';

export interface OidcIdentity {
  sub: string;
  namn: string;
  epost: string | null;
  grupper: string[];
}

/** The OpenID Connect client (authorization code flow with PKCE): Cognito on AWS, oidc-provider locally. */
export interface Oidc {
  authorizationUrl(p: { state: string; nonce: string; verifier: string }): Promise<URL>;
  /** Exchanges the callback's code; throws when state, nonce, PKCE or the ID token's signature does not hold. */
  exchange(callback: URL, p: { state: string; nonce: string; verifier: string }): Promise<OidcIdentity>;
}

/** The groups claim: Cognito's name; the local provider issues the same claim. */
export const GROUPS_CLAIM = 'cognito:groups';

const isLoopback = (u: URL) => u.hostname === '127.0.0.1' || u.hostname === 'localhost';

/** Discovery once per instance, on first use (the issuer may start after the function is built locally). */
export function openIdClient(opts: { issuer: string; clientId: string; redirectUri: string }): Oidc {
  const issuer = new URL(opts.issuer);
  let config: Promise<client.Configuration> | null = null;
  const cfg = () => {
    // Plain HTTP only to a loopback issuer (the local provider); the config schema refuses any other.
    config ??= client
      .discovery(issuer, opts.clientId, undefined, client.None(), {
        ...(issuer.protocol === 'http:' && isLoopback(issuer)
          ? // Deprecated only as a warning sign; used for the loopback issuer alone.
            // eslint-disable-next-line @typescript-eslint/no-deprecated
            { execute: [client.allowInsecureRequests] }
          : {}),
      })
      .catch((err: unknown) => {
        config = null;
        throw err;
      });
    return config;
  };
  return {
    async authorizationUrl(p) {
      return client.buildAuthorizationUrl(await cfg(), {
        redirect_uri: opts.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state: p.state,
        nonce: p.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
        code_challenge_method: 'S256',
      });
    },
    async exchange(callback, p) {
      const tokens = await client.authorizationCodeGrant(await cfg(), callback, {
        pkceCodeVerifier: p.verifier,
        expectedState: p.state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
      });
      const c = tokens.claims();
      if (!c) throw new Error('Inget ID-token i svaret');
      const groups: unknown = c[GROUPS_CLAIM];
      const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
      return {
        sub: c.sub,
        namn: str(c['name']) ?? str(c['email']) ?? c.sub,
        epost: str(c['email']),
        grupper: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
      };
    },
  };
}

export const randomVerifier = client.randomPKCECodeVerifier;
export const randomState = client.randomState;
export const randomNonce = client.randomNonce;
