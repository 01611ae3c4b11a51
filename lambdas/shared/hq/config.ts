import * as z from 'zod/mini';
import { Fields } from '../config';

const SNOWFLAKE = /^\d{17,20}$/;

/** A comma-separated list of role ids (spaces allowed), parsed without zod's coercion. */
const roleIds = z.optional(
  z.pipe(
    z.string().check(z.refine((v) => v.split(',').every((id) => SNOWFLAKE.test(id.trim())), 'must be role ids (17–20 digits) separated by commas')),
    z.transform((v) => v.split(',').map((id) => id.trim())),
  ),
);

/** Whole minutes in [min, max], with a default. */
const minutes = (min: number, max: number, fallback: number) =>
  z._default(
    z.pipe(
      z.string().check(z.refine((v) => /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max, `must be a whole number of minutes from ${min} to ${max}`)),
      z.transform(Number),
    ),
    fallback,
  );

/**
 * The vendor HQ: the vendor's own Discord guild where agents receive callouts and vendor staff keep
 * enforcement records. Every variable is optional: without `HQ_GUILD_ID` (the sandbox, a
 * self-hosted test bot) `/callout` and `/enforce` answer that the vendor HQ is not configured.
 */
export const HqConfig = {
  HQ_GUILD_ID: z.optional(Fields.snowflake),
  /** Where callout alerts are posted (worker). */
  HQ_CALLOUT_CHANNEL_ID: z.optional(Fields.snowflake),
  /** Agents: may press Respond / Resolve on alerts. */
  HQ_AGENT_ROLE_IDS: roleIds,
  /** Enforcement tiers; a member's highest matching tier wins. */
  HQ_ENFORCE_STANDARD_ROLE_IDS: roleIds,
  HQ_ENFORCE_ELEVATED_ROLE_IDS: roleIds,
  HQ_ENFORCE_SUDO_ROLE_IDS: roleIds,
  /** Bump to ask every staff member to accept the Interactive Support Terms again. */
  CALLOUT_TERMS_VERSION: z._default(z.string().check(z.regex(/^[\w.-]{1,20}$/, 'must be 1–20 letters, digits, dots or dashes')), '1'),
  CALLOUT_TERMS_TEXT: z._default(
    z.string().check(z.maxLength(1800, 'must be at most 1800 characters (it is shown in one Discord message)')),
    'A Deskwire support agent will join this server through a single-use invite that expires within an hour, to help with the issue you describe. The agent sees what server members with the invite channel’s access see. Do not share passwords or payment details. Callouts are logged (who asked, when, why, who answered).',
  ),
  CALLOUT_ESCALATE_MINUTES: minutes(1, 240, 15),
  CALLOUT_EXPIRE_MINUTES: minutes(2, 1440, 60),
  CALLOUT_COOLDOWN_MINUTES: minutes(0, 1440, 30),
  /** How an enforced user or guild can appeal (a sentence or a URL). */
  ENFORCEMENT_APPEAL: z._default(z.string().check(z.maxLength(300)), 'To appeal, contact Deskwire support at https://deskwire.example/appeal.'),
};

export interface HqSettings {
  guildId: string;
  calloutChannelId: string | null;
  agentRoleIds: string[];
  tierRoleIds: { standard: string[]; elevated: string[]; sudo: string[] };
  termsVersion: string;
  termsText: string;
  escalateMs: number;
  expireMs: number;
  cooldownMs: number;
}

const HqSchema = z.object(HqConfig);
type HqEnv = z.infer<typeof HqSchema>;

/** The HQ settings, or null when no HQ guild is configured. */
export function hqSettingsOf(cfg: HqEnv): HqSettings | null {
  if (!cfg.HQ_GUILD_ID) return null;
  const expireMinutes = Math.max(cfg.CALLOUT_EXPIRE_MINUTES, cfg.CALLOUT_ESCALATE_MINUTES + 1);
  return {
    guildId: cfg.HQ_GUILD_ID,
    calloutChannelId: cfg.HQ_CALLOUT_CHANNEL_ID ?? null,
    agentRoleIds: cfg.HQ_AGENT_ROLE_IDS ?? [],
    tierRoleIds: { standard: cfg.HQ_ENFORCE_STANDARD_ROLE_IDS ?? [], elevated: cfg.HQ_ENFORCE_ELEVATED_ROLE_IDS ?? [], sudo: cfg.HQ_ENFORCE_SUDO_ROLE_IDS ?? [] },
    termsVersion: cfg.CALLOUT_TERMS_VERSION,
    termsText: cfg.CALLOUT_TERMS_TEXT,
    escalateMs: cfg.CALLOUT_ESCALATE_MINUTES * 60_000,
    expireMs: expireMinutes * 60_000,
    cooldownMs: cfg.CALLOUT_COOLDOWN_MINUTES * 60_000,
  };
}

/** The answer when a command needs the vendor HQ and none is configured. */
export const HQ_NOT_CONFIGURED = 'Interactive Support is not available here: the Deskwire vendor HQ is not configured for this installation (`HQ_GUILD_ID`). Ask the people who run this Deskwire installation.';
