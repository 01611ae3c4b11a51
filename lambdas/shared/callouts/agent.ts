import type { Clock } from '../clock';
import type { WorkJob } from '../contracts/work-job';
import { ForbiddenError, StaleActionError, UserError } from '../errors';
import type { HqSettings } from '../hq/config';
import type { WorkQueue } from '../ports/work-queue';
import { relativeTime, userMention } from '../tickets/messages';
import { inviteUrl, MAX_NOTE, STATUS_LABELS, type Callout } from './model';
import type { CalloutStore } from './ports';
import { requireCalloutHq } from './request';

export interface AgentDeps {
  callouts: CalloutStore;
  workQueue: WorkQueue;
  clock: Clock;
  hq: HqSettings | null;
}

/** Agents: a configured agent role, in the HQ guild. */
export function requireAgent(guildId: string | undefined, roleIds: readonly string[], hq: HqSettings | null): HqSettings {
  const settings = requireCalloutHq(hq);
  const roles = new Set(roleIds);
  if (guildId !== settings.guildId || !settings.agentRoleIds.some((r) => roles.has(r))) throw new ForbiddenError('Only Deskwire support agents can answer callouts.');
  return settings;
}

function alreadyClosed(c: Callout): UserError {
  return new UserError(`This callout is already ${STATUS_LABELS[c.status]}${c.closedBy ? ` by ${userMention(c.closedBy)}` : ''}.`);
}

/**
 * Respond on an HQ alert: exactly one agent becomes the responder (a conditional write, so two
 * agents pressing at once get one winner) and receives the invite; a later agent sees who took it.
 * The requester's notice and the alert's update are the worker's (`callout.responded`).
 */
export async function respondToCallout(input: { guildId: string; calloutId: string; agentId: string }, deps: AgentDeps): Promise<string> {
  const result = await deps.callouts.respond(input.guildId, input.calloutId, input.agentId, deps.clock.now());
  if (!result.ok) {
    const c = result.callout;
    if (!c) throw new StaleActionError('This callout no longer exists.');
    if (c.status === 'responded') {
      if (c.responderId === input.agentId) return invitePart(c, 'You already took this callout.', deps.clock.now());
      throw new UserError(`${userMention(c.responderId!)} already took this callout ${relativeTime(c.respondedAt!)}.`);
    }
    if (c.status === 'opening') throw new UserError('This callout is still being set up. Try again in a few seconds.');
    throw alreadyClosed(c);
  }
  const job: WorkJob = { type: 'callout.responded', guildId: input.guildId, calloutId: input.calloutId };
  await deps.workQueue.enqueue(job);
  return invitePart(result.callout, `You are the responder for **${result.callout.guildName ?? result.callout.guildId}**.`, deps.clock.now());
}

function invitePart(c: Callout, lead: string, now: number): string {
  const invite =
    c.inviteCode && (c.inviteExpiresAt === null || c.inviteExpiresAt > now)
      ? `Join with this single-use invite (expires ${c.inviteExpiresAt ? relativeTime(c.inviteExpiresAt) : 'soon'}): ${inviteUrl(c.inviteCode)}`
      : 'Its invite has expired; ask the requester for a new one.';
  return `${lead}\n${invite}\nReason: ${c.reason}`;
}

export function checkNote(raw: string | null | undefined): string {
  const note = (raw ?? '').trim();
  if (note.length < 3 || note.length > MAX_NOTE) throw new UserError(`Write a resolution note of 3–${MAX_NOTE} characters.`);
  return note;
}

/** Resolve with a note: the callout closes, the guild may call out again (after the cooldown), the invite is deleted by the worker. */
export async function resolveCallout(input: { guildId: string; calloutId: string; agentId: string; note: string }, deps: AgentDeps): Promise<string> {
  const note = checkNote(input.note);
  const result = await deps.callouts.close(input.guildId, input.calloutId, { status: 'resolved', by: input.agentId, note }, deps.clock.now());
  if (!result.ok) {
    if (!result.callout) throw new StaleActionError('This callout no longer exists.');
    if (result.callout.status === 'opening') throw new UserError('This callout is still being set up. Try again in a few seconds.');
    throw alreadyClosed(result.callout);
  }
  await deps.workQueue.enqueue({ type: 'callout.close', guildId: input.guildId, calloutId: input.calloutId });
  return `Callout resolved. Note: ${note}`;
}
