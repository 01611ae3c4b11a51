import * as z from 'zod/mini';
import { Snowflake } from './common';
import { TelemetryEvent } from './telemetry-event';

/**
 * What the worker needs to finish a deferred interaction: where to send the outcome
 * (`applicationId` + `token` address the `@original` response for 15 minutes) and who asked.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
 */
export const InteractionContext = z.object({
  interactionId: Snowflake,
  applicationId: Snowflake,
  token: z.string().check(z.minLength(1)),
  guildId: z.nullable(Snowflake),
  channelId: z.nullable(Snowflake),
  userId: Snowflake,
  /** The invoking member's permissions bit set, as Discord sent it. */
  memberPermissions: z.nullable(z.string()),
  /** The bot's permissions in the channel, as Discord sent it (`app_permissions`). */
  appPermissions: z.nullable(z.string()),
  locale: z.optional(z.string()),
});
export type InteractionContext = z.infer<typeof InteractionContext>;

/** `/status`: a diagnostic of this guild's Deskwire setup, built by the worker. */
export const StatusReportJob = z.object({
  type: z.literal('status.report'),
  ctx: InteractionContext,
});

/** Create the reserved ticket's thread or channel and welcome message, then tell the opener. */
export const TicketOpenJob = z.object({
  type: z.literal('ticket.open'),
  ctx: InteractionContext,
  guildId: Snowflake,
  number: z.int().check(z.positive()),
  /** Shown in the welcome message, e.g. "support is closed right now". */
  note: z.nullable(z.string().check(z.maxLength(500))),
});

/**
 * Telemetry recorded on the 3-second path (the interactions λ) and sent to PostHog by the worker,
 * so no third-party call ever delays an interaction response.
 */
export const TelemetryJob = z.object({
  type: z.literal('telemetry.capture'),
  events: z.array(TelemetryEvent).check(z.minLength(1), z.maxLength(50)),
});

/**
 * The work-queue contract: every job the interactions λ enqueues and the worker λ consumes.
 * Jobs are idempotent on `ctx.interactionId` (Discord never delivers the same interaction id twice
 * for different work, and SQS may deliver a message more than once).
 */
export const WorkJob = z.discriminatedUnion('type', [StatusReportJob, TicketOpenJob, TelemetryJob]);
export type WorkJob = z.infer<typeof WorkJob>;
export type WorkJobType = WorkJob['type'];
