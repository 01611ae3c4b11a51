import { PostHogTelemetry } from './adapters/posthog-telemetry';
import type { CommonConfig } from './config';
import { noopTelemetry, type Telemetry } from './ports/telemetry';

/** PostHog when a key is configured, otherwise a no-op. */
export function telemetryFromConfig(cfg: Pick<CommonConfig, 'POSTHOG_API_KEY' | 'POSTHOG_HOST'>, service: string): Telemetry {
  return cfg.POSTHOG_API_KEY ? new PostHogTelemetry(cfg.POSTHOG_API_KEY, cfg.POSTHOG_HOST, service) : noopTelemetry;
}
