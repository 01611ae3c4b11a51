import { purgeSweep, runSweeps, type Sweep } from '../../lambdas/shared/domain/sweeps';
import type { TelemetryEvent } from '../../lambdas/shared/ports/telemetry';
import { ManualClock } from '../support/clock';

/** Telemetry that keeps what it was given. */
function recording() {
  const exceptions: Array<[string, string | null | undefined]> = [];
  const events: TelemetryEvent[] = [];
  return { exceptions, events, capture: (e: TelemetryEvent) => void events.push(e), captureException: (err: unknown, g?: string | null) => void exceptions.push([err instanceof Error ? err.name : typeof err, g]), flush: async () => undefined };
}

describe('sweep failures are captured (type and guild only)', () => {
  it('reports a sweep that cannot run to the sweeper and carries on with the others', async () => {
    const failed: Array<[string, unknown]> = [];
    const broken: Sweep = { name: 'broken', run: async () => Promise.reject(new RangeError('index query failed')) };
    const fine: Sweep = { name: 'fine', run: async () => ({ name: 'fine', due: 0, done: 0, failed: 0 }) };
    const results = await runSweeps([broken, fine], new ManualClock(), (sweep, err) => failed.push([sweep.name, err]));
    expect(results.map((r) => [r.name, r.failed])).toEqual([['broken', 1], ['fine', 0]]);
    expect(failed).toEqual([['broken', expect.any(RangeError)]]);
  });

  it('captures a guild purge that fails with the guild id', async () => {
    const telemetry = recording();
    const sweep = purgeSweep({
      guilds: { duePurges: async () => ['1300000000000000001'], claimPurge: async () => true, purge: async () => Promise.reject(new TypeError('boom')) } as never,
      licenses: { releasePurgedGuild: async () => true },
      telemetry,
      log: { error: () => undefined },
    });
    expect(await sweep.run(Date.now())).toMatchObject({ due: 1, done: 0, failed: 1 });
    expect(telemetry.exceptions).toEqual([['TypeError', '1300000000000000001']]);
  });
});
