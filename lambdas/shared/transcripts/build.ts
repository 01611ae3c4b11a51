import type { Clock } from '../clock';
import { DiscordActionError, RetryLaterError } from '../errors';
import type { DiscordApi } from '../ports/discord';
import type { Telemetry } from '../ports/telemetry';
import { safeError } from '../safe-error';
import type { LoggedAttachment, TicketLogStore } from '../tickets/live-log';
import type { Ticket } from '../tickets/model';
import type { TicketStore } from '../tickets/ports';
import type { TicketTrail } from '../tickets/trail';
import { TRANSCRIPT_HTML, TRANSCRIPT_JSON, transcriptPrefix, type SealedArchive } from './archive';
import { buildDocument, fromApiMessage, mergeHistory, type AttachmentOutcome, type CollectedMessage } from './collect';
import type { EnvelopeDataKeys } from './data-keys';
import { deliverTranscript, embedFor } from './deliver';
import { INLINE_IMAGE_TYPES, type TranscriptUser } from './model';
import type { CdnFiles, TranscriptRecord, TranscriptRecordStore } from './ports';
import { renderTranscriptHtml } from './render-html';

/** Size caps (operator config): a file over a cap is listed with its name and size, not archived. */
export interface TranscriptLimits {
  maxFileBytes: number;
  maxTicketBytes: number;
  /** Images up to this size are also inlined in the HTML, so the page reads offline. */
  inlineImageBytes: number;
  /**
   * All inlined images and avatars of one page together (as base64) stay under this: the viewer
   * answers through a Function URL, whose responses are capped at 6 MB. Images past it are served
   * from the archive beside the page.
   */
  inlinePageBytes: number;
}

/** What one page may still inline (base64 characters); shared by the attachments and the avatars. */
export class InlineBudget {
  constructor(private left: number) {}

  /** Takes room for `bytes` raw bytes as a data URI of `type`; false (nothing taken) when it does not fit. */
  take(bytes: number, type: string): boolean {
    const cost = dataUriLength(bytes, type);
    if (cost > this.left) return false;
    this.left -= cost;
    return true;
  }
}

const dataUriLength = (bytes: number, type: string) => `data:${type};base64,`.length + Math.ceil(bytes / 3) * 4;

/** What building and delivering transcripts needs (part of the worker's deps). */
export interface TranscriptServices {
  ticketLog: TicketLogStore;
  trail: TicketTrail;
  records: TranscriptRecordStore;
  archive: SealedArchive;
  keys: EnvelopeDataKeys;
  cdn: CdnFiles;
  limits: TranscriptLimits;
  /** HMAC secret for viewer links and the viewer's public origin. */
  linkSecret: string;
  viewerBaseUrl: string;
}

export interface TranscriptBuildDeps {
  tickets: TicketStore;
  discord: DiscordApi;
  transcripts: TranscriptServices;
  telemetry: Telemetry;
  clock: Clock;
  log: { warn(msg: string, extra: Record<string, unknown>): void };
}

const COMPRESSIBLE = /^(text\/|application\/(json|xml|javascript))/;
const DOWNLOADS_AT_ONCE = 4;
const MAX_AVATARS = 100;
/** Discord refreshes at most 50 attachment links per call. */
const REFRESH_BATCH = 50;

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** Runs `work` over `items`, `limit` at a time, keeping order of results. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * The channel's REST history, oldest to newest, 100 per call (`after`); @discordjs/rest waits out
 * rate limits. A channel already gone or out of reach gives an empty history: the live log stands.
 * @see https://discord.com/developers/docs/resources/message#get-channel-messages
 */
export async function fetchHistory(discord: DiscordApi, channelId: string, guildId: string): Promise<{ messages: CollectedMessage[]; complete: boolean }> {
  const out: CollectedMessage[] = [];
  let after = '0';
  try {
    for (;;) {
      const page = await discord.listMessages(channelId, { after, limit: 100 });
      if (page.length === 0) break;
      for (const m of page) out.push(fromApiMessage(m, guildId));
      after = page.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
      if (page.length < 100) break;
    }
    return { messages: out, complete: true };
  } catch (err) {
    if (err instanceof DiscordActionError && [10003, 50001, 50013].includes(err.discordCode ?? 0)) return { messages: out, complete: false };
    throw err;
  }
}

/**
 * Copies attachments into the archive while Discord's links work: caps per file and per ticket,
 * an expired link refreshed once (`/attachments/refresh-urls`), a file Discord no longer has listed
 * as such. Returns each attachment's outcome and the images to inline.
 */
async function rehostAttachments(
  attachments: LoggedAttachment[],
  prefix: string,
  guildId: string,
  dataKey: { keyId: string; key: Buffer },
  inlineBudget: InlineBudget,
  deps: TranscriptBuildDeps,
): Promise<{ outcomes: Record<string, AttachmentOutcome>; inline: Record<string, string>; bytes: number }> {
  const { limits, cdn, archive } = deps.transcripts;
  const outcomes: Record<string, AttachmentOutcome> = {};
  const inline: Record<string, string> = {};
  let budget = limits.maxTicketBytes;
  const wanted: LoggedAttachment[] = [];
  for (const a of attachments) {
    if (outcomes[a.id]) continue;
    if (a.size > limits.maxFileBytes) outcomes[a.id] = { path: null, note: `larger than the ${mb(limits.maxFileBytes)} limit per file: not archived` };
    else if (a.size > budget) outcomes[a.id] = { path: null, note: `over the ${mb(limits.maxTicketBytes)} limit per ticket: not archived` };
    else {
      budget -= a.size;
      wanted.push(a);
      outcomes[a.id] = { path: null, note: 'no longer available on Discord' };
    }
  }
  // Which images are inlined is decided up front, in conversation order, from the sizes Discord
  // reported: the same page every time, and no base64 is made for images that will not be inlined.
  const inlineable = new Set<string>();
  for (const a of wanted) {
    if (a.contentType && INLINE_IMAGE_TYPES.has(a.contentType) && a.size <= limits.inlineImageBytes && inlineBudget.take(a.size, a.contentType)) inlineable.add(a.id);
  }
  let bytes = 0;
  const store = async (a: LoggedAttachment, data: Buffer, contentType: string | null) => {
    const type = a.contentType ?? contentType ?? 'application/octet-stream';
    bytes += await archive.put(guildId, `${prefix}attachments/${a.id}`, data, { compress: COMPRESSIBLE.test(type), contentType: type, dataKey });
    outcomes[a.id] = { path: `attachments/${a.id}/${encodeURIComponent(a.filename)}`, note: null };
    // Room was taken for the reported size: a file that came out larger is linked, not inlined.
    if (inlineable.has(a.id) && type === a.contentType && data.length <= a.size) inline[a.id] = `data:${type};base64,${data.toString('base64')}`;
  };
  const gone: LoggedAttachment[] = [];
  await mapLimit(wanted, DOWNLOADS_AT_ONCE, async (a) => {
    const got = await cdn.download(a.url, limits.maxFileBytes);
    if (got.ok) return store(a, got.data, got.contentType);
    if (got.reason === 'too-large') outcomes[a.id] = { path: null, note: `larger than the ${mb(limits.maxFileBytes)} limit per file: not archived` };
    else gone.push(a);
  });
  if (gone.length) {
    // Signed links expire (~24 h); Discord re-signs links of attachments it still has, 50 per call.
    // A failed call leaves its files listed as no longer available; it is logged (never the links).
    const fresh: Record<string, string> = {};
    const urls = [...new Set(gone.map((a) => a.url))];
    for (let i = 0; i < urls.length; i += REFRESH_BATCH) {
      const batch = urls.slice(i, i + REFRESH_BATCH);
      try {
        Object.assign(fresh, await deps.discord.refreshAttachmentUrls(batch));
      } catch (err) {
        deps.log.warn('could not refresh expired attachment links', { guildId, links: batch.length, error: safeError(err) });
      }
    }
    await mapLimit(gone, DOWNLOADS_AT_ONCE, async (a) => {
      const url = fresh[a.url];
      if (!url || url === a.url) return;
      const got = await cdn.download(url, limits.maxFileBytes);
      if (got.ok) await store(a, got.data, got.contentType);
    });
  }
  return { outcomes, inline, bytes };
}

/** Avatars of the people in the transcript, re-hosted (and inlined); users without one get a badge. */
async function rehostAvatars(
  messages: CollectedMessage[],
  prefix: string,
  guildId: string,
  dataKey: { keyId: string; key: Buffer },
  inlineBudget: InlineBudget,
  deps: TranscriptBuildDeps,
): Promise<{ paths: Record<string, string>; inline: Record<string, string>; bytes: number }> {
  const hashes = new Map<string, string>();
  for (const m of messages) if (m.author?.avatar && hashes.size < MAX_AVATARS) hashes.set(m.author.id, m.author.avatar);
  const paths: Record<string, string> = {};
  const inline: Record<string, string> = {};
  let bytes = 0;
  await mapLimit([...hashes], DOWNLOADS_AT_ONCE, async ([userId, hash]) => {
    const got = await deps.transcripts.cdn.download(deps.transcripts.cdn.avatarUrl(userId, hash), 512 * 1024).catch(() => null);
    if (!got?.ok) return;
    const type = got.contentType && INLINE_IMAGE_TYPES.has(got.contentType) ? got.contentType : 'image/png';
    bytes += await deps.transcripts.archive.put(guildId, `${prefix}avatars/${userId}`, got.data, { compress: false, contentType: type, dataKey });
    paths[userId] = `avatars/${userId}`;
    if (inlineBudget.take(got.data.length, type)) inline[userId] = `data:${type};base64,${got.data.toString('base64')}`;
  });
  return { paths, inline, bytes };
}

/** Names for people who acted on the ticket without writing in it (a claim, a member added). */
async function knownUsers(ticket: Ticket, ids: Set<string>, seen: Set<string>, deps: TranscriptBuildDeps): Promise<Record<string, Omit<TranscriptUser, 'avatar'>>> {
  const out: Record<string, Omit<TranscriptUser, 'avatar'>> = {};
  const missing = [...ids].filter((id) => !seen.has(id)).slice(0, 25);
  await mapLimit(missing, DOWNLOADS_AT_ONCE, async (id) => {
    const member = await deps.discord.getMember(ticket.guildId, id).catch(() => null);
    if (member) out[id] = { id, username: member.user.username, displayName: member.user.global_name ?? null, bot: false };
  });
  return out;
}

async function lookupNames(guildId: string, deps: TranscriptBuildDeps): Promise<{ roles: Record<string, string>; channels: Record<string, string>; guildName: string | null }> {
  const [roles, channels, guild] = await Promise.all([
    deps.discord.listGuildRoles(guildId).catch(() => []),
    deps.discord.listGuildChannels(guildId).catch(() => []),
    deps.discord.getGuild(guildId).catch(() => null),
  ]);
  return {
    roles: Object.fromEntries(roles.map((r) => [r.id, r.name])),
    channels: Object.fromEntries(channels.map((c) => [c.id, c.name ?? c.id])),
    guildName: guild?.name ?? null,
  };
}

export type BuildOutcome = 'stored' | 'already-stored' | 'skipped';

/**
 * `transcript.build`: the complete history of one close of a ticket (live log + REST history +
 * the ticket's trail), attachments and avatars re-hosted, rendered as HTML and JSON, sealed under
 * the guild's data key into the archive, recorded (with its retention), then delivered.
 *
 * Idempotent per close: objects are written first and the record last, so a retried job either
 * finds the record (and only finishes delivery) or writes the same objects again. Any S3, KMS or
 * DynamoDB error propagates: the job is retried by SQS, then dead-lettered (replayable).
 */
export async function buildTranscript(job: { guildId: string; number: number; closedAt: number }, deps: TranscriptBuildDeps): Promise<BuildOutcome> {
  const { transcripts: svc } = deps;
  const ticket = await deps.tickets.getTicket(job.guildId, job.number);
  // Reopened since (its next close queues its own build), or gone with a purge.
  if (!ticket || ticket.closedAt !== job.closedAt) return 'skipped';
  const closed = ticket as Ticket & { closedAt: number };
  const existing = await svc.records.get(job.guildId, job.number, job.closedAt);
  if (existing) {
    await deps.tickets.setTranscriptStatus(job.guildId, job.number, 'stored', { closedAt: job.closedAt });
    await deliverOnce(closed, existing, deps);
    return 'already-stored';
  }

  const [settings, category, logged, trail, names] = await Promise.all([
    deps.tickets.getSettings(job.guildId),
    deps.tickets.getCategory(job.guildId, closed.categoryId),
    closed.channelId ? svc.ticketLog.list(job.guildId, closed.channelId) : Promise.resolve([]),
    svc.trail.list(job.guildId, job.number),
    lookupNames(job.guildId, deps),
  ]);
  const history = closed.channelId ? await fetchHistory(deps.discord, closed.channelId, job.guildId) : { messages: [], complete: false };
  if (!history.complete) deps.log.warn('transcript built without complete REST history', { guildId: job.guildId, number: job.number });
  const messages = mergeHistory(logged, history.messages);

  const prefix = transcriptPrefix(job.guildId, job.number, job.closedAt);
  const dataKey = await svc.keys.current(job.guildId);
  // Attachments take their share of the page's inline budget before any download; avatars get the rest.
  const inlineBudget = new InlineBudget(svc.limits.inlinePageBytes);
  const [files, avatars] = await Promise.all([
    rehostAttachments(
      messages.flatMap((m) => m.attachments),
      prefix,
      job.guildId,
      dataKey,
      inlineBudget,
      deps,
    ),
    rehostAvatars(messages, prefix, job.guildId, dataKey, inlineBudget, deps),
  ]);
  const actors = new Set<string>([closed.openerId, ...(closed.claimedBy ? [closed.claimedBy] : []), ...(closed.closedBy ? [closed.closedBy] : [])]);
  for (const e of trail) {
    if (e.actorId) actors.add(e.actorId);
    if (typeof e.details.userId === 'string') actors.add(e.details.userId);
  }
  const seen = new Set(messages.flatMap((m) => (m.author ? [m.author.id] : [])));
  const doc = buildDocument({
    ticket: closed,
    category,
    guildName: names.guildName,
    messages,
    trail,
    knownUsers: await knownUsers(closed, actors, seen, deps),
    roleNames: names.roles,
    channelNames: names.channels,
    attachments: files.outcomes,
    avatars: avatars.paths,
    generatedAt: deps.clock.now(),
    historyComplete: history.complete,
  });
  const html = renderTranscriptHtml(doc, { avatars: avatars.inline, images: files.inline });
  const jsonBytes = await svc.archive.put(job.guildId, prefix + TRANSCRIPT_JSON, Buffer.from(JSON.stringify(doc)), { compress: true, contentType: 'application/json', dataKey });
  const htmlBytes = await svc.archive.put(job.guildId, prefix + TRANSCRIPT_HTML, Buffer.from(html), { compress: true, contentType: 'text/html; charset=utf-8', dataKey });

  const now = deps.clock.now();
  const retentionDays = settings?.transcriptRetentionDays ?? null;
  const record: TranscriptRecord = {
    guildId: job.guildId,
    number: job.number,
    closedAt: job.closedAt,
    prefix,
    openerId: closed.openerId,
    storedAt: now,
    messageCount: doc.stats.messages,
    attachmentCount: doc.stats.attachmentsArchived,
    bytes: files.bytes + avatars.bytes + jsonBytes + htmlBytes,
    expiresAt: retentionDays ? job.closedAt + retentionDays * 86_400_000 : null,
    deliveredAt: null,
  };
  // A concurrent attempt (a redelivery while this one ran) may have stored it first: its record stands.
  const stored = await svc.records.create(record);
  await deps.tickets.setTranscriptStatus(job.guildId, job.number, 'stored', { closedAt: job.closedAt });
  if (!stored.created) {
    await deliverOnce(closed, stored.record, deps);
    return 'already-stored';
  }
  deps.telemetry.capture({
    event: 'transcript_stored',
    guildId: job.guildId,
    properties: { messages: doc.stats.messages, deleted: doc.stats.deleted, attachments: doc.stats.attachments, attachments_archived: doc.stats.attachmentsArchived, bytes: record.bytes, history_complete: history.complete },
  });
  await deliverOnce(closed, record, deps);
  return 'stored';
}

/**
 * How long a delivery claim holds off other attempts: delivery is a few Discord calls at the end of
 * a build, so an older claim belongs to an attempt that was killed (a timeout) and is taken over.
 */
export const DELIVERY_LEASE_MS = 90_000;

/**
 * Delivers a stored transcript at most once per close, however often SQS hands the build out: the
 * record's delivery is claimed (a conditional write) before anything is posted, and the posts
 * carry a nonce Discord enforces for a few minutes. Another attempt delivering right now → the job
 * is retried later (it then finds the delivery done, or takes over an abandoned claim).
 * Delivery itself is best effort (a missing channel permission must not lose the stored transcript).
 */
async function deliverOnce(ticket: Ticket & { closedAt: number }, record: TranscriptRecord, deps: TranscriptBuildDeps): Promise<void> {
  if (record.deliveredAt !== null) return;
  const { records } = deps.transcripts;
  const claim = await records.claimDelivery(ticket.guildId, ticket.number, ticket.closedAt, deps.clock.now(), DELIVERY_LEASE_MS);
  if (claim === 'delivered') return;
  if (claim === 'busy') throw new RetryLaterError(`the transcript of ticket ${ticket.number} is being delivered by another attempt`);
  let posted: { channelId: string; messageId: string } | null = null;
  try {
    posted = await deliverTranscript(ticket, record, deps);
  } catch (err) {
    deps.log.warn('could not deliver the transcript', { guildId: ticket.guildId, number: ticket.number, error: safeError(err) });
  }
  await records.markDelivered(ticket.guildId, ticket.number, ticket.closedAt, deps.clock.now(), posted);
}

/**
 * `transcript.rated`: the opener rated after the transcript was delivered — the transcript-channel
 * embed shows it. Before the transcript is stored there is nothing to update (the build reads the
 * rating itself), but a build in progress may have read the row before the rating: wait for it.
 */
export async function showRating(job: { guildId: string; number: number; closedAt: number }, deps: TranscriptBuildDeps): Promise<'updated' | 'waiting' | 'nothing'> {
  const [ticket, record] = await Promise.all([deps.tickets.getTicket(job.guildId, job.number), deps.transcripts.records.get(job.guildId, job.number, job.closedAt)]);
  if (!ticket || ticket.closedAt !== job.closedAt) return 'nothing';
  if (!record || record.deliveredAt === null) return ticket.transcriptStatus === 'failed' ? 'nothing' : 'waiting';
  if (!record.embedChannelId || !record.embedMessageId) return 'nothing';
  await deps.discord.editMessage(record.embedChannelId, record.embedMessageId, await embedFor(ticket as Ticket & { closedAt: number }, record, deps)).catch((err: unknown) => {
    // The post was deleted by hand: nothing to show the rating on.
    if (!(err instanceof DiscordActionError && err.discordCode === 10008)) throw err;
  });
  return 'updated';
}
