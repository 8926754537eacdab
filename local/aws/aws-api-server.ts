import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TaskError, type LocalStepFunctions } from './step-functions.js';
import type { Log } from '../../domain/log.js';

export interface BusEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
  time: string;
  id: string;
}

export interface EventRule {
  name: string;
  pattern: Record<string, unknown>;
  target: (event: BusEvent) => Promise<void>;
}

/** EventBridge pattern matching for the subset our rules use: arrays of exact values, nested objects, prefix. */
export function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([k, p]) => {
    const v = event[k];
    if (Array.isArray(p)) {
      return p.some((alt) => {
        if (alt !== null && typeof alt === 'object' && 'prefix' in alt) {
          return typeof v === 'string' && v.startsWith(String((alt as { prefix: unknown }).prefix));
        }
        return alt === v;
      });
    }
    if (p !== null && typeof p === 'object') {
      return (
        v !== null &&
        typeof v === 'object' &&
        matches(p as Record<string, unknown>, v as Record<string, unknown>)
      );
    }
    return p === v;
  });
}

const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

type Reply = { status: number; body: unknown };
const unknownOperation = (message: string): Reply => ({
  status: 400,
  body: { __type: 'UnknownOperationException', message },
});

/** One Step Functions API call (JSON 1.0) on the local runner. */
function stepFunctionsCall(sfn: LocalStepFunctions, op: string, body: Record<string, unknown>): Reply {
  if (op === 'StartExecution') {
    if (body['stateMachineArn'] !== sfn.arn)
      throw new TaskError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
    const input = JSON.parse(str(body['input'], '{}')) as never;
    return { status: 200, body: sfn.startExecution(String(body['name']), input) };
  }
  if (op === 'SendTaskSuccess') {
    sfn.sendTaskSuccess(String(body['taskToken']), str(body['output'], '{}'));
    return { status: 200, body: {} };
  }
  if (op === 'SendTaskFailure') {
    sfn.sendTaskFailure(String(body['taskToken']), str(body['error'], 'Error'), str(body['cause'], ''));
    return { status: 200, body: {} };
  }
  if (op === 'DescribeExecution') {
    return { status: 200, body: sfn.describeExecution(String(body['executionArn'])) };
  }
  return unknownOperation(`${op} stöds inte lokalt`);
}

/** EventBridge PutEvents (JSON 1.1): each entry goes to every matching rule's target. */
function putEvents(body: Record<string, unknown>, rules: EventRule[], log: Log): Reply {
  const entries = Array.isArray(body['Entries']) ? (body['Entries'] as Record<string, unknown>[]) : [];
  const results = [];
  for (const e of entries) {
    const event: BusEvent = {
      id: crypto.randomUUID(),
      source: String(e['Source']),
      'detail-type': String(e['DetailType']),
      detail: JSON.parse(str(e['Detail'], '{}')) as Record<string, unknown>,
      time: new Date().toISOString(),
    };
    for (const rule of rules) {
      if (!matches(rule.pattern, event as unknown as Record<string, unknown>)) continue;
      // Asynchronous delivery, like EventBridge: the producer does not wait for the target.
      setImmediate(() => {
        rule.target(event).catch((err: unknown) => {
          log(
            'error',
            `Regeln ${rule.name} misslyckades: ${err instanceof Error ? err.message : String(err)}`,
          );
        });
      });
    }
    results.push({ EventId: event.id });
  }
  return { status: 200, body: { FailedEntryCount: 0, Entries: results } };
}

/** A local queue: takes a message body, hands back its message id. */
export type LocalQueue = (body: string) => string;

/**
 * SQS SendMessage (JSON 1.0, as the SDK speaks it since 2023): the body goes to the local queue its QueueUrl
 * names. The MD5 of the body is returned because the SDK checks it (a mismatch fails the send).
 */
function sqsSendMessage(body: Record<string, unknown>, queues: Map<string, LocalQueue>): Reply {
  const url = str(body['QueueUrl'], '');
  // By the URL's path (account and name), as the host may be the IAM proxy's in front of this server.
  const path = (u: string) => URL.parse(u)?.pathname ?? u;
  const queue = [...queues].find(([k]) => path(k) === path(url))?.[1];
  if (!queue) {
    return {
      status: 400,
      body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: `Kön ${url} finns inte lokalt` },
    };
  }
  const messageBody = str(body['MessageBody'], '');
  const messageId = queue(messageBody);
  const md5 = createHash('md5').update(messageBody, 'utf8').digest('hex');
  return { status: 200, body: { MessageId: messageId, MD5OfMessageBody: md5 } };
}

/**
 * A small endpoint speaking the Step Functions (JSON 1.0), EventBridge (JSON 1.1) and SQS SendMessage
 * (JSON 1.0) APIs, so handlers use the real SDK clients with their endpoint pointing here.
 */
export function startAwsApiServer(opts: {
  port: number;
  sfn: () => LocalStepFunctions;
  rules: () => EventRule[];
  /** Queue URL → local queue (the reconcile's re-drive reaches the ingest queue this way). */
  queues?: () => Map<string, LocalQueue>;
  log: Log;
}): Promise<http.Server & { port: number }> {
  const call = (target: string, body: Record<string, unknown>): Reply => {
    try {
      if (target.startsWith('AWSStepFunctions.'))
        return stepFunctionsCall(opts.sfn(), target.split('.').pop() ?? '', body);
      if (target === 'AWSEvents.PutEvents') return putEvents(body, opts.rules(), opts.log);
      if (target === 'AmazonSQS.SendMessage')
        return sqsSendMessage(body, opts.queues?.() ?? new Map<string, LocalQueue>());
      return unknownOperation(`Okänd operation ${target}`);
    } catch (err) {
      if (err instanceof TaskError) return { status: 400, body: { __type: err.code, message: err.message } };
      const message = err instanceof Error ? err.message : String(err);
      return { status: 500, body: { __type: 'InternalFailure', message } };
    }
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const contentType = target.startsWith('AWSEvents')
        ? 'application/x-amz-json-1.1'
        : 'application/x-amz-json-1.0';
      const reply = ({ status, body }: Reply) => {
        res.writeHead(status, { 'content-type': contentType });
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        reply({ status: 400, body: { __type: 'SerializationException', message: 'Invalid JSON' } });
        return;
      }
      reply(call(target, body));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      resolve(Object.assign(server, { port: (server.address() as AddressInfo).port }));
    });
  });
}
