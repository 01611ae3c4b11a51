import { PostHogTelemetry } from './adapters/posthog-telemetry';
import type { CommonConfig } from './config';
import { noopTelemetry, type Telemetry } from './ports/telemetry';

/**
 * PostHog when a key is configured, otherwise a no-op. `timeoutMs` bounds each flush's request
 * (the adapter aborts it), for callers that must not leave a send running after they answer.
 */
export function telemetryFromConfig(cfg: Pick<CommonConfig, 'POSTHOG_API_KEY' | 'POSTHOG_HOST'>, service: string, opts: { timeoutMs?: number } = {}): Telemetry {
  return cfg.POSTHOG_API_KEY ? new PostHogTelemetry(cfg.POSTHOG_API_KEY, cfg.POSTHOG_HOST, service, opts.timeoutMs) : noopTelemetry;
}
