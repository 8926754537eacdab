import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../runtime/tracer.js';

/** One document client per cold start; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set. */
export function makeDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({ maxAttempts: 5 })), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
