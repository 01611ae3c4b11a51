import type { SendMessageBatchCommand, SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import type { SqsBatchSender } from '../../../gateway-task/src/sqs-publisher';

type Output = Pick<SendMessageBatchCommandOutput, 'Successful' | 'Failed'>;

export interface RecordedCall {
  entries: NonNullable<SendMessageBatchCommand['input']['Entries']>;
}

/** Records every SendMessageBatch and forwards it to `inner` (a real client, or a fake). */
export class RecordingSender implements SqsBatchSender {
  readonly calls: RecordedCall[] = [];
  constructor(private readonly inner: (command: SendMessageBatchCommand, callIndex: number) => Promise<Output>) {}
  send(command: SendMessageBatchCommand): Promise<Output> {
    const index = this.calls.length;
    this.calls.push({ entries: command.input.Entries ?? [] });
    return this.inner(command, index);
  }
}

/** Every entry accepted. */
export function allSuccessful(command: SendMessageBatchCommand): Output {
  return {
    Successful: (command.input.Entries ?? []).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  };
}

/** A sender whose calls hang until the test releases them, one by one. */
export class StalledSender implements SqsBatchSender {
  readonly calls: RecordedCall[] = [];
  private readonly pending: Array<{ command: SendMessageBatchCommand; resolve: (o: Output) => void }> = [];
  send(command: SendMessageBatchCommand): Promise<Output> {
    this.calls.push({ entries: command.input.Entries ?? [] });
    return new Promise((resolve) => this.pending.push({ command, resolve }));
  }
  get hanging(): number {
    return this.pending.length;
  }
  /** Answers the oldest hanging call with success for all its entries. */
  releaseOne(): void {
    const call = this.pending.shift();
    if (!call) throw new Error('no hanging call');
    call.resolve(allSuccessful(call.command));
  }
}
