import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../build-app.js';
import { addNagChecks, unacknowledgedNagFindings } from '../nag.js';
import { loadStageConfig } from '../config/stages.js';
import { TEST_CONFIG, only, resourcesOfType, synthesize, type Synthesized } from '../test-helpers.js';
import { ENTRA_PROVIDER_NAME } from './kansli-app.js';

const ENTRA = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  clientId: '00000000-0000-4000-8000-000000000002',
  clientSecretName: 'rapportflode/entra-client-secret',
};

const client = (s: Synthesized) => only(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPoolClient'))[1];

describe('federation of the kansli login with Entra ID', () => {
  it('is off without entraId: only the pool’s own accounts', () => {
    const s = synthesize();
    expect(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPoolIdentityProvider')).toEqual([]);
    expect(client(s).Properties?.['SupportedIdentityProviders']).toEqual(['COGNITO']);
  });

  it('with entraId adds the tenant as an OIDC provider, the secret by dynamic reference, offered by the client', () => {
    const s = synthesize({ context: { config: { ...TEST_CONFIG, entraId: ENTRA } } });
    const [id, idp] = only(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPoolIdentityProvider'));
    expect(idp.Properties).toMatchObject({
      ProviderName: ENTRA_PROVIDER_NAME,
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: ENTRA.clientId,
        client_secret: `{{resolve:secretsmanager:${ENTRA.clientSecretName}:SecretString:::}}`,
        oidc_issuer: `https://login.microsoftonline.com/${ENTRA.tenantId}/v2.0`,
        authorize_scopes: 'openid email profile',
        attributes_request_method: 'GET',
      },
      AttributeMapping: { email: 'email', name: 'name' },
    });
    // By reference (the provider's name): the client is made after the provider it offers.
    expect(client(s).Properties?.['SupportedIdentityProviders']).toEqual(['COGNITO', { Ref: id }]);
    // MFA stays required for the pool's own accounts (Entra's Conditional Access covers federated ones).
    const pool = only(resourcesOfType(s.serviceJson, 'AWS::Cognito::UserPool'))[1];
    expect(pool.Properties?.['MfaConfiguration']).toBe('ON');
  });

  it('passes cdk-nag with the provider', () => {
    const { app, config } = buildApp({
      stage: 'prod',
      bundling: false,
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'rapportflode-entra-')),
      context: { config: JSON.stringify({ ...TEST_CONFIG, entraId: ENTRA }) },
    });
    addNagChecks(app, { stage: config.stage });
    expect(unacknowledgedNagFindings(app.synth().directory)).toEqual([]);
  });

  it('refuses an entraId that is not a tenant and client id', () => {
    expect(() =>
      loadStageConfig('prod', {
        ...TEST_CONFIG,
        entraId: { ...ENTRA, tenantId: 'forbundet.onmicrosoft.com' },
      }),
    ).toThrow(/tenantId/);
  });
});
