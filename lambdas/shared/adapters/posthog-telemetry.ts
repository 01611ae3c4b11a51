import { PostHog } from 'posthog-node';
import type { Telemetry, TelemetryEvent } from '../ports/telemetry';

/**
 * Telemetry to PostHog. The distinct id is the guild (`guild:<id>`), never a user. Nothing is sent
 * until `flush()`: handlers call it after their work, off any 3-second path.
 *
 * @see https://posthog.com/docs/libraries/node
 */
export class PostHogTelemetry implements Telemetry {
  private readonly client: PostHog;

  constructor(apiKey: string, host: string, private readonly service: string) {
    // flushAt/flushInterval: buffer everything and send on flush(), which is when a Lambda is still running.
    this.client = new PostHog(apiKey, { host, flushAt: 1000, flushInterval: 0, disableGeoip: true });
  }

  capture(e: TelemetryEvent): void {
    this.client.capture({
      distinctId: e.guildId ? `guild:${e.guildId}` : 'deskwire',
      event: e.event,
      properties: { ...e.properties, guild_id: e.guildId, service: this.service, $process_person_profile: false },
      groups: e.guildId ? { guild: e.guildId } : undefined,
      timestamp: e.at ? new Date(e.at) : undefined,
    });
  }

  captureException(error: unknown, guildId?: string | null): void {
    const type = error instanceof Error ? error.name : typeof error;
    this.capture({ event: 'interaction_error', guildId: guildId ?? null, properties: { error_type: type } });
  }

  async flush(): Promise<void> {
    await this.client.flush();
  }

  async shutdown(): Promise<void> {
    await this.client.shutdown();
  }
}
