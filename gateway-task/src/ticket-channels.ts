import type { OpenTicketChannel } from '../../lambdas/shared/adapters/dynamo-open-ticket-channels';
import { ticketChannelOpener } from '../../lambdas/shared/contracts/ticket-channel';
import type { RawGatewayPacket } from './dispatch-mappers';
import { silentLogger, type Logger } from './logger';

/** Where the open ticket channels come from: the table's `OpenChannels` index, page by page. */
export interface OpenTicketChannelSource {
  list(): AsyncIterable<OpenTicketChannel[]>;
}

interface Entry {
  guildId: string;
  openerId: string | null;
  /** Epoch ms the gateway learned it from a dispatch; null when it came from the index. */
  learnedAt: number | null;
}

/**
 * Default time a channel learned from a dispatch is kept across a refresh that does not list it
 * yet (the index is eventually consistent and a refresh is a snapshot taken over seconds).
 */
const LEARNED_GRACE_MS = 60_000;

/** Discord channel types the bridge recognises. @see https://discord.com/developers/docs/resources/channel#channel-object-channel-types */
const GUILD_TEXT = 0;
const PRIVATE_THREAD = 12;

/**
 * Which channels are tickets, answered from memory on every gateway dispatch — no database round
 * trip per message.
 *
 * **Loaded** at start from the table's sparse `OpenChannels` index (ticket rows carry it while
 * open), filtered to the guilds of this task's shards, and **refreshed** from it every few
 * minutes, which also drops closed tickets and catches anything missed.
 *
 * **Kept current** between refreshes by what the gateway itself sees Deskwire do, before any
 * member can post in the new ticket:
 * - THREAD_CREATE of a private thread owned by the bot (Deskwire makes private threads only for tickets),
 *   and THREAD_UPDATE unarchiving one (a reopened ticket: the reopen unarchives its thread);
 * - CHANNEL_CREATE of a text channel with exactly Deskwire's ticket overwrites
 *   (`contracts/ticket-channel.ts`: @everyone denied, the bot and the opener with the ticket bit
 *   sets, staff roles) — a private channel an admin shares with the bot does not match;
 * - the bot's own welcome message (its Close button), whose first mention is the opener;
 * - CHANNEL_DELETE / THREAD_DELETE forget the channel.
 *
 * A closed ticket (its thread locked) stays in the set until the next refresh drops it; forwarding
 * its last messages is harmless (they are a ticket's), and the consumer decides by the ticket's
 * state — and drops anything of a channel without a ticket row, so the set errs on the safe side.
 *
 * Openers are indexed too, so GUILD_MEMBER_REMOVE is forwarded only for members with open tickets.
 */
export class TicketChannels {
  private channels = new Map<string, Entry>();
  /** `guildId:userId` → number of open ticket channels they opened. */
  private openers = new Map<string, number>();
  /** Channels deleted meanwhile, so a refresh read before the delete does not bring them back. */
  private forgotten = new Map<string, number>();
  private botUserId: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly ownsGuild: (guildId: string) => boolean;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(
    private readonly source: OpenTicketChannelSource,
    options: { ownsGuild?: (guildId: string) => boolean; now?: () => number; logger?: Logger } = {},
  ) {
    this.ownsGuild = options.ownsGuild ?? (() => true);
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? silentLogger;
  }

  get size(): number {
    return this.channels.size;
  }

  has(channelId: string | undefined): boolean {
    return channelId !== undefined && this.channels.has(channelId);
  }

  /** Whether `userId` opened one of the open tickets of `guildId` this task knows. */
  hasOpener(guildId: string, userId: string): boolean {
    return (this.openers.get(`${guildId}:${userId}`) ?? 0) > 0;
  }

  /**
   * Replaces the set with the index's current content, keeping channels learned from dispatches
   * shortly before or during the read (the index may not list them yet) and leaving out channels
   * deleted meanwhile. Concurrent calls share one read.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.readIndex().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Refreshes every `intervalMs` until {@link stop}; a failed refresh keeps the current set. */
  startRefreshing(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.log.warn('ticket channel refresh failed; keeping the current set', { error: err }));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Updates the set from a dispatch before it is mapped (so the first message of a new ticket is
   * already recognised): READY tells the bot's own id; creations by the bot add channels.
   */
  observe(packet: RawGatewayPacket): void {
    const d = packet.d as Record<string, any> | null | undefined;
    if (!d || typeof d !== 'object') return;
    switch (packet.t) {
      case 'READY':
        this.botUserId = typeof d.user?.id === 'string' ? d.user.id : this.botUserId;
        return;
      case 'THREAD_CREATE':
        if (d.type === PRIVATE_THREAD && this.botUserId && d.owner_id === this.botUserId && d.guild_id) this.learn(d.guild_id, d.id, null);
        return;
      case 'THREAD_UPDATE':
        // A reopen unarchives (and unlocks) the ticket's thread; the reopen notice carries no Close
        // button to learn from, and the index lists it again only at the next refresh.
        if (d.type !== PRIVATE_THREAD || !this.botUserId || d.owner_id !== this.botUserId || !d.guild_id || d.thread_metadata?.archived !== false) return;
        if (!this.channels.has(d.id)) this.learn(d.guild_id, d.id, null);
        return;
      case 'CHANNEL_CREATE': {
        if (d.type !== GUILD_TEXT || !this.botUserId || !d.guild_id || !Array.isArray(d.permission_overwrites)) return;
        const opener = ticketChannelOpener(d.guild_id, this.botUserId, d.permission_overwrites);
        if (opener) this.learn(d.guild_id, d.id, opener);
        return;
      }
      case 'MESSAGE_CREATE': {
        if (!this.botUserId || d.author?.id !== this.botUserId || !d.guild_id) return;
        if (!JSON.stringify(d.components ?? []).includes('"dw1:ticket-close:')) return;
        const opener = /^<@!?(\d+)>/.exec(typeof d.content === 'string' ? d.content : '')?.[1] ?? null;
        const known = this.channels.get(d.channel_id);
        if (!known || (opener && !known.openerId)) this.learn(d.guild_id, d.channel_id, opener ?? known?.openerId ?? null);
        return;
      }
    }
  }

  /** Removes a deleted channel. */
  forget(channelId: string): void {
    const entry = this.channels.get(channelId);
    if (entry) this.remove(channelId, entry);
    this.forgotten.set(channelId, this.now());
  }

  private learn(guildId: string, channelId: string, openerId: string | null): void {
    if (!this.ownsGuild(guildId)) return;
    const previous = this.channels.get(channelId);
    if (previous) this.remove(channelId, previous);
    this.forgotten.delete(channelId);
    this.add(channelId, { guildId, openerId, learnedAt: this.now() });
  }

  private add(channelId: string, entry: Entry): void {
    this.channels.set(channelId, entry);
    if (entry.openerId) {
      const key = `${entry.guildId}:${entry.openerId}`;
      this.openers.set(key, (this.openers.get(key) ?? 0) + 1);
    }
  }

  private remove(channelId: string, entry: Entry): void {
    this.channels.delete(channelId);
    if (entry.openerId) {
      const key = `${entry.guildId}:${entry.openerId}`;
      const left = (this.openers.get(key) ?? 1) - 1;
      if (left > 0) this.openers.set(key, left);
      else this.openers.delete(key);
    }
  }

  private async readIndex(): Promise<void> {
    const startedAt = this.now();
    const snapshot = new Map<string, Entry>();
    for await (const page of this.source.list()) {
      for (const c of page) if (this.ownsGuild(c.guildId)) snapshot.set(c.channelId, { guildId: c.guildId, openerId: c.openerId, learnedAt: null });
    }
    const cutoff = startedAt - LEARNED_GRACE_MS;
    for (const [channelId, at] of this.forgotten) {
      if (at >= cutoff) snapshot.delete(channelId);
      else this.forgotten.delete(channelId);
    }
    for (const [channelId, entry] of this.channels) {
      if (entry.learnedAt !== null && entry.learnedAt >= cutoff && !snapshot.has(channelId)) snapshot.set(channelId, entry);
    }
    const previous = this.channels.size;
    this.channels = new Map();
    this.openers = new Map();
    for (const [channelId, entry] of snapshot) this.add(channelId, entry);
    this.log.info('ticket channels loaded', { channels: this.channels.size, previous, ms: this.now() - startedAt });
  }
}

/**
 * The guild → shard rule, so a task with a fixed shard plan keeps only its own guilds' channels.
 *
 * @see https://discord.com/developers/docs/events/gateway#sharding-sharding-formula
 */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
