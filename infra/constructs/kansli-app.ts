import { Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.js';
import { ROLLER } from '../../domain/kansli/roller.js';
import { ARKIV_PREFIX, INBOUND_PREFIX } from '../../events/storage-layout.js';
import { AppFunction } from './app-function.js';
import { grantObjectRead, grantObjectWrite, grantTableReadWrite, type DataResources } from './data-access.js';

/** The name of the Entra ID provider in the user pool: federated users are named `EntraID_<sub>` in Cognito. */
export const ENTRA_PROVIDER_NAME = 'EntraID';

export interface KansliAppProps {
  readonly config: StageConfig;
  readonly data: DataResources;
  readonly api: apigw.HttpApi;
  readonly appBus: events.EventBus;
  /** The address the application is reached at (the API's URL, or the stage's public base URL). */
  readonly publicBaseUrl: string;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The kansli's diarium application (`/kansli/*` on the HTTP API) and its login: a Cognito user pool with
 * managed login, one group per role and MFA required. The application itself runs the OIDC code flow with
 * PKCE (functions/kansli). With `entraId` in the stage config the pool also federates the förbund's
 * Microsoft Entra ID as an OIDC identity provider (docs/deploy.md).
 */
export class KansliApp extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly kansli: AppFunction;

  constructor(scope: Construct, id: string, props: KansliAppProps) {
    super(scope, id);
    const { data } = props;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are made by the kansli's administrator (or come from Entra ID), never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const roll of ROLLER) {
      new cognito.UserPoolGroup(this, `Grupp-${roll}`, {
        userPool: this.userPool,
        groupName: roll,
        description: `Rapportflöde: rollen ${roll} i kansliets diarium`,
      });
    }
    const domain = this.userPool.addDomain('Login', {
      // The prefix must be unique in the region; the account id makes it so without a chosen name.
      cognitoDomain: { domainPrefix: `rapportflode-${props.config.stage}-${Stack.of(this).account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const base = `${props.publicBaseUrl}/kansli`;
    const entra = props.config.entraId;
    const entraIdp = entra
      ? new cognito.UserPoolIdentityProviderOidc(this, 'EntraId', {
          userPool: this.userPool,
          name: ENTRA_PROVIDER_NAME,
          clientId: entra.clientId,
          // A dynamic reference: the secret is read by CloudFormation at deploy time, never in the template.
          clientSecret: SecretValue.secretsManager(entra.clientSecretName).unsafeUnwrap(),
          issuerUrl: `https://login.microsoftonline.com/${entra.tenantId}/v2.0`,
          scopes: ['openid', 'email', 'profile'],
          attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
          attributeMapping: {
            email: cognito.ProviderAttribute.other('email'),
            fullname: cognito.ProviderAttribute.other('name'),
          },
        })
      : null;
    this.client = this.userPool.addClient('KansliClient', {
      // A public client: the code flow is protected by PKCE, and no secret lives in the function.
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${base}/inloggad`],
        logoutUrls: [`${base}/logga-in`],
      },
      // Local accounts stay (the kansli's administrator, staff outside the tenant); Entra ID when configured.
      supportedIdentityProviders: [
        cognito.UserPoolClientIdentityProvider.COGNITO,
        ...(entraIdp ? [cognito.UserPoolClientIdentityProvider.custom(entraIdp.providerName)] : []),
      ],
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(8),
    });
    new cognito.CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    }).node.addDependency(domain);

    this.kansli = new AppFunction(this, 'KansliFunction', {
      entry: 'functions/kansli/handler.ts',
      description: "The kansli's diarium: login (OIDC with PKCE), list and search, ärende view, actions",
      memorySize: 1024,
      timeout: Duration.seconds(15),
      logRetention: props.logRetention,
      environment: {
        TABLE_NAME: data.table.tableName,
        INBOUND_BUCKET: data.bucket.bucketName,
        DIARIUM_SERIE: props.config.diariumSerie,
        EVENT_BUS_NAME: props.appBus.eventBusName,
        OIDC_ISSUER: `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`,
        OIDC_CLIENT_ID: this.client.userPoolClientId,
        KANSLI_BASE_URL: base,
        // The insats register shows each slutrapport's due date as bevakning counts it.
        BEVAKNING_RAPPORT_DAGAR: String(props.config.bevakning.rapportDagar),
      },
    });
    // Sessions and logins are put and marked ended (UpdateItem), never deleted: no DeleteItem.
    grantTableReadWrite(this.kansli, data);
    grantObjectRead(
      this.kansli,
      data,
      [ARKIV_PREFIX.handling, INBOUND_PREFIX.uppladdat],
      'the ärende view presigns short-lived links to the files of its handlingar.',
    );
    // A handling registered by hand files its scan among the handlingar, with its own Object Lock retention
    // (PutObject + PutObjectRetention on handlingar/ only; never the inboxes, never a bypass).
    grantObjectWrite(
      this.kansli,
      data,
      [ARKIV_PREFIX.handling],
      'a handling registered by hand (paper post, upprättad, expedierad) files its scan, content-addressed.',
    );
    // Releasing a held handling asks for its granskning on the bus (as the CLI's frige does).
    props.appBus.grantPutEventsTo(this.kansli.function);
    this.kansli.acknowledgeSynchronous('the HTTP API');

    const integration = new HttpLambdaIntegration('KansliIntegration', this.kansli.function);
    for (const path of ['/kansli', '/kansli/{proxy+}']) {
      const routes = props.api.addRoutes({
        path,
        methods: [apigw.HttpMethod.GET, apigw.HttpMethod.HEAD, apigw.HttpMethod.POST],
        integration,
      });
      for (const route of routes) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The application authenticates itself (OIDC code flow with PKCE against the Cognito pool, server-side sessions, CSRF tokens): a page without a session redirects to the login, which an API Gateway authorizer cannot do.',
        });
      }
    }
  }

  /**
   * "Läs in och starta granskning" sends a HandlingLasningBegard to the ingest queue: SendMessage on that queue
   * only. The queue is encrypted with SQS-managed keys (SecureQueue), so no KMS grant goes with it.
   */
  allowLasIn(ingestQueue: sqs.IQueue): void {
    this.kansli.function.addEnvironment('INGEST_QUEUE_URL', ingestQueue.queueUrl);
    this.kansli.allow(['sqs:SendMessage'], [ingestQueue.queueArn]);
  }
}
