import {
  SFNClient,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  ExecutionAlreadyExists,
  TaskTimedOut,
  InvalidToken,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import type { WorkflowCallback, WorkflowStarter } from '../../domain/granskning/ports.js';
import type { GranskningsResultat, GranskningInput } from '../../domain/granskning/types.js';
import { granskningInputSchema, granskningsResultatSchema } from '../../events/granskning.js';

export class SfnWorkflow implements WorkflowStarter, WorkflowCallback {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string | null,
  ) {}

  async start(executionName: string, input: GranskningInput): Promise<'startad' | 'fanns-redan'> {
    if (!this.stateMachineArn) throw new Error('STATE_MACHINE_ARN saknas');
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: JSON.stringify(granskningInputSchema.parse(input)),
        }),
      );
      return 'startad';
    } catch (err) {
      if (err instanceof ExecutionAlreadyExists) return 'fanns-redan';
      throw err;
    }
  }

  async sendSuccess(taskToken: string, output: GranskningsResultat): Promise<'ok' | 'token-ogiltig'> {
    try {
      await this.sfn.send(
        new SendTaskSuccessCommand({
          taskToken,
          output: JSON.stringify(granskningsResultatSchema.parse(output)),
        }),
      );
      return 'ok';
    } catch (err) {
      if (err instanceof TaskTimedOut || err instanceof InvalidToken || err instanceof TaskDoesNotExist)
        return 'token-ogiltig';
      throw err;
    }
  }
}
