import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { LasningKo } from '../../domain/ingest/las-in.js';
import {
  HANDLING_LASNING_BEGARD,
  handlingLasningBegardSchema,
} from '../../events/handling-lasning-begard.js';

/** Asks the ingest to read a handling: one HandlingLasningBegard on the ingest queue (events/handling-lasning-begard.ts). */
export class SqsLasningKo implements LasningKo {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async begarLasning(b: { diarienummer: string; av: string; begard: string }): Promise<void> {
    // Parsed as the consumer parses it, so a message the ingest would refuse is never sent.
    const body = handlingLasningBegardSchema.parse({ typ: HANDLING_LASNING_BEGARD, ...b });
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(body) }),
    );
  }
}
