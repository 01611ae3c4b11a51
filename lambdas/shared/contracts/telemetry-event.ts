import * as z from 'zod/mini';

/**
 * Product telemetry events. Keyed by guild id; properties are ids, counts, names of things and
 * flags — never message content, user names or user ids (privacy promise; see README).
 */
export const TelemetryEventName = z.enum([
  'command_used',
  'command_failed',
  'guild_installed',
  'guild_reinstalled',
  'guild_removed',
  'guild_purged',
  'dashboard_login',
  'interaction_error',
  'exception',
  'ticket_opened',
  'panel_published',
  'ticket_claimed',
  'ticket_closed',
  'license_activated',
  'license_deactivated',
  'license_expired',
  'transcript_stored',
  'transcript_failed',
  'transcript_viewed',
  'transcript_access_denied',
  'transcripts_expired',
  'callout_triggered',
  'callout_responded',
  /** Counted by action, target kind, outcome and tier; never the target's id. */
  'enforcement_action',
]);
export type TelemetryEventName = z.infer<typeof TelemetryEventName>;

export const TelemetryProperties = z.record(z.string(), z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean(), z.null()]));
export type TelemetryProperties = z.infer<typeof TelemetryProperties>;

export const TelemetryEvent = z.object({
  event: TelemetryEventName,
  /** The guild the event is about; null for events outside a guild (DMs, ops). */
  guildId: z.nullable(z.string()),
  properties: z.optional(TelemetryProperties),
  /** Epoch ms when it happened (events may be forwarded later). */
  at: z.optional(z.int()),
});
export type TelemetryEvent = z.infer<typeof TelemetryEvent>;
