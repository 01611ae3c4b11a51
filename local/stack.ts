import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult, ScheduledEvent } from 'aws-lambda';
import { FUNCTION_TIMEOUTS } from '../lib/resources';
import { buildDashboardDeps, createDashboardHandler } from '../lambdas/dashboard/handler';
import { buildEventsDeps, createEventsHandler } from '../lambdas/events/handler';
import { buildInteractionsApp, createInteractionsHandler } from '../lambdas/interactions/handler';
import { lazy } from '../lambdas/shared/lazy';
import { buildSweeperDeps, createSweeperHandler } from '../lambdas/sweeper/handler';
import { buildWorkerDeps, createWorkerHandler } from '../lambdas/worker/handler';
import { startDynamoDbLocal } from './aws/dynamodb-local';
import { startSqsS3Emulator } from './aws/fauxqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION, provisionLocalResources, type LocalEndpoints, type ProvisionedResources } from './aws/provision';
import { BodyTooLargeError, readBody, toFunctionUrlEvent, writeFunctionUrlResult } from './function-url';
import { localLambdaContext } from './lambda-context';
import { SqsPoller } from './sqs-poller';
import { serveStatic } from './static-files';

/** An extra local-only HTTP route (e.g. the sandbox's driver). */
export type ExtraRoute = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>;

export interface LocalStackOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /** Resource name prefix (tests pass a unique one). */
  prefix?: string;
  /** Persist DynamoDB Local here; in memory when unset. */
  dataDir?: string;
  /** Use already-running emulators (tests) instead of starting them. */
  endpoints?: LocalEndpoints;
  /** The contract variables (DISCORD_*, POSTHOG_*, …) the functions see, on top of the resources. */
  env: Record<string, string | undefined>;
  /** Sweeper timer period; null turns the timer off (tests call `runSweeper()`). */
  sweepIntervalMs?: number | null;
  /** Seconds before a failed queue message is retried locally. */
  retryDelaySeconds?: number;
  /** Start the queue pollers (tests may drive `pollOnce` themselves). */
  pollers?: boolean;
  webDir?: string;
  extraRoutes?: Record<string, ExtraRoute>;
  onError?: (where: string, err: unknown) => void;
}

export interface LocalStack {
  url: string;
  endpoints: LocalEndpoints;
  resources: ProvisionedResources;
  /** Environment the functions were built from. */
  functionEnv: Record<string, string | undefined>;
  pollers: { work: SqsPoller; events: SqsPoller; transcripts: SqsPoller };
  runSweeper(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Everything of the AWS stack on one machine: DynamoDB Local and the SQS/S3 emulator (started here
 * unless given), the resources created from `lib/resources.ts`, the very Lambda handlers behind a
 * local HTTP server (Function URL events), queue pollers feeding the SQS handlers, and a timer for
 * the sweeper.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const stops: Array<() => Promise<void>> = [];
  const onError = opts.onError ?? ((where, err) => console.error(`[${where}]`, err));
  try {
    let endpoints = opts.endpoints;
    if (!endpoints) {
      const [ddb, sqsS3] = await Promise.all([startDynamoDbLocal({ dbPath: opts.dataDir }), startSqsS3Emulator()]);
      stops.push(ddb.stop, sqsS3.stop);
      endpoints = { dynamodb: ddb.endpoint, sqsS3: sqsS3.endpoint };
    }
    const resources = await provisionLocalResources(endpoints, { prefix: opts.prefix ?? 'deskwire', visibilityTimeoutSeconds: opts.retryDelaySeconds ?? 2 });

    // The SDK's default credential chain reads these; the emulators accept anything.
    process.env.AWS_ACCESS_KEY_ID ??= LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_CREDENTIALS.secretAccessKey;

    let ready = false;
    const routes: Record<string, (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>> = {};
    const server: Server = createServer((req, res) => {
      void handle(req, res).catch((err) => {
        onError('http', err);
        // The detail is logged above; the body never echoes internals (paths, stack, SDK messages).
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal_error', message: 'Something went wrong on the local server; see its log.' }));
      });
    });
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return void res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'payload_too_large', message: 'Request body is too large.' }));
        throw err;
      }
      if (path === '/health') {
        return void res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ok' : 'starting' }));
      }
      const extra = opts.extraRoutes?.[`${req.method} ${path}`];
      if (extra) return extra(req, body, res);
      const route = routes[path] ?? (path.startsWith('/api/') || path.startsWith('/auth/') || path.startsWith('/transcripts/') ? routes['/dashboard'] : undefined);
      if (route) return route(req, body, res);
      if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(opts.webDir ?? join(__dirname, '..', 'web'), path, res);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', message: `No such endpoint: ${path}` }));
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`Port ${opts.port} is in use — set PORT to a free port (PORT=0 picks one).`) : err),
      );
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.keepAliveTimeout = 5_000;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const functionEnv: Record<string, string | undefined> = {
      ...opts.env,
      // Empty values (a .env copied from .env.example) mean "not set".
      LOG_LEVEL: opts.env.LOG_LEVEL || 'WARN',
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqsS3,
      AWS_ENDPOINT_URL_S3: endpoints.sqsS3,
      TABLE_NAME: resources.tableName,
      WORK_QUEUE_URL: resources.queues.work.url,
      EVENTS_QUEUE_URL: resources.queues.events.url,
      TRANSCRIPTS_QUEUE_URL: resources.queues.transcripts.url,
      ARCHIVE_BUCKET: resources.bucketName,
      DASHBOARD_BASE_URL: opts.env.DASHBOARD_BASE_URL || url,
      TRANSCRIPT_VIEWER_URL: opts.env.DASHBOARD_BASE_URL || url,
      // Locally the archive's master key and the link-signing secret come from config, or are made
      // for this run (npm start keeps its master key in .local/, beside DynamoDB Local's data).
      ARCHIVE_MASTER_KEY: opts.env.ARCHIVE_KMS_KEY_ID ? undefined : opts.env.ARCHIVE_MASTER_KEY || randomBytes(32).toString('base64'),
      DASHBOARD_SESSION_SECRET: opts.env.DASHBOARD_SESSION_SECRET || randomBytes(32).toString('base64url'),
    };

    const functionUrl = (name: keyof typeof FUNCTION_TIMEOUTS, fn: (e: LambdaFunctionURLEvent, c: Context) => Promise<LambdaFunctionURLResult>) =>
      async (req: IncomingMessage, body: Buffer, res: ServerResponse) => writeFunctionUrlResult(res, await fn(toFunctionUrlEvent(req, body), localLambdaContext(name, FUNCTION_TIMEOUTS[name])));
    routes['/interactions'] = functionUrl('interactions', createInteractionsHandler(lazy(() => buildInteractionsApp(functionEnv))));
    routes['/dashboard'] = functionUrl('dashboard', createDashboardHandler(lazy(() => buildDashboardDeps(functionEnv))));

    const sqs = new SQSClient({ endpoint: endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    stops.push(async () => sqs.destroy());
    const poller = (name: 'worker' | 'events' | 'transcripts', queue: keyof ProvisionedResources['queues'], handler: ReturnType<typeof createWorkerHandler>, batchSize?: number) =>
      new SqsPoller({
        name,
        sqs,
        queueUrl: resources.queues[queue].url,
        queueArn: resources.queues[queue].arn,
        handler: (event, context) => handler(event, context),
        context: () => localLambdaContext(name, FUNCTION_TIMEOUTS[name]),
        retryDelaySeconds: opts.retryDelaySeconds ?? 2,
        onError: (err) => onError(name, err),
        ...(batchSize ? { batchSize } : {}),
      });
    const pollers = {
      work: poller('worker', 'work', createWorkerHandler(lazy(() => buildWorkerDeps(functionEnv)))),
      events: poller('events', 'events', createEventsHandler(lazy(() => buildEventsDeps(functionEnv)))),
      // As on AWS: one build per invocation (see the transcripts λ).
      transcripts: poller('transcripts', 'transcripts', createWorkerHandler(lazy(() => buildWorkerDeps(functionEnv, 'transcripts'))), 1),
    };
    if (opts.pollers !== false) {
      pollers.work.start();
      pollers.events.start();
      pollers.transcripts.start();
    }
    stops.push(async () => void (await Promise.all([pollers.work.stop(), pollers.events.stop(), pollers.transcripts.stop()])));

    const sweeper = createSweeperHandler(lazy(() => buildSweeperDeps(functionEnv)));
    const runSweeper = () => sweeper({ version: '0', id: 'local', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: new Date().toISOString(), region: LOCAL_REGION, resources: [], detail: {} } as ScheduledEvent, localLambdaContext('sweeper', FUNCTION_TIMEOUTS.sweeper));
    if (opts.sweepIntervalMs !== null) {
      const timer = setInterval(() => void runSweeper().catch((err) => onError('sweeper', err)), opts.sweepIntervalMs ?? 60_000);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }

    ready = true;
    return {
      url,
      endpoints,
      resources,
      functionEnv,
      pollers,
      runSweeper,
      async close() {
        for (const stop of stops.reverse()) await stop().catch((err) => onError('close', err));
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}
