import type { Clock } from '../clock';
import { enforcedUserMessage, type EnforcementState } from '../enforcement/model';
import { ForbiddenError, UserError } from '../errors';
import { HQ_NOT_CONFIGURED, type HqSettings } from '../hq/config';
import { requireFeature } from '../licensing/features';
import type { Entitlements } from '../licensing/ports';
import { relativeTime } from '../tickets/messages';
import type { GuildSettings } from '../tickets/model';
import type { TicketStore } from '../tickets/ports';
import { DELIVERY_DUE_MS, MAX_REASON, MIN_REASON, newCalloutId, type Callout } from './model';
import type { CalloutStore } from './ports';

export interface CalloutRequestDeps {
  callouts: CalloutStore;
  tickets: Pick<TicketStore, 'getSettings' | 'ticketByChannel'>;
  entitlements: Entitlements;
  clock: Clock;
  hq: HqSettings | null;
  /** The requester's ban, read by the router with the guild's (null = none). */
  enforcedUser?: EnforcementState | null;
  appeal: string;
}

export interface CalloutRequest {
  guildId: string;
  userId: string;
  channelId: string | null;
  reason: string;
  /** Whether the requester counts as this guild's staff (configured staff roles or Manage Server). */
  isStaff: (settings: GuildSettings | null) => boolean;
}

export type CalloutRequestOutcome = { kind: 'terms'; version: string; text: string } | { kind: 'reserved'; callout: Callout };

/** The HQ settings when callouts can be sent (an HQ guild and its callout channel), else the clear refusal. */
export function requireCalloutHq(hq: HqSettings | null): HqSettings & { calloutChannelId: string } {
  if (!hq?.calloutChannelId) throw new UserError(HQ_NOT_CONFIGURED);
  return hq as HqSettings & { calloutChannelId: string };
}

export function checkReason(raw: string | null | undefined): string {
  const reason = (raw ?? '').trim();
  if (reason.length < MIN_REASON || reason.length > MAX_REASON) {
    throw new UserError(`Describe what you need help with in ${MIN_REASON}–${MAX_REASON} characters (you wrote ${reason.length}).`);
  }
  return reason;
}

/**
 * `/callout`, the part inside Discord's 3 seconds: who may call out (staff, not restricted, a tier
 * with callouts), the terms (once per staff member and terms version), then the reservation — one
 * open callout per guild and the cooldown, decided by one transaction. Making the invite and the
 * HQ alert is the worker's job.
 */
export async function requestCallout(input: CalloutRequest, deps: CalloutRequestDeps, opts: { termsAccepted?: boolean } = {}): Promise<CalloutRequestOutcome> {
  const hq = requireCalloutHq(deps.hq);
  if (input.guildId === hq.guildId) throw new UserError('Callouts are made from a customer server, not from the vendor HQ.');
  if (deps.enforcedUser) throw new ForbiddenError(enforcedUserMessage(deps.appeal));
  const reason = checkReason(input.reason);

  const [entitlement, settings, accepted, ticket] = await Promise.all([
    deps.entitlements.entitlementFor(input.guildId),
    deps.tickets.getSettings(input.guildId),
    opts.termsAccepted ? true : deps.callouts.hasAcceptedTerms(input.userId, hq.termsVersion),
    input.channelId ? deps.tickets.ticketByChannel(input.channelId) : null,
  ]);
  if (!input.isStaff(settings)) throw new ForbiddenError("Only this server's staff can call Deskwire support in.");
  requireFeature(entitlement, 'callouts');

  const now = deps.clock.now();
  if (!accepted) {
    await deps.callouts.saveDraft(input.guildId, input.userId, { reason, channelId: input.channelId, createdAt: now });
    return { kind: 'terms', version: hq.termsVersion, text: hq.termsText };
  }

  const callout: Callout = {
    guildId: input.guildId,
    calloutId: newCalloutId(now),
    reason,
    requesterId: input.userId,
    channelId: input.channelId,
    ticketNumber: ticket && ticket.guildId === input.guildId ? ticket.number : null,
    tier: entitlement.tier,
    termsVersion: hq.termsVersion,
    status: 'opening',
    createdAt: now,
    guildName: null,
    inviteCode: null,
    inviteChannelId: null,
    inviteExpiresAt: null,
    alertChannelId: null,
    alertMessageId: null,
    escalatedAt: null,
    responderId: null,
    respondedAt: null,
    closedBy: null,
    closedAt: null,
    note: null,
    // Due from the start: if the worker never finishes it, the sweep gives the guild its slot back.
    dueStep: 'deliver',
    dueAt: now + DELIVERY_DUE_MS,
  };
  const result = await deps.callouts.reserve(callout, hq.cooldownMs);
  if (result.ok) return { kind: 'reserved', callout };
  if (result.reason === 'open') throw new UserError('This server already has an open callout. A Deskwire agent will be with you; you can call out again once it is resolved.');
  throw new UserError(`This server called Deskwire support recently. You can call out again ${relativeTime(result.retryAt)}.`);
}

/**
 * Accept on the terms message (`dw1:callout-accept:<version>`): records the acceptance (user, guild,
 * version, time) and sends the held callout. A stale version or a lapsed draft asks to start again.
 */
export async function acceptTermsAndRequest(input: Omit<CalloutRequest, 'reason' | 'channelId'> & { version: string }, deps: CalloutRequestDeps): Promise<CalloutRequestOutcome> {
  const hq = requireCalloutHq(deps.hq);
  if (input.version !== hq.termsVersion) throw new UserError('The Interactive Support Terms changed since this message was shown. Run `/callout` again to read the current version.');
  const draft = await deps.callouts.takeDraft(input.guildId, input.userId, deps.clock.now());
  if (!draft) throw new UserError('This callout request expired. Run `/callout` again.');
  await deps.callouts.acceptTerms(input.userId, hq.termsVersion, input.guildId, deps.clock.now());
  return requestCallout({ ...input, reason: draft.reason, channelId: draft.channelId }, deps, { termsAccepted: true });
}
