import { randomBytes } from 'node:crypto';
import type { MappedRequest } from './request-map.js';

export interface DeniedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** AWS's wording, so a log line reads as it would in CloudWatch. */
export function deniedMessage(
  principalArn: string,
  action: string,
  resource: string,
  explicit: boolean,
): string {
  return (
    `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ` +
    (explicit
      ? 'with an explicit deny in a resource-based policy'
      : `because no identity-based policy allows the ${action} action`)
  );
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The service's own AccessDenied answer, so the SDK throws the same error class as on AWS: S3's XML 403
 * (AccessDenied), DynamoDB's and Step Functions' JSON 400 (AccessDeniedException), SES v2's REST 403.
 */
export function accessDenied(
  protocol: MappedRequest['protocol'],
  message: string,
  method: string,
): DeniedResponse {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  switch (protocol) {
    case 's3':
      return {
        status: 403,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        // HEAD has no body: the SDK names the error from the status alone (403 → Forbidden), as on AWS.
        body:
          method === 'HEAD'
            ? ''
            : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
    case 'dynamodb':
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message }),
      };
    case 'sfn':
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }),
      };
    case 'sqs':
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: 'com.amazonaws.sqs#AccessDeniedException', message }),
      };
    case 'events':
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: 'AccessDeniedException', message }),
      };
    case 'sesv2':
      return {
        status: 403,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': 'AccessDeniedException',
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ message }),
      };
    case 'sesv1':
      return {
        status: 403,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
  }
}
