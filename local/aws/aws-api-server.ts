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

/**
 * A small endpoint speaking the Step Functions (JSON 1.0) and EventBridge (JSON 1.1) APIs,
 * so handlers use the real SDK clients with AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_EVENTBRIDGE.
 */
export function startAwsApiServer(opts: {
  port: number;
  sfn: () => LocalStepFunctions;
  rules: () => EventRule[];
  log: Log;
}): Promise<http.Server & { port: number }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const contentType = target.startsWith('AWSEvents')
        ? 'application/x-amz-json-1.1'
        : 'application/x-amz-json-1.0';
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': contentType });
        res.end(JSON.stringify(body));
      };
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        reply(400, { __type: 'SerializationException', message: 'Invalid JSON' });
        return;
      }
      const op = target.split('.').pop() ?? '';
      const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
      (() => {
        try {
          if (target.startsWith('AWSStepFunctions.')) {
            const sfn = opts.sfn();
            if (op === 'StartExecution') {
              if (body['stateMachineArn'] !== sfn.arn)
                throw new TaskError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
              reply(
                200,
                sfn.startExecution(String(body['name']), JSON.parse(str(body['input'], '{}')) as never),
              );
            } else if (op === 'SendTaskSuccess') {
              sfn.sendTaskSuccess(String(body['taskToken']), str(body['output'], '{}'));
              reply(200, {});
            } else if (op === 'SendTaskFailure') {
              sfn.sendTaskFailure(
                String(body['taskToken']),
                str(body['error'], 'Error'),
                str(body['cause'], ''),
              );
              reply(200, {});
            } else if (op === 'DescribeExecution') {
              reply(200, sfn.describeExecution(String(body['executionArn'])));
            } else {
              reply(400, { __type: 'UnknownOperationException', message: `${op} stöds inte lokalt` });
            }
          } else if (target === 'AWSEvents.PutEvents') {
            const entries = Array.isArray(body['Entries'])
              ? (body['Entries'] as Record<string, unknown>[])
              : [];
            const results = [];
            for (const e of entries) {
              const event: BusEvent = {
                id: crypto.randomUUID(),
                source: String(e['Source']),
                'detail-type': String(e['DetailType']),
                detail: JSON.parse(str(e['Detail'], '{}')) as Record<string, unknown>,
                time: new Date().toISOString(),
              };
              for (const rule of opts.rules()) {
                if (matches(rule.pattern, event as unknown as Record<string, unknown>)) {
                  // Asynchronous delivery, like EventBridge: the producer does not wait for the target.
                  setImmediate(() => {
                    rule.target(event).catch((err: unknown) => {
                      opts.log(
                        'error',
                        `Regeln ${rule.name} misslyckades: ${err instanceof Error ? err.message : String(err)}`,
                      );
                    });
                  });
                }
              }
              results.push({ EventId: event.id });
            }
            reply(200, { FailedEntryCount: 0, Entries: results });
          } else {
            reply(400, { __type: 'UnknownOperationException', message: `Okänd operation ${target}` });
          }
        } catch (err) {
          if (err instanceof TaskError) reply(400, { __type: err.code, message: err.message });
          else
            reply(500, {
              __type: 'InternalFailure',
              message: err instanceof Error ? err.message : String(err),
            });
        }
      })();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      resolve(Object.assign(server, { port: (server.address() as AddressInfo).port }));
    });
  });
}
