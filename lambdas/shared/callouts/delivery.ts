import type { Clock } from '../clock';
import { ButtonStyle, ComponentKind } from '../discord-constants';
import { DiscordActionError, UserError } from '../errors';
import type { HqSettings } from '../hq/config';
import { TIER_NAMES } from '../licensing/features';
import type { DiscordApi, MessageBody } from '../ports/discord';
import type { Telemetry } from '../ports/telemetry';
import { buildCustomId } from '../custom-id';
import { channelLink, relativeTime, roleMention, userMention } from '../tickets/messages';
import type { TicketStore } from '../tickets/ports';
import { MAX_INVITE_AGE_SECONDS, STATUS_LABELS, type Callout } from './model';
import type { CalloutStore } from './ports';
import { requireCalloutHq } from './request';

/** What the worker's callout steps use. */
export interface CalloutDeliveryDeps {
  callouts: CalloutStore;
  tickets: Pick<TicketStore, 'getSettings' | 'getTicket'>;
  discord: DiscordApi;
  telemetry: Pick<Telemetry, 'capture'>;
  clock: Clock;
  hq: HqSettings | null;
}

const COLORS = { open: 0xf0b232, responded: 0x5865f2, resolved: 0x23a55a, expired: 0x80848e, opening: 0xf0b232 } as const;

/** The HQ alert for a callout in its current state; Respond while unanswered, Resolve while live. */
export function alertMessage(c: Callout, hq: Pick<HqSettings, 'agentRoleIds'>, opts: { ping?: boolean } = {}): MessageBody {
  const live = c.status === 'open' || c.status === 'responded';
  const fields = [
    { name: 'Server', value: `${c.guildName ?? 'unknown'} (\`${c.guildId}\`)`, inline: true },
    { name: 'Requester', value: `${userMention(c.requesterId)} (\`${c.requesterId}\`)`, inline: true },
    { name: 'Tier', value: c.tier ? TIER_NAMES[c.tier] : 'unknown', inline: true },
    { name: 'Reason', value: c.reason },
    ...(c.ticketNumber ? [{ name: 'Ticket', value: `#${String(c.ticketNumber).padStart(4, '0')}`, inline: true }] : []),
    { name: 'Status', value: statusLine(c), inline: true },
    ...(c.note ? [{ name: 'Resolution note', value: c.note }] : []),
  ];
  const buttons = [
    ...(c.status === 'open' ? [{ type: ComponentKind.Button, style: ButtonStyle.Primary, label: 'Respond', custom_id: buildCustomId('callout-respond', c.guildId, c.calloutId) }] : []),
    ...(live ? [{ type: ComponentKind.Button, style: ButtonStyle.Success, label: 'Resolve', custom_id: buildCustomId('callout-resolve', c.guildId, c.calloutId) }] : []),
  ];
  return {
    content: opts.ping && hq.agentRoleIds.length ? `${hq.agentRoleIds.map(roleMention).join(' ')} new Interactive Support callout` : '',
    embeds: [{ title: '📣 Interactive Support callout', color: COLORS[c.status], fields, timestamp: new Date(c.createdAt).toISOString() }],
    components: (buttons.length ? [{ type: ComponentKind.ActionRow, components: buttons }] : []) as MessageBody['components'],
    allowed_mentions: { parse: [], roles: opts.ping ? hq.agentRoleIds : [] },
  };
}

function statusLine(c: Callout): string {
  switch (c.status) {
    case 'responded':
      return `Taken by ${userMention(c.responderId!)} ${relativeTime(c.respondedAt!)}`;
    case 'resolved':
      return `Resolved by ${userMention(c.closedBy!)} ${relativeTime(c.closedAt!)}`;
    case 'open':
      return c.escalatedAt ? `Waiting (escalated ${relativeTime(c.escalatedAt)})` : `Waiting since ${relativeTime(c.createdAt)}`;
    default:
      return STATUS_LABELS[c.status];
  }
}

/**
 * Where the agent's invite points: the ticket's channel when the callout came from a channel-mode
 * ticket, else the guild's support channel, its system channel, or the channel `/callout` was run in.
 */
async function inviteChannel(c: Callout, deps: CalloutDeliveryDeps): Promise<string> {
  const [settings, ticket] = await Promise.all([deps.tickets.getSettings(c.guildId), c.ticketNumber ? deps.tickets.getTicket(c.guildId, c.ticketNumber) : null]);
  if (ticket?.channelId && ticket.mode === 'channel') return ticket.channelId;
  if (settings?.supportChannelId) return settings.supportChannelId;
  const guild = await deps.discord.getGuild(c.guildId);
  const channel = guild.system_channel_id ?? c.channelId;
  if (!channel) throw new UserError('Deskwire found no channel for the agent’s invite. Run `/callout` inside a channel, or set a support channel with `/setup`.');
  return channel;
}

/**
 * `callout.open`: the single-use invite (max_age ≤ 1 h, max_uses 1), the HQ alert, then `open`
 * with its escalation due. Each step is saved before the next, so a retried job reuses what an
 * earlier attempt made. Returns the requester's answer.
 */
export async function deliverCallout(guildId: string, calloutId: string, deps: CalloutDeliveryDeps): Promise<string> {
  const hq = requireCalloutHq(deps.hq);
  let c = await deps.callouts.get(guildId, calloutId);
  if (!c) throw new UserError('This callout was cancelled. Run `/callout` again.');
  if (c.status !== 'opening') return sentMessage(c);

  if (!c.guildName) {
    const guild = await deps.discord.getGuild(guildId);
    c = { ...c, guildName: guild.name };
    await deps.callouts.saveProgress(guildId, calloutId, { guildName: guild.name });
  }
  if (!c.inviteCode) {
    const channelId = await inviteChannel(c, deps);
    const maxAge = Math.min(MAX_INVITE_AGE_SECONDS, Math.ceil(hq.expireMs / 1000));
    let invite;
    try {
      invite = await deps.discord.createInvite(channelId, { maxAgeSeconds: maxAge, maxUses: 1, reason: 'Deskwire Interactive Support callout' });
    } catch (err) {
      if (err instanceof DiscordActionError && (err.discordCode === 50013 || err.discordCode === 50001)) {
        throw new DiscordActionError(`Deskwire could not create an invite in ${channelLink(channelId)}: give the bot the **Create Invite** permission there, then run \`/callout\` again. No callout was sent.`, err.discordCode);
      }
      throw err;
    }
    const fields = { inviteCode: invite.code, inviteChannelId: channelId, inviteExpiresAt: invite.expiresAt ?? deps.clock.now() + maxAge * 1000 };
    if (!(await deps.callouts.saveProgress(guildId, calloutId, fields))) {
      await deps.discord.deleteInvite(invite.code);
      throw new UserError('This callout was cancelled. Run `/callout` again.');
    }
    c = { ...c, ...fields };
  }
  if (!c.alertMessageId) {
    const posted = await deps.discord.postMessage(hq.calloutChannelId, alertMessage({ ...c, status: 'open' }, hq, { ping: true }));
    await deps.callouts.saveProgress(guildId, calloutId, { alertChannelId: hq.calloutChannelId, alertMessageId: posted.id });
  }
  await deps.callouts.markOpen(guildId, calloutId, c.createdAt + hq.escalateMs);
  deps.telemetry.capture({ event: 'callout_triggered', guildId, properties: { tier: c.tier }, at: deps.clock.now() });
  return sentMessage(c);
}

const sentMessage = (c: Callout) =>
  `📣 Deskwire support has been called in. An agent will join through a single-use invite${c.inviteChannelId ? ` to ${channelLink(c.inviteChannelId)}` : ''}; you will get a message when one is on the way.\nReason: ${c.reason}`;

/** Undo of a callout whose delivery failed for good: the invite (if made) goes, the reservation is given back. */
export async function abandonCallout(guildId: string, calloutId: string, deps: CalloutDeliveryDeps): Promise<void> {
  const c = await deps.callouts.get(guildId, calloutId);
  if (c?.status === 'opening') await releaseReservation(c, deps);
}

async function releaseReservation(c: Callout, deps: Pick<CalloutDeliveryDeps, 'callouts' | 'discord'>): Promise<void> {
  if (c.inviteCode) await deps.discord.deleteInvite(c.inviteCode);
  await deps.callouts.abandon(c);
}

/** Tells the requester by DM, or in the channel `/callout` was run in when their DMs are closed. */
async function tellRequester(c: Callout, content: string, deps: CalloutDeliveryDeps): Promise<void> {
  const body: MessageBody = { content, allowed_mentions: { parse: [], users: [c.requesterId] } };
  if (await deps.discord.sendDirectMessage(c.requesterId, body)) return;
  if (c.channelId) await deps.discord.postMessage(c.channelId, { ...body, content: `${userMention(c.requesterId)} ${content}` });
}

async function refreshAlert(c: Callout, deps: CalloutDeliveryDeps): Promise<void> {
  if (c.alertChannelId && c.alertMessageId) await deps.discord.editMessage(c.alertChannelId, c.alertMessageId, alertMessage(c, requireCalloutHq(deps.hq)));
}

/** `callout.responded`: the alert shows the responder, the requester hears an agent is on the way. */
export async function announceResponder(guildId: string, calloutId: string, deps: CalloutDeliveryDeps): Promise<void> {
  const c = await deps.callouts.get(guildId, calloutId);
  if (!c || !c.responderId) return;
  await refreshAlert(c, deps);
  await tellRequester(c, `A Deskwire support agent is on the way to **${c.guildName ?? 'your server'}** for your callout: ${c.reason.slice(0, 200)}`, deps);
  deps.telemetry.capture({ event: 'callout_responded', guildId, properties: { seconds_to_respond: Math.round((c.respondedAt! - c.createdAt) / 1000) }, at: deps.clock.now() });
}

/** `callout.escalate`: nobody answered in time; ping the agents again on the alert. */
export async function escalateCallout(guildId: string, calloutId: string, deps: CalloutDeliveryDeps): Promise<void> {
  const hq = requireCalloutHq(deps.hq);
  const c = await deps.callouts.get(guildId, calloutId);
  if (!c || c.status !== 'open') return;
  await refreshAlert(c, deps);
  const minutes = Math.round((deps.clock.now() - c.createdAt) / 60_000);
  await deps.discord.postMessage(c.alertChannelId ?? hq.calloutChannelId, {
    content: `⏰ ${hq.agentRoleIds.map(roleMention).join(' ')} the callout from **${c.guildName ?? c.guildId}** has waited ${minutes} minutes without a responder.`,
    allowed_mentions: { parse: [], roles: hq.agentRoleIds },
  });
}

/**
 * `callout.close`: after resolve, expiry or the invite's own end — the invite is deleted on Discord
 * and forgotten, the alert shows the final state; an expired callout's requester is told. For a
 * reservation never delivered (still `opening`, from the sweep) the invite goes and the slot is freed.
 */
export async function finishCallout(guildId: string, calloutId: string, deps: CalloutDeliveryDeps): Promise<void> {
  const c = await deps.callouts.get(guildId, calloutId);
  if (!c) return;
  // A reservation the sweep found never delivered: its invite goes and the guild's slot is given back.
  if (c.status === 'opening') return releaseReservation(c, deps);
  if (c.inviteCode) await deps.discord.deleteInvite(c.inviteCode, `Deskwire callout ${c.status}`);
  const changed = await deps.callouts.inviteDeleted(guildId, calloutId, c.inviteCode);
  // Only the attempt that cleared the due step shows the final state (a redelivery posts nothing twice).
  if (!changed || c.status === 'open') return;
  if (c.status !== 'responded') await refreshAlert(c, deps);
  if (c.status === 'expired') {
    await tellRequester(c, `No Deskwire agent could answer your callout in time and it has expired. You can run \`/callout\` again, or contact Deskwire support.`, deps);
  }
}
