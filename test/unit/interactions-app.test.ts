import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { handleInteractionRequest, type InteractionsApp } from '../../lambdas/interactions/app';
import { buildInteractionsApp } from '../../lambdas/interactions/handler';
import { importPublicKey } from '../../lambdas/interactions/verify';
import type { WorkJob } from '../../lambdas/shared/contracts/work-job';
import { GENERIC_ERROR_MESSAGE } from '../../lambdas/shared/interaction-reply';
import { createLogger } from '../../lambdas/shared/logger';
import { autocompleteInteraction, commandInteraction, generateInteractionKeyPair, option, signedHeaders } from '../../local/discord';
import { ManualClock } from '../support/clock';

const keys = generateInteractionKeyPair();
const clock = new ManualClock();
const guildId = '1300000000000000001';
const envelope = { id: '1300000000000000009', applicationId: '1300000000000000002', token: 'tok', guild: { id: guildId }, channel: { id: '1300000000000000003' }, user: { id: '1300000000000000004' } };

/** Ports that answer nothing useful: any call not overridden throws, as a broken dependency would. */
const failing = (what: string) =>
  new Proxy({}, { get: (_t, name) => (typeof name === 'string' && name !== 'then' ? () => Promise.reject(new TypeError(`${what}.${name} failed`)) : undefined) }) as never;

async function app(over: Partial<InteractionsApp>): Promise<{ app: InteractionsApp; jobs: WorkJob[] }> {
  const jobs: WorkJob[] = [];
  const base = {
    publicKey: await importPublicKey(keys.publicKeyHex),
    workQueue: { enqueue: async (job: WorkJob) => void jobs.push(job) },
    enforcement: { states: async () => ({ guild: null, user: null }) },
    tickets: failing('tickets'),
    panels: failing('panels'),
    licenses: failing('licenses'),
    entitlements: failing('entitlements'),
    attempts: failing('attempts'),
    callouts: failing('callouts'),
    hq: null,
    appeal: 'appeal here',
    clock,
    log: createLogger('interactions-test'),
  };
  return { app: { ...base, ...over } as unknown as InteractionsApp, jobs };
}

function request(payload: unknown, timestamp = String(Math.floor(clock.now() / 1000))): LambdaFunctionURLEvent {
  const body = JSON.stringify(payload);
  return { body, isBase64Encoded: false, headers: signedHeaders(body, keys, timestamp), requestContext: { http: { method: 'POST' } } } as unknown as LambdaFunctionURLEvent;
}

const parsed = (res: LambdaFunctionURLResult) => (typeof res === 'string' ? [200, JSON.parse(res)] : [res.statusCode, JSON.parse(res.body ?? 'null')]);

describe('interactions handler', () => {
  it('lets routing finish however long its calls take: a reply never leaves while work is still running, so nothing is left half done', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      // The enforcement read answers after 2.6 s (each AWS call is bounded by the clients' own limits instead).
      let called: () => void = () => undefined;
      const reading = new Promise<void>((resolve) => (called = resolve));
      const late = () => (called(), new Promise((resolve) => setTimeout(() => resolve({ guild: null, user: null }), 2_600)));
      const { app: slow, jobs } = await app({ enforcement: { states: late } as never });
      let settled = false;
      const reply = handleInteractionRequest(request(commandInteraction({ ...envelope, name: 'help' })), slow).finally(() => (settled = true));
      await reading;
      await jest.advanceTimersByTimeAsync(2_599);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      const [status, body] = parsed(await reply);
      expect(status).toBe(200);
      expect(body.data.content).toContain('**Deskwire** — support tickets for this server.');
      expect(jobs).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers a failed AWS call with the generic ephemeral "try again" and captures it, the telemetry send bounded by what is left of the window', async () => {
    const timedOut = () => Promise.reject(Object.assign(new Error('a request has exceeded the configured 1000 ms requestTimeout'), { name: 'TimeoutError' }));
    const signals: Array<AbortSignal | undefined> = [];
    const { app: failing, jobs } = await app({ enforcement: { states: timedOut } as never });
    const workQueue = { enqueue: async (job: WorkJob, opts?: { signal?: AbortSignal }) => void (signals.push(opts?.signal), await failing.workQueue.enqueue(job)) };
    const res = await handleInteractionRequest(request(commandInteraction({ ...envelope, name: 'help' })), { ...failing, workQueue });
    expect(parsed(res)).toEqual([200, { type: 4, data: { content: GENERIC_ERROR_MESSAGE, flags: 64, allowed_mentions: { parse: [] } } }]);
    expect(jobs).toEqual([
      { type: 'telemetry.capture', events: [{ event: 'interaction_error', guildId, properties: { error_type: 'TimeoutError', interaction_type: 2 }, at: clock.now() }] },
    ]);
    expect(signals).toEqual([expect.any(AbortSignal)]);

    // The window is counted from when the Function URL received the request: with none of it left, no send is started.
    jobs.length = 0;
    const old = { ...request(commandInteraction({ ...envelope, name: 'help' })), requestContext: { http: { method: 'POST' }, timeEpoch: Date.now() - 2_600 } } as unknown as LambdaFunctionURLEvent;
    expect(parsed(await handleInteractionRequest(old, { ...failing, workQueue }))[1].data.content).toBe(GENERIC_ERROR_MESSAGE);
    expect(jobs).toEqual([]);
  });

  it('answers an autocomplete whose handler throws, or whose command is unknown, with no choices (type 8)', async () => {
    const { app: broken, jobs } = await app({});
    const typing = autocompleteInteraction({ ...envelope, name: 'ticket', options: [option.subcommand('open', [option.string('category', 'bil', true)])] });
    expect(parsed(await handleInteractionRequest(request(typing), broken))).toEqual([200, { type: 8, data: { choices: [] } }]);
    expect(jobs.map((j) => j.type === 'telemetry.capture' && j.events[0].properties)).toEqual([{ error_type: 'TypeError', interaction_type: 4 }]);
    const unknown = autocompleteInteraction({ ...envelope, name: 'removed-command', options: [option.string('x', 'a', true)] });
    expect(parsed(await handleInteractionRequest(request(unknown), broken))).toEqual([200, { type: 8, data: { choices: [] } }]);
  });

  it('refuses a signed request whose timestamp is not a number (401), rather than skipping the replay check', async () => {
    const { app: ok } = await app({});
    for (const timestamp of ['soon', '', '1e3', `${Math.floor(clock.now() / 1000)}.5`]) {
      expect(parsed(await handleInteractionRequest(request(commandInteraction({ ...envelope, name: 'help' }), timestamp), ok))).toEqual([
        401,
        { error: 'invalid_signature', message: 'Missing or invalid request signature.' },
      ]);
    }
  });

  it('gives up on a DynamoDB or SQS endpoint that answers too slowly: two attempts of about a second each, then a TimeoutError', async () => {
    // A loopback endpoint that answers each request only after 3 s (longer than Discord's window).
    const hits = { dynamodb: 0, sqs: 0 };
    const server = createServer((req, res) => {
      hits[String(req.headers['x-amz-target']).startsWith('AmazonSQS') ? 'sqs' : 'dynamodb'] += 1;
      req.resume();
      const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'), 3_000);
      res.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const built = await buildInteractionsApp({
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ENDPOINT_URL_SQS: endpoint,
        TABLE_NAME: 'table',
        DISCORD_APPLICATION_ID: '1300000000000000002',
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        WORK_QUEUE_URL: `${endpoint}/000000000000/work`,
      });
      const outcomes = await Promise.allSettled([
        built.enforcement.states(guildId, envelope.user.id),
        built.workQueue.enqueue({ type: 'telemetry.capture', events: [{ event: 'interaction_error', guildId, properties: {}, at: clock.now() }] }),
        // A send given a signal is cancelled when it fires, not retried.
        built.workQueue.enqueue({ type: 'telemetry.capture', events: [{ event: 'interaction_error', guildId, properties: {}, at: clock.now() }] }, { signal: AbortSignal.timeout(200) }),
      ]);
      expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).name)).toEqual(['TimeoutError', 'TimeoutError', 'AbortError']);
      expect(hits).toEqual({ dynamodb: 2, sqs: 3 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
