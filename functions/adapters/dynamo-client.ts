import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../runtime/tracer.js';
import type { AwsClientConfig } from '../runtime/aws-clients.js';

/** One document client per function instance, built from the function's config (awsClientConfig). */
export function makeDocumentClient(aws: AwsClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    tracer.captureAWSv3Client(new DynamoDBClient({ ...aws, maxAttempts: 5 })),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}
