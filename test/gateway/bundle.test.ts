import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundleGatewayTask, type BundleResult } from '../../gateway-task/build';
import guildCreate from '../fixtures/gateway/guild-create.json';
import { provisionForTest } from '../support/aws';
import { dispatch, nextId } from './support/dispatches';
import { FakeDiscordGateway } from './support/fake-discord-gateway';
import { TEST_CREDENTIALS, TEST_REGION, createFifoQueue, receiveAll, sqsEndpoint, testSqsClient } from './support/sqs';

/** The bundled task in a child process, its stdout read line by line. */
class TaskProcess {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly proc: ChildProcess;
  private readonly lineWaiters: Array<{ match: (l: string) => boolean; resolve: (l: string) => void }> = [];

  constructor(file: string, env: Record<string, string>) {
    // A clean environment: only what the test passes reaches the task.
    this.proc = spawn(process.execPath, ['--enable-source-maps', file], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (chunk) => (this.stderr += String(chunk)));
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const w of this.lineWaiters.filter((x) => x.match(line))) w.resolve(line);
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  /** Resolves with the first JSON log line whose message is `message` (already written or still to come). */
  waitForLog(message: string): Promise<Record<string, unknown>> {
    const match = (l: string) => l.startsWith('{') && JSON.parse(l).message === message;
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(JSON.parse(seen));
    return new Promise((resolve) => this.lineWaiters.push({ match, resolve: (l) => resolve(JSON.parse(l)) }));
  }

  signal(sig: NodeJS.Signals): void {
    this.proc.kill(sig);
  }
}

/**
 * An HTTP pass-through to the SQS emulator that holds every request until released: SQS "slow",
 * so the task's buffer fills for real.
 */
async function startHoldingProxy(target: string) {
  const held: Array<() => void> = [];
  let open = false;
  const forward = async (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)) as Array<[string, string]>);
    const out = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    res.writeHead(out.status, Object.fromEntries(out.headers)).end(Buffer.from(await out.arrayBuffer()));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = () => void forward(req, Buffer.concat(chunks), res).catch(() => res.writeHead(502).end());
      if (open) go();
      else held.push(go);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get held() {
      return held.length;
    },
    release() {
      open = true;
      for (const go of held.splice(0)) go();
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('gateway-task bundle (what the Docker image runs)', () => {
  let outdir: string;
  let bundle: BundleResult;
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'deskwire-gateway-bundle-'));
    [bundle, env] = await Promise.all([bundleGatewayTask(outdir), provisionForTest('gw-bundle')]);
  });
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    env.destroy();
  });

  it('builds to one file that loads without node_modules and exits non-zero naming the missing variables', async () => {
    expect(bundle.outfile).toBe(join(outdir, 'main.js'));
    expect(bundle.bytes).toBeGreaterThan(500_000); // discord.js, the SQS client and zod are inside

    const task = new TaskProcess(bundle.outfile, {});
    expect(await task.exited).toBe(1);
    expect(task.stderr).toContain('Invalid gateway-task configuration: DISCORD_BOT_TOKEN is required; EVENTS_QUEUE_URL is required; TABLE_NAME is required; AWS_REGION is required');
    expect(JSON.parse(task.lines[0])).toMatchObject({ level: 'ERROR', problems: ['DISCORD_BOT_TOKEN is required', 'EVENTS_QUEUE_URL is required', 'TABLE_NAME is required', 'AWS_REGION is required'] });
  });

  it('connects, publishes a GUILD_CREATE to SQS, and on SIGTERM disconnects, drains and exits 0', async () => {
    const fake = await FakeDiscordGateway.start();
    const sqs = testSqsClient();
    try {
      const queueUrl = await createFifoQueue(sqs, 'gw-bundle');
      const task = new TaskProcess(bundle.outfile, {
        DISCORD_BOT_TOKEN: 'fake-bot-token',
        EVENTS_QUEUE_URL: queueUrl,
        TABLE_NAME: env.resources.tableName,
        AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodb,
        AWS_REGION: TEST_REGION,
        AWS_ENDPOINT_URL_SQS: sqsEndpoint(),
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        DISCORD_API_BASE_URL: fake.apiBaseUrl,
        HEALTH_PORT: '0',
        LOG_LEVEL: 'info',
      });
      const { port } = (await task.waitForLog('health endpoint listening')) as { port: number };
      await task.waitForLog('gateway connected');
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);

      fake.dispatch(0, guildCreate);
      const [received] = await receiveAll(sqs, queueUrl, 1);
      expect(received.body).toMatchObject({ type: 'guild.create', guildId: guildCreate.d.id, ownerId: guildCreate.d.owner_id });

      task.signal('SIGTERM');
      expect(await task.exited).toBe(0);
      expect(await task.waitForLog('gateway stopped')).toMatchObject({ drained: true, sent: 1, dropped: 0 });
      expect(task.lines.every((l) => JSON.parse(l).level)).toBe(true);
    } finally {
      sqs.destroy();
      await fake.close();
    }
  });

  it('SIGTERM with 500 events buffered behind a slow SQS: drains every one before exiting 0', async () => {
    const guildId = nextId();
    const channelId = nextId();
    await env.db.send(
      new PutCommand({
        TableName: env.resources.tableName,
        Item: { ...Keys.ticket(guildId, 1), ...Keys.channelIndex(channelId), ...Keys.openChannel(channelId), guildId, number: 1, openerId: nextId(), channelId, status: 'open' },
      }),
    );
    const fake = await FakeDiscordGateway.start();
    const proxy = await startHoldingProxy(sqsEndpoint());
    const sqs = testSqsClient();
    try {
      const queueUrl = await createFifoQueue(sqs, 'gw-sigterm');
      const task = new TaskProcess(bundle.outfile, {
        DISCORD_BOT_TOKEN: 'fake-bot-token',
        EVENTS_QUEUE_URL: queueUrl,
        TABLE_NAME: env.resources.tableName,
        AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodb,
        AWS_REGION: TEST_REGION,
        AWS_ENDPOINT_URL_SQS: proxy.url,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        DISCORD_API_BASE_URL: fake.apiBaseUrl,
        HEALTH_PORT: '0',
        LOG_LEVEL: 'info',
      });
      const { port } = (await task.waitForLog('health endpoint listening')) as { port: number };
      await task.waitForLog('gateway connected');
      for (let i = 0; i < 500; i++) fake.dispatch(0, dispatch.messageCreate({ guildId, channelId, content: `m${i}` }));

      // All 500 accepted and none confirmed: the first batch hangs in the proxy, the rest wait in the buffer.
      const deadline = Date.now() + 10_000;
      let buffered = 0;
      while (buffered < 500 && Date.now() < deadline) {
        const body = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { publisher: { buffered: number; waiting: number; sent: number } };
        buffered = body.publisher.buffered + body.publisher.waiting;
        expect(body.publisher.sent).toBe(0);
        if (buffered < 500) await new Promise((r) => setImmediate(r));
      }
      expect(buffered).toBe(500);
      expect(proxy.held).toBeGreaterThan(0);

      task.signal('SIGTERM');
      await task.waitForLog('gateway stopping');
      proxy.release();
      expect(await task.exited).toBe(0);
      expect(await task.waitForLog('gateway stopped')).toMatchObject({ drained: true, sent: 500, dropped: 0 });

      const received = await receiveAll(sqs, queueUrl, 500);
      expect(received.map((r) => (r.body as { content: string }).content)).toEqual(Array.from({ length: 500 }, (_, i) => `m${i}`));
    } finally {
      sqs.destroy();
      await proxy.close();
      await fake.close();
    }
  }, 60_000);
});
