import type { Telemetry, TelemetryEvent } from '../ports/telemetry';

interface CaptureEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: string;
}

/**
 * Telemetry to PostHog's capture API (`POST /batch/`). The distinct id is the guild
 * (`guild:<id>`), never a user, and person profiles are off. Nothing is sent until `flush()`:
 * handlers call it after their work, off any 3-second path.
 *
 * posthog-node would add ~200 KB to every Lambda bundle for what is one documented POST, so the
 * adapter speaks the API directly; a failed send is reported to the caller, which logs it.
 *
 * @see https://posthog.com/docs/api/capture#batch-events
 */
export class PostHogTelemetry implements Telemetry {
  private buffer: CaptureEvent[] = [];
  private readonly endpoint: string;

  constructor(
    private readonly apiKey: string,
    host: string,
    private readonly service: string,
    private readonly timeoutMs = 3000,
  ) {
    this.endpoint = `${host.replace(/\/+$/, '')}/batch/`;
  }

  capture(e: TelemetryEvent): void {
    this.buffer.push({
      event: e.event,
      distinct_id: e.guildId ? `guild:${e.guildId}` : 'deskwire',
      properties: { ...e.properties, guild_id: e.guildId, service: this.service, $process_person_profile: false, $groups: e.guildId ? { guild: e.guildId } : undefined, $lib: 'deskwire' },
      timestamp: new Date(e.at ?? Date.now()).toISOString(),
    });
  }

  captureException(error: unknown, guildId?: string | null): void {
    const type = error instanceof Error ? error.name : typeof error;
    this.capture({ event: 'exception', guildId: guildId ?? null, properties: { error_type: type } });
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: this.apiKey, batch }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`PostHog answered ${res.status}`);
  }
}
