/**
 * Enforcement: the vendor's records of users and guilds that broke the terms of service. Plain
 * data and the rules of who sees what; no I/O.
 *
 * A record is readable in tiers: **standard** (target, reason, outcome, date, actor), **elevated**
 * (+ related identifiers: alternative accounts, known associates, cross-platform ids) and **sudo**
 * (+ expanded personal information), the last only after a written justification is audited.
 */

export type TargetKind = 'user' | 'guild';
export const TARGET_KINDS: readonly TargetKind[] = ['user', 'guild'];

/** `warning` is recorded only; `ban` refuses the target Deskwire's service until lifted. */
export type Outcome = 'warning' | 'ban';
export const OUTCOMES: readonly Outcome[] = ['warning', 'ban'];

export type AccessTier = 'standard' | 'elevated' | 'sudo';
export const ACCESS_TIERS: readonly AccessTier[] = ['standard', 'elevated', 'sudo'];

export const MAX_REASON = 500;
export const MIN_JUSTIFICATION = 20;
export const MAX_JUSTIFICATION = 1000;
export const MAX_RELATED = 20;
export const MAX_PERSONAL = 1000;

/** The fields kept encrypted at rest (AES-256-GCM, key outside the table). */
export interface SensitiveFields {
  /** Alternative accounts, known associates, cross-platform ids. */
  related: string[];
  /** Expanded personal information (e.g. contact details). */
  personal: string | null;
}

export interface EnforcementAction {
  kind: TargetKind;
  targetId: string;
  /** `<iso time>#<nonce>`: sorts by time inside the target's partition. */
  actionId: string;
  reason: string;
  outcome: Outcome;
  createdAt: number;
  /** `discord:<user id>` or `ops:<name>`. */
  actor: string;
  liftedAt: number | null;
  liftedBy: string | null;
  /** The sealed `SensitiveFields`, or null when none were recorded. */
  sealed: string | null;
}

/** A target's current ban (the `STATE` item); absent when the target is in good standing. */
export interface EnforcementState {
  kind: TargetKind;
  targetId: string;
  actionId: string;
  since: number;
}

/** What one tier sees of an action. */
export interface EnforcementView {
  kind: TargetKind;
  targetId: string;
  reason: string;
  outcome: Outcome;
  createdAt: number;
  actor: string;
  liftedAt: number | null;
  liftedBy: string | null;
  related?: string[];
  personal?: string | null;
}

/** The fields each tier adds; the table the tier test reads too. */
export const TIER_FIELDS: Record<AccessTier, ReadonlyArray<keyof EnforcementView>> = {
  standard: ['kind', 'targetId', 'reason', 'outcome', 'createdAt', 'actor', 'liftedAt', 'liftedBy'],
  elevated: ['kind', 'targetId', 'reason', 'outcome', 'createdAt', 'actor', 'liftedAt', 'liftedBy', 'related'],
  sudo: ['kind', 'targetId', 'reason', 'outcome', 'createdAt', 'actor', 'liftedAt', 'liftedBy', 'related', 'personal'],
};

/** Exactly the fields `tier` may see; sensitive fields only when opened (`sensitive`) and allowed. */
export function viewFor(action: EnforcementAction, sensitive: SensitiveFields | null, tier: AccessTier): EnforcementView {
  const full: EnforcementView = { ...action, related: sensitive?.related ?? [], personal: sensitive?.personal ?? null };
  return Object.fromEntries(TIER_FIELDS[tier].map((f) => [f, full[f]])) as unknown as EnforcementView;
}

export const tierRank = (tier: AccessTier) => ACCESS_TIERS.indexOf(tier);

/** Writing a field needs the tier that may read it: related ids elevated, personal information sudo. */
export const tierToWrite = (s: { related: readonly string[]; personal: string | null }): AccessTier => (s.personal ? 'sudo' : s.related.length ? 'elevated' : 'standard');

/** Lifting a ban restores service: elevated and up. */
export const LIFT_TIER: AccessTier = 'elevated';

/** The highest tier a member's HQ roles give, or null. */
export function tierOf(roleIds: readonly string[], tierRoleIds: Record<AccessTier, readonly string[]>): AccessTier | null {
  const roles = new Set(roleIds);
  for (const tier of [...ACCESS_TIERS].reverse()) if (tierRoleIds[tier].some((r) => roles.has(r))) return tier;
  return null;
}

export const isTargetKind = (v: string): v is TargetKind => (TARGET_KINDS as readonly string[]).includes(v);
export const isOutcome = (v: string): v is Outcome => (OUTCOMES as readonly string[]).includes(v);
export const isAccessTier = (v: string): v is AccessTier => (ACCESS_TIERS as readonly string[]).includes(v);

/** What an enforced user sees when opening a ticket or calling out. */
export const enforcedUserMessage = (appeal: string) => `Your account is restricted from using Deskwire (opening tickets and Interactive Support) in every server. ${appeal}`;
/** What every command in an enforced guild answers. */
export const enforcedGuildMessage = (appeal: string) => `Deskwire's service is suspended for this server, so its commands are unavailable. ${appeal}`;
