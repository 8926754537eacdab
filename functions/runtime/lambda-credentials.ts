import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/**
 * Bundled in place of `@aws-sdk/credential-provider-node` (infra/constructs/bundle-settings.ts). Lambda always
 * hands a function its role's credentials in the environment, the first link of the SDK's default chain; the
 * other links (SSO, ini files, processes, web identity, container and instance metadata) and the STS and SSO
 * clients they bring are about 110 KB that every cold start would parse and none would use.
 */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
