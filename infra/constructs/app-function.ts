import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { bundleAliases, ESM_REQUIRE_BANNER } from './bundle-settings.js';

/** Repository root (infra/constructs/../..): entries and the lock file are resolved from here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Powertools service name shared by all functions; the alarms on custom metrics use it as dimension. */
export const SERVICE_NAME = 'rapportflode';
/** CloudWatch namespace of the custom metrics (Powertools `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Rapportflode';

export interface AppFunctionProps {
  /** Path of the handler relative to the repository root, e.g. `functions/ingest/handler.ts`. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  readonly logRetention: logs.RetentionDays;
  /** Packages installed into the bundle's node_modules instead of being bundled (native or data files). */
  readonly nodeModules?: string[];
  /** For asynchronously invoked functions: where failed events go after the retries. */
  readonly onFailure?: IDestination;
  /** @default 2 when onFailure is set */
  readonly retryAttempts?: number;
  readonly reservedConcurrentExecutions?: number;
  /** Node options beyond `--enable-source-maps`, which every function has. */
  readonly nodeOptions?: string[];
}

/**
 * The one way this project builds a Lambda function: Node 22 on arm64, an ESM bundle with source maps and
 * the AWS SDK inside (pinned versions, no dependency on the runtime's copy), X-Ray tracing, its own log group
 * with retention and a role without managed policies (only what the feature construct grants).
 */
export class AppFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rapportflöde ${id}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): write to this function's group only.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const nodeModules = props.nodeModules ?? [];
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.onFailure === undefined
        ? {}
        : { onFailure: props.onFailure, retryAttempts: props.retryAttempts ?? 2 }),
      environment: {
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeOptions ?? [])].join(' '),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Handlers never put their response in a trace (functions/runtime/tracer.ts); errors stay, they help.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        ...props.environment,
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        // Built-ins load when first used, and only Lambda's credential source is bundled (bundle-settings.ts).
        esbuildArgs: {
          '--alias': Object.entries(bundleAliases()).map(([from, to]) => `${from}=${to}`),
        },
        // Bundle the SDK (the versions we test with are the versions that run); only nodeModules stay out.
        externalModules: nodeModules,
        bundleAwsSDK: true,
        ...(nodeModules.length > 0 ? { commandHooks: installNodeModules(nodeModules) } : {}),
      },
    });

    for (const rule of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      Validations.of(this.function).acknowledge({
        id: rule,
        reason:
          'Node.js 22 on purpose: the local stack and all tests run on Node 22 (node@22 devDependency); ' +
          'nodejs22.x is supported by Lambda until 2027-04. Move together with the local toolchain.',
      });
    }

    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
    for (const rule of ['AwsSolutions-IAM5[Resource::*]', 'Serverless-StarPermissions']) {
      Validations.of(this.role).acknowledge({
        id: rule,
        reason:
          'Only the X-Ray actions added by Tracing.ACTIVE use Resource "*": they support no resource ARNs.',
      });
    }
  }

  /** Adds a statement to this function's own role. */
  allow(actions: string[], resources: string[], conditions?: Record<string, unknown>): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) }),
    );
  }

  /** The function is invoked synchronously (API, Step Functions, SQS poller): failures go back to the caller. */
  acknowledgeSynchronous(invokedBy: string): void {
    for (const rule of ['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']) {
      Validations.of(this.function).acknowledge({
        id: rule,
        reason: `Invoked synchronously by ${invokedBy}; errors return to the caller, which retries and dead-letters.`,
      });
    }
  }

  get stack(): Stack {
    return Stack.of(this);
  }
}

const rootPackageSchema = z.object({ dependencies: z.record(z.string(), z.string()) });

/**
 * Installs `modules` into the bundle's node_modules for Lambda's platform (linux, arm64, glibc), pinned by
 * the project's lock file. Done here rather than with NodejsFunction's `nodeModules`, whose `npm ci` refuses
 * a lock file that omits other platforms' optional binaries (ours keeps only the linux ones of
 * @napi-rs/canvas); `--os/--cpu/--libc` make npm pick the arm64 binary even when synthesizing on x64.
 */
function installNodeModules(modules: string[]): nodejs.ICommandHooks {
  const rootPackage = rootPackageSchema.parse(
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')),
  );
  const dependencies = Object.fromEntries(
    modules.map((name) => {
      const version = rootPackage.dependencies[name];
      if (version === undefined) throw new Error(`${name} is not a dependency in package.json`);
      return [name, version];
    }),
  );
  const packageJson = JSON.stringify({ private: true, type: 'module', dependencies });
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      [
        `cd "${outputDir}"`,
        `printf '%s' '${packageJson}' > package.json`,
        `cp "${inputDir}/package-lock.json" package-lock.json`,
        'npm install --omit=dev --no-audit --no-fund --ignore-scripts --os=linux --cpu=arm64 --libc=glibc',
        'rm -f package-lock.json',
      ].join(' && '),
    ],
  };
}
