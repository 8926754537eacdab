import http from 'node:http';
import Provider from 'oidc-provider';

/** The client id the local kansli application is registered under (a public client: PKCE, no secret). */
export const LOCAL_OIDC_CLIENT_ID = 'rapportflode-kansli';

/** Demo users, one per role (synthetic names). The login is the user name; the password is not checked. */
export const DEMO_ANVANDARE: Record<string, { namn: string; epost: string; grupper: string[] }> = {
  registrator: { namn: 'Rut Registrator', epost: 'registrator@kansli.example', grupper: ['registrator'] },
  handlaggare: { namn: 'Hugo Handläggare', epost: 'handlaggare@kansli.example', grupper: ['handlaggare'] },
  lasare: { namn: 'Lisa Läsare', epost: 'lasare@kansli.example', grupper: ['lasare'] },
  utan: { namn: 'Ulf Utanroll', epost: 'utan@kansli.example', grupper: [] },
};

/**
 * A real OpenID Connect provider (oidc-provider) standing in for Cognito: authorization code flow, PKCE
 * required, ID tokens with Cognito's groups claim (`cognito:groups`), so the application's login code is the
 * same as on AWS. Its development login form takes a demo user's name.
 */
export async function startOidcProvider(opts: { port: number; redirectUri: string }): Promise<{
  issuer: string;
  close(): Promise<void>;
}> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: LOCAL_OIDC_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    // As Cognito: the groups and the profile in the ID token itself.
    conformIdTokenClaims: false,
    claims: { openid: ['sub', 'cognito:groups'], email: ['email'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    findAccount: (_ctx, id) => {
      const u = DEMO_ANVANDARE[id];
      if (!u) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: u.namn, email: u.epost, 'cognito:groups': u.grupper }),
      };
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 600,
      Grant: 8 * 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
  });
  // The provider's own warnings about development keys and interactions are expected here.
  provider.on('server_error', (_ctx, err) => console.error('OIDC-fel', err));
  server.on('request', provider.callback());
  return {
    issuer,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
