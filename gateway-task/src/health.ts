import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';

/**
 * Shard states, by the numeric `Status` discord.js keeps on each `WebSocketShard`
 * (`require('discord.js').Status`: Ready = 0 … Resuming = 8).
 *
 * @see https://discord.js.org/docs/packages/discord.js/14.28.1/Status:Enum
 */
export const SHARD_STATES = [
  'ready',
  'connecting',
  'reconnecting',
  'idle',
  'nearly',
  'disconnected',
  'waiting-for-guilds',
  'identifying',
  'resuming',
] as const;
export type ShardState = (typeof SHARD_STATES)[number] | 'unknown' | 'missing';

/**
 * States in which the shard holds a live gateway session: READY received (guilds may still be
 * streaming in) or a RESUME under way. Connecting and identifying are not healthy: a task stuck
 * there is not receiving events.
 *
 * @see https://discord.com/developers/docs/events/gateway#connection-lifecycle
 */
const CONNECTED: ReadonlySet<ShardState> = new Set<ShardState>(['ready', 'nearly', 'waiting-for-guilds', 'resuming']);

/** One shard as discord.js exposes it (`client.ws.shards`). */
export interface ShardLike {
  id: number;
  status: number;
  ping: number;
}

export interface ShardHealth {
  id: number;
  status: ShardState;
  /** Last heartbeat round trip in ms; -1 before the first. */
  ping: number;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  shards: ShardHealth[];
  [extra: string]: unknown;
}

/**
 * Healthy when this task runs at least one shard, every shard it should run (`expectedIds`, or
 * whatever discord.js created when the plan is `auto`) exists, and each holds a session.
 */
export function evaluateShardHealth(shards: Iterable<ShardLike>, expectedIds: readonly number[] | null): HealthReport {
  const seen = new Map<number, ShardHealth>();
  for (const s of shards) {
    seen.set(s.id, { id: s.id, status: SHARD_STATES[s.status] ?? 'unknown', ping: s.ping });
  }
  for (const id of expectedIds ?? []) {
    if (!seen.has(id)) seen.set(id, { id, status: 'missing', ping: -1 });
  }
  const list = [...seen.values()].sort((a, b) => a.id - b.id);
  const ok = list.length > 0 && list.every((s) => CONNECTED.has(s.status));
  return { status: ok ? 'ok' : 'unavailable', shards: list };
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /health`: 200 with the report when its status is `ok`, 503 otherwise. The ECS
 * container health check calls it; the body is for people reading it.
 */
export async function startHealthServer(options: {
  port: number;
  host?: string;
  report: () => HealthReport;
  logger: Logger;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    let report: HealthReport;
    try {
      report = options.report();
    } catch (err) {
      options.logger.error('health report failed', { error: err });
      report = { status: 'unavailable', shards: [] };
    }
    res
      .writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(report));
  });
  // A probe that hangs must not keep the task from stopping.
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info('health endpoint listening', { port });

  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
