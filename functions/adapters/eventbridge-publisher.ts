import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher, HandlingDiariefordEvent } from '../../domain/diarium/ports.js';
import {
  EVENT_SOURCE,
  GRANSKNING_BEGARD,
  HANDLING_DIARIEFORD,
  granskningBegardDetailSchema,
  handlingDiariefordDetailSchema,
} from '../../events/handling-diarieford.js';

export interface PutEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** Sends one event; the EventBridge client on AWS, in-process delivery locally. */
export type EventSink = (event: PutEvent) => Promise<void>;

export function eventBridgeSink(client: EventBridgeClient, busName: string): EventSink {
  return async (e) => {
    const r = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: busName,
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          },
        ],
      }),
    );
    if (r.FailedEntryCount)
      throw new Error(`PutEvents misslyckades: ${r.Entries?.[0]?.ErrorCode ?? 'okänt fel'}`);
  };
}

export class AppEventPublisher implements EventPublisher {
  constructor(private readonly sink: EventSink) {}

  handlingDiarieford(event: HandlingDiariefordEvent): Promise<void> {
    // Parsed with the schema the consumer uses, so producer and consumer cannot drift apart.
    const detail = handlingDiariefordDetailSchema.parse(event);
    return this.sink({ detailType: HANDLING_DIARIEFORD, detail });
  }

  granskningBegard(event: { diarienummer: string; arende: string; av: string }): Promise<void> {
    return this.sink({ detailType: GRANSKNING_BEGARD, detail: granskningBegardDetailSchema.parse(event) });
  }
}
