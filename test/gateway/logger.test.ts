import { createJsonLogger } from '../../gateway-task/src/logger';

describe('gateway-task JSON logger', () => {
  it('writes one JSON object per line with level, message, timestamp, service and context; filters by level', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ level: 'info', write: (l) => lines.push(l), now: () => Date.UTC(2026, 10, 21, 10, 0, 0) }).child({ shardId: 1 });
    log.debug('not written');
    log.info('shard ready', { unavailableGuilds: 0 });
    log.error('failed', { error: Object.assign(new Error('boom'), { code: 'ECONNRESET' }) });

    expect(lines).toHaveLength(2);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0])).toEqual({
      level: 'INFO',
      message: 'shard ready',
      timestamp: '2026-11-21T10:00:00.000Z',
      service: 'gateway-task',
      shardId: 1,
      unavailableGuilds: 0,
    });
    expect(JSON.parse(lines[1]).error).toEqual(expect.objectContaining({ name: 'Error', message: 'boom', code: 'ECONNRESET' }));
  });

  it('redacts fields that could carry what members wrote or who they are, at any depth', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ write: (l) => lines.push(l) });
    log.warn('payload', { packet: { d: { content: 'my password is hunter2', author: { id: '1', username: 'casey' } } }, token: 'abc' });
    const line = JSON.parse(lines[0]);
    expect(line.packet.d).toEqual({ content: '[redacted]', author: { id: '1', username: '[redacted]' } });
    expect(line.token).toBe('[redacted]');
  });
});
