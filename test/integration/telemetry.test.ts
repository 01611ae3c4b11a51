import { PostHogTelemetry } from '../../lambdas/shared/adapters/posthog-telemetry';
import { noopTelemetry } from '../../lambdas/shared/ports/telemetry';
import { telemetryFromConfig } from '../../lambdas/shared/telemetry-factory';
import { startPostHogSink } from '../support/posthog-sink';

describe('telemetry port → PostHog', () => {
  it('sends nothing until flush, then event names keyed by guild id only', async () => {
    const sink = await startPostHogSink();
    const t = new PostHogTelemetry('phc_test', sink.url, 'worker');
    t.capture({ event: 'guild_installed', guildId: '123456789012345678', at: Date.parse('2026-11-01T00:00:00Z') });
    t.capture({ event: 'command_used', guildId: '123456789012345678', properties: { job: 'status.report' } });
    t.captureException(new TypeError('user typed <secret text> here'), '123456789012345678');
    expect(sink.events).toHaveLength(0);
    await t.flush();
    expect(sink.events.map((e) => e.event)).toEqual(['guild_installed', 'command_used', 'exception']);
    for (const e of sink.events) {
      expect(e.distinct_id).toBe('guild:123456789012345678');
      expect(e.properties).toMatchObject({ guild_id: '123456789012345678', service: 'worker' });
    }
    expect(sink.events[2].properties.error_type).toBe('TypeError');
    // The exception's message can quote user input: it must never leave.
    expect(sink.rawBodies.join('')).not.toContain('secret text');
    await sink.close();
  });

  it('reports a failed send to the caller (handlers log it) and sends nothing when empty', async () => {
    const t = new PostHogTelemetry('phc_test', 'http://127.0.0.1:9', 'worker', 500);
    await expect(t.flush()).resolves.toBeUndefined();
    t.capture({ event: 'guild_installed', guildId: '123456789012345678' });
    await expect(t.flush()).rejects.toThrow();
  });

  it('is a no-op without an API key', () => {
    expect(telemetryFromConfig({ POSTHOG_API_KEY: undefined, POSTHOG_HOST: 'http://127.0.0.1:1' }, 'x')).toBe(noopTelemetry);
  });
});
