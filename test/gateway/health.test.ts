import { Status } from 'discord.js';
import { evaluateShardHealth, startHealthServer, type HealthReport } from '../../gateway-task/src/health';
import { createJsonLogger } from '../../gateway-task/src/logger';

const shard = (id: number, status: Status, ping = 40) => ({ id, status, ping });

describe('shard health', () => {
  it('is ok when every shard holds a session (ready, waiting for guilds, resuming)', () => {
    expect(evaluateShardHealth([shard(0, Status.Ready), shard(1, Status.WaitingForGuilds), shard(2, Status.Resuming)], [0, 1, 2])).toEqual({
      status: 'ok',
      shards: [
        { id: 0, status: 'ready', ping: 40 },
        { id: 1, status: 'waiting-for-guilds', ping: 40 },
        { id: 2, status: 'resuming', ping: 40 },
      ],
    });
  });

  it.each([
    ['connecting', Status.Connecting],
    ['identifying', Status.Identifying],
    ['reconnecting', Status.Reconnecting],
    ['idle', Status.Idle],
    ['disconnected', Status.Disconnected],
  ])('is unavailable when one shard is %s', (name, status) => {
    const report = evaluateShardHealth([shard(0, Status.Ready), shard(1, status)], null);
    expect(report.status).toBe('unavailable');
    expect(report.shards[1]).toEqual({ id: 1, status: name, ping: 40 });
  });

  it('is unavailable before discord.js created any shard, and when an expected shard is missing', () => {
    expect(evaluateShardHealth([], null)).toEqual({ status: 'unavailable', shards: [] });
    expect(evaluateShardHealth([shard(3, Status.Ready)], [2, 3])).toEqual({
      status: 'unavailable',
      shards: [
        { id: 2, status: 'missing', ping: -1 },
        { id: 3, status: 'ready', ping: 40 },
      ],
    });
  });
});

describe('GET /health', () => {
  it('answers 200 with the report when ok, 503 otherwise, 404 elsewhere', async () => {
    let report: HealthReport = { status: 'unavailable', shards: [] };
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', report: () => report, logger: createJsonLogger({ write: () => {} }) });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      let res = await fetch(`${base}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', shards: [] });

      report = { status: 'ok', shards: [{ id: 0, status: 'ready', ping: 12 }] };
      res = await fetch(`${base}/health?probe=ecs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual(report);

      for (const [path, method] of [['/', 'GET'], ['/health', 'POST']]) {
        res = await fetch(`${base}${path}`, { method });
        expect(res.status).toBe(404);
        await res.body?.cancel();
      }
    } finally {
      await server.close();
    }
  });
});
