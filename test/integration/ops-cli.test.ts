import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { queueDepth } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { runOps } from '../../ops/cli';
import { provisionForTest } from '../support/aws';

describe('ops CLI: dead-letter queues', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let stackFile: string;
  beforeAll(async () => {
    env = await provisionForTest('ops');
    stackFile = join(mkdtempSync(join(tmpdir(), 'dw-ops-')), 'stack.json');
    writeFileSync(stackFile, JSON.stringify({ endpoints: env.endpoints, resources: env.resources }));
  });
  afterAll(() => env.destroy());

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOps(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('shows depths and replays a FIFO dead letter into its queue with its group kept', async () => {
    const q = env.resources.queues.events;
    await env.sqs.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: '{"type":"guild.create"}', MessageGroupId: 'guild-1', MessageDeduplicationId: 'x1' }));
    expect((await run('dlq', 'status', '--stack-file', stackFile)).out).toMatch(/events\s+queue 0\s+dead letters 1/);
    const replay = await run('dlq', 'replay', 'events', '--stack-file', stackFile);
    expect(replay).toMatchObject({ code: 0, out: 'Replayed 1 message(s) from the events dead-letter queue.' });
    expect(await queueDepth(env.sqs, q.dlqUrl)).toBe(0);
    expect(await queueDepth(env.sqs, q.url)).toBe(1);
  });

  it('exits 2 with a clear message on bad input', async () => {
    expect(await run('dlq', 'replay', 'nope', '--stack-file', stackFile)).toMatchObject({ code: 2, err: expect.stringContaining('Name the queue to replay') });
    expect(await run('dlq', 'replay', 'work', '--max', 'many', '--stack-file', stackFile)).toMatchObject({ code: 2, err: expect.stringContaining('--max must be a positive whole number') });
    expect(await run('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command: frobnicate') });
    expect(await run('dlq', 'status', '--stack-file', '/nonexistent/stack.json')).toMatchObject({ code: 2, err: expect.stringContaining('No stack file at /nonexistent/stack.json') });
  });
});
