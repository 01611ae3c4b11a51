import type { TelemetryEvent } from '../contracts/telemetry-event';

export type { TelemetryEvent, TelemetryEventName, TelemetryProperties } from '../contracts/telemetry-event';

/** Product telemetry port (PostHog on AWS; a no-op without a key). */
export interface Telemetry {
  capture(event: TelemetryEvent): void;
  /** Records an exception by type and guild only: error messages can quote user input, so they stay in logs. */
  captureException(error: unknown, guildId?: string | null): void;
  /** Sends what is buffered; call at the end of an invocation that is not on the 3-second path. */
  flush(): Promise<void>;
}

/** Telemetry that goes nowhere (no PostHog key configured). */
export const noopTelemetry: Telemetry = {
  capture: () => undefined,
  captureException: () => undefined,
  flush: async () => undefined,
};
