import { archiveTicket, CHANNEL_WAIT_MS, nextArchiveCheckSeconds } from '../../lambdas/worker/jobs/ticket-archive';
import type { WorkerDeps } from '../../lambdas/worker/types';
import { ManualClock } from '../support/clock';

const guildId = '100000000000000001';
const channelId = '110000000000000001';

/** The archive job against a ticket row as the transcript leaves it; records what it asked of the queue and Discord. */
function setup(transcriptStatus: string, mode: 'channel' | 'thread' = 'channel') {
  const clock = new ManualClock();
  const closedAt = clock.now();
  const ticket = { guildId, number: 3, mode, channelId, closedAt, status: 'closed', transcriptStatus, archivedAt: null };
  const queued: Array<{ job: unknown; delaySeconds?: number }> = [];
  const deleted: string[] = [];
  const deps = {
    clock,
    tickets: {
      getTicket: async () => ticket,
      claimArchive: async () => ticket,
      markArchived: async () => true,
      releaseArchive: async () => undefined,
    },
    discord: { deleteChannel: async (id: string) => void deleted.push(id), modifyChannel: async () => undefined },
    workQueue: { enqueue: async (job: unknown, opts?: { delaySeconds?: number }) => void queued.push({ job, delaySeconds: opts?.delaySeconds }) },
    log: { info: () => undefined, warn: jest.fn() },
  } as unknown as WorkerDeps;
  const job = { type: 'ticket.archive' as const, guildId, number: 3, closedAt };
  return { clock, ticket, queued, deleted, deps, job };
}

describe('channel-mode archive waits for the transcript', () => {
  it.each(['pending', 'failed-retrying', 'failed'])('keeps the channel while the transcript is %s, sending the job again later, whatever the attempt', async (status) => {
    const s = setup(status);
    s.clock.advance(40_000);
    await archiveTicket(s.job, 9, s.deps);
    expect(s.deleted).toEqual([]);
    expect(s.queued).toEqual([{ job: s.job, delaySeconds: 20 }]);
  });

  it('deletes the channel once the transcript is stored', async () => {
    const s = setup('stored');
    await archiveTicket(s.job, 1, s.deps);
    expect(s.deleted).toEqual([channelId]);
    expect(s.queued).toEqual([]);
  });

  it('deletes it anyway a day after the close, and says so', async () => {
    const s = setup('failed-retrying');
    s.clock.advance(CHANNEL_WAIT_MS);
    await archiveTicket(s.job, 1, s.deps);
    expect(s.deleted).toEqual([channelId]);
    expect(s.queued).toEqual([]);
    expect(s.deps.log.warn).toHaveBeenCalledWith('deleting a ticket channel whose transcript has not read it', expect.objectContaining({ number: 3, transcriptStatus: 'failed-retrying' }));
  });

  it('thread mode never waits (a locked thread keeps its history)', async () => {
    const s = setup('pending', 'thread');
    await archiveTicket(s.job, 1, s.deps);
    expect(s.queued).toEqual([]);
  });

  it('looks again after a few seconds at first, then less often, never beyond SQS’s 15-minute delay', () => {
    expect([0, 20_000, 600_000, 3_600_000, 20 * 3_600_000].map(nextArchiveCheckSeconds)).toEqual([5, 10, 300, 900, 900]);
  });
});
