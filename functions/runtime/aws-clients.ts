/** A static key pair, as the SDK clients and the SigV4 signer take it. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The services the functions call, by the suffix of their AWS_ENDPOINT_URL_<SERVICE> setting. */
export type AwsService = 'DYNAMODB' | 'S3' | 'SESV2' | 'SFN' | 'EVENTBRIDGE' | 'SQS';

/** The AWS settings of a function's config record (see config.ts). */
export type AwsSettings = { AWS_REGION?: string | undefined } & {
  [
    K in
      'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY' | 'AWS_SESSION_TOKEN' | `AWS_ENDPOINT_URL_${AwsService}`
  ]?: string | undefined;
};

/** What an SDK client (or a signer) is constructed with; an absent field leaves it to the SDK's defaults. */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
}

/** The record's key pair, if it has one (on Lambda the runtime's role credentials, which the SDK would read the same way). */
export function credentialsOf(c: AwsSettings): AwsCredentialIdentity | undefined {
  if (!c.AWS_ACCESS_KEY_ID || !c.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    accessKeyId: c.AWS_ACCESS_KEY_ID,
    secretAccessKey: c.AWS_SECRET_ACCESS_KEY,
    ...(c.AWS_SESSION_TOKEN ? { sessionToken: c.AWS_SESSION_TOKEN } : {}),
  };
}

/** Client settings for one service: region, that service's endpoint and the credentials, each only when given. */
export function awsClientConfig(c: AwsSettings, service: AwsService): AwsClientConfig {
  const endpoint = c[`AWS_ENDPOINT_URL_${service}`];
  const credentials = credentialsOf(c);
  return {
    ...(c.AWS_REGION ? { region: c.AWS_REGION } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}
