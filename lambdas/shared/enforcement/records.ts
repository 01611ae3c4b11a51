import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { ForbiddenError, UserError } from '../errors';
import type { Telemetry } from '../ports/telemetry';
import {
  MAX_JUSTIFICATION,
  MAX_PERSONAL,
  MAX_REASON,
  MAX_RELATED,
  MIN_JUSTIFICATION,
  viewFor,
  type AccessTier,
  type EnforcementAction,
  type EnforcementState,
  type EnforcementView,
  type Outcome,
  type SensitiveFields,
  type TargetKind,
} from './model';
import type { EnforcementStore } from './ports';
import type { Sealer } from './seal';

/**
 * Enforcement use cases, shared by the worker (the `/enforce` commands that need the key) and the
 * ops CLI: add, lift, history, and the tiered lookup. Every one writes an audit entry.
 */
export interface EnforcementDeps {
  enforcement: EnforcementStore;
  /** Null where no key is configured: records without sensitive fields still work. */
  sealer: Sealer | null;
  clock: Clock;
  telemetry?: Pick<Telemetry, 'capture'>;
}

const ID = /^\d{17,20}$/;
const KEY_MISSING = 'Sensitive enforcement fields cannot be stored or read: ENFORCEMENT_KEY is not configured for this installation.';

/** The authenticated data binding a sealed value to its record. */
const aad = (a: Pick<EnforcementAction, 'kind' | 'targetId' | 'actionId'>) => `${a.kind}#${a.targetId}#${a.actionId}`;

export function requireTargetId(id: string | null | undefined, kind: TargetKind): string {
  const trimmed = (id ?? '').trim();
  if (!ID.test(trimmed)) throw new UserError(`Give the ${kind}'s Discord id (17–20 digits).`);
  return trimmed;
}

/** Splits a list of related identifiers given as text (commas, spaces or new lines). */
export function parseRelated(text: string | null | undefined): string[] {
  const items = (text ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  if (items.length > MAX_RELATED) throw new UserError(`At most ${MAX_RELATED} related identifiers per action.`);
  if (items.some((s) => s.length > 100)) throw new UserError('A related identifier may be at most 100 characters.');
  return [...new Set(items)];
}

export interface AddEnforcementInput {
  kind: TargetKind;
  targetId: string;
  reason: string;
  outcome: Outcome;
  actor: string;
  related: string[];
  personal: string | null;
}

export async function addEnforcement(input: AddEnforcementInput, deps: EnforcementDeps): Promise<EnforcementAction> {
  const targetId = requireTargetId(input.targetId, input.kind);
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > MAX_REASON) throw new UserError(`The reason must be 3–${MAX_REASON} characters.`);
  const personal = input.personal?.trim() || null;
  if (personal && personal.length > MAX_PERSONAL) throw new UserError(`Personal information may be at most ${MAX_PERSONAL} characters.`);
  const sensitive: SensitiveFields | null = input.related.length || personal ? { related: input.related, personal } : null;
  if (sensitive && !deps.sealer) throw new UserError(KEY_MISSING);

  const now = deps.clock.now();
  const actionId = `${new Date(now).toISOString()}#${randomBytes(3).toString('hex')}`;
  const base = { kind: input.kind, targetId, actionId };
  const action: EnforcementAction = {
    ...base,
    reason,
    outcome: input.outcome,
    createdAt: now,
    actor: input.actor,
    liftedAt: null,
    liftedBy: null,
    sealed: sensitive ? deps.sealer!.seal(JSON.stringify(sensitive), aad(base)) : null,
  };
  const result = await deps.enforcement.add(action, { at: now, actor: input.actor, action: 'enforcement.add', target: `${input.kind}:${targetId}`, detail: { outcome: input.outcome, actionId } });
  if (result === 'already_banned') throw new UserError(`This ${input.kind} is already banned. Lift the ban first, or record a warning.`);
  deps.telemetry?.capture({ event: 'enforcement_action', guildId: null, properties: { action: 'add', kind: input.kind, outcome: input.outcome }, at: now });
  return action;
}

export async function liftEnforcement(input: { kind: TargetKind; targetId: string; actor: string; reason: string | null }, deps: EnforcementDeps): Promise<EnforcementAction> {
  const targetId = requireTargetId(input.targetId, input.kind);
  const now = deps.clock.now();
  const lifted = await deps.enforcement.lift(input.kind, targetId, input.actor, now, {
    at: now,
    actor: input.actor,
    action: 'enforcement.lift',
    target: `${input.kind}:${targetId}`,
    detail: { reason: input.reason?.slice(0, MAX_REASON) ?? null },
  });
  if (!lifted) throw new UserError(`No ban is in force on this ${input.kind}.`);
  deps.telemetry?.capture({ event: 'enforcement_action', guildId: null, properties: { action: 'lift', kind: input.kind }, at: now });
  return lifted;
}

/** Checks a sudo read's written justification (before anything is read). */
export function requireJustification(text: string | null | undefined): string {
  const j = (text ?? '').trim();
  if (j.length < MIN_JUSTIFICATION) throw new ForbiddenError(`A sudo read needs a written justification of at least ${MIN_JUSTIFICATION} characters; it goes to the audit log. Nothing was shown.`);
  if (j.length > MAX_JUSTIFICATION) throw new UserError(`The justification may be at most ${MAX_JUSTIFICATION} characters.`);
  return j;
}

export interface LookupInput {
  kind: TargetKind;
  targetId: string;
  tier: AccessTier;
  actor: string;
  /** Required for `sudo`: written to the audit log before anything is read. */
  justification: string | null;
  /** `history`: the standard fields of every action; `lookup`: the tier's fields. */
  mode: 'lookup' | 'history';
}

export interface LookupResult {
  state: EnforcementState | null;
  views: EnforcementView[];
  tier: AccessTier;
}

/**
 * A read of a target's records at `tier`. The audit entry (with a sudo read's justification) is
 * written first: if it cannot be written, nothing is read. History always shows standard fields.
 */
export async function lookupEnforcement(input: LookupInput, deps: EnforcementDeps): Promise<LookupResult> {
  const targetId = requireTargetId(input.targetId, input.kind);
  const tier: AccessTier = input.mode === 'history' ? 'standard' : input.tier;
  const justification = tier === 'sudo' ? requireJustification(input.justification) : null;
  if (tier !== 'standard' && !deps.sealer) throw new UserError(KEY_MISSING);
  const now = deps.clock.now();
  await deps.enforcement.audit({ at: now, actor: input.actor, action: `enforcement.${input.mode}`, target: `${input.kind}:${targetId}`, detail: { tier, justification } });
  const [state, actions] = await Promise.all([deps.enforcement.state(input.kind, targetId), deps.enforcement.history(input.kind, targetId)]);
  const views = actions.map((a) => viewFor(a, tier !== 'standard' && a.sealed ? (JSON.parse(deps.sealer!.open(a.sealed, aad(a))) as SensitiveFields) : null, tier));
  deps.telemetry?.capture({ event: 'enforcement_action', guildId: null, properties: { action: input.mode, kind: input.kind, tier }, at: now });
  return { state, views, tier };
}

const date = (ms: number) => `<t:${Math.floor(ms / 1000)}:f>`;
const plainDate = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** A lookup as text: Discord markdown, or plain lines for the CLI. */
export function describeLookup(kind: TargetKind, targetId: string, r: LookupResult, style: 'discord' | 'plain' = 'discord'): string {
  const when = style === 'discord' ? date : plainDate;
  const b = (s: string) => (style === 'discord' ? `**${s}**` : s);
  const lines = [`${b(`Enforcement: ${kind} ${targetId}`)} (${r.tier} access)`, r.state ? `Status: BANNED since ${when(r.state.since)}` : 'Status: in good standing'];
  if (r.views.length === 0) lines.push('No enforcement actions recorded.');
  for (const v of r.views) {
    lines.push(`• ${when(v.createdAt)} ${v.outcome.toUpperCase()} by ${v.actor}: ${v.reason}${v.liftedAt ? ` (lifted ${when(v.liftedAt)} by ${v.liftedBy})` : ''}`);
    if (v.related !== undefined) lines.push(`   related: ${v.related.length ? v.related.join(', ') : '(none)'}`);
    if (v.personal !== undefined) lines.push(`   personal: ${v.personal ?? '(none)'}`);
  }
  return lines.join('\n').slice(0, 1990);
}
