/**
 * `npx tsx bench/transcript-viewer.ts` — a screenshot-heavy ticket through the real build and viewer
 * code (storage in memory: this measures our code and counts the calls the cloud would be asked
 * for, not DynamoDB/S3/KMS latency). Prints JSON:
 *
 * - the page built from 20 screenshots of 250 KB: its size and how many images were inlined (the
 *   page budget keeps it under the viewer's 6 MB Function URL response cap);
 * - one staff page view (the page + its 20 linked or inlined files, 21 requests) in a fresh and in
 *   a warm container: data-key unwraps (KMS `Decrypt` on AWS), Discord member reads, and time.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { LocalKeyWrapper } from '../lambdas/shared/adapters/kms-key-wrapper';
import { TtlCache } from '../lambdas/shared/ttl-cache';
import type { Ticket } from '../lambdas/shared/tickets/model';
import { SealedArchive, TRANSCRIPT_HTML } from '../lambdas/shared/transcripts/archive';
import { buildTranscript, type TranscriptBuildDeps } from '../lambdas/shared/transcripts/build';
import { EnvelopeDataKeys } from '../lambdas/shared/transcripts/data-keys';
import type { ArchiveStore, DataKeyStore, StoredDataKey, TranscriptRecord, TranscriptRecordStore } from '../lambdas/shared/transcripts/ports';
import { authorizeViewer, readTranscriptFile, type ViewerDeps } from '../lambdas/shared/transcripts/viewer';

const guildId = '100000000000000001';
const channelId = '110000000000000001';
const opener = '200000000000000001';
const staff = '200000000000000002';
const SHOTS = 20;
const SHOT_BYTES = 250_000;
const now = Date.parse('2026-11-01T12:00:00Z');

const objects = new Map<string, { body: Buffer; metadata: Record<string, string> }>();
const store: ArchiveStore = {
  put: async (key, body, metadata) => void objects.set(key, { body, metadata }),
  get: async (key) => objects.get(key) ?? null,
  deletePrefix: async () => 0,
};
const dataKeys = new Map<string, StoredDataKey>();
const dataKeyStore: DataKeyStore = {
  get: async (g) => dataKeys.get(g) ?? null,
  putIfAbsent: async (g, k) => (dataKeys.has(g) ? dataKeys.get(g)! : (dataKeys.set(g, k), k)),
  delete: async (g) => void dataKeys.delete(g),
};
const records = new Map<string, TranscriptRecord>();
const recordStore: TranscriptRecordStore = {
  save: async (r) => void records.set(`${r.number}`, r),
  create: async (r) => (records.has(`${r.number}`) ? { record: records.get(`${r.number}`)!, created: false } : (records.set(`${r.number}`, r), { record: r, created: true })),
  claimDelivery: async () => 'claimed',
  markDelivered: async (_g, n, _c, at) => void records.set(`${n}`, { ...records.get(`${n}`)!, deliveredAt: at }),
  latest: async (_g, n) => records.get(`${n}`) ?? null,
  get: async (_g, n) => records.get(`${n}`) ?? null,
  dueExpired: async () => [],
  delete: async () => undefined,
};

let unwraps = 0;
const wrapper = new LocalKeyWrapper(randomBytes(32));
const countingWrapper = { id: wrapper.id, generate: (g: string) => wrapper.generate(g), unwrap: (g: string, w: Buffer) => (unwraps++, wrapper.unwrap(g, w)) };
const container = () => {
  const keys = new EnvelopeDataKeys(dataKeyStore, countingWrapper, () => now);
  return { keys, archive: new SealedArchive(store, keys) };
};

const ticket: Ticket & { closedAt: number } = {
  guildId, number: 1, categoryId: 'general', openerId: opener, status: 'closed', mode: 'thread', channelId, welcomeMessageId: null, answers: [], aboutMessageUrl: null,
  claimedBy: staff, priority: 'normal', createdAt: now - 3_600_000, lastActivityAt: now, closedAt: now, closedBy: staff, closeReason: 'Solved', rating: null, feedback: null, transcriptStatus: 'pending',
};
const settings = { staffRoleIds: ['300000000000000001'], transcriptChannelId: null, transcriptDmOpener: false, transcriptRetentionDays: null };
const shots = Array.from({ length: SHOTS }, (_, i) => ({ id: String(1_400_000_000_000_000_000n + BigInt(i)), filename: `shot-${i}.png`, size: SHOT_BYTES, url: `https://cdn.discordapp.com/attachments/${channelId}/${i}/shot-${i}.png`, content_type: 'image/png' }));
const messages = shots.map((a, i) => ({ id: String(1_500_000_000_000_000_000n + BigInt(i)), channel_id: channelId, author: { id: opener, username: 'opener', global_name: null, avatar: null }, content: 'look', timestamp: new Date(now - 60_000 + i).toISOString(), edited_timestamp: null, attachments: [a], embeds: [], mentions: [], mention_roles: [], reactions: [], sticker_items: [], type: 0 }));

let memberReads = 0;
const discord = {
  listMessages: async (_c: string, q: { after: string }) => (q.after === '0' ? messages : []),
  refreshAttachmentUrls: async () => ({}),
  getMember: async (_g: string, userId: string) => (memberReads++, { roles: userId === staff ? ['300000000000000001'] : [], nick: null, user: { id: userId, username: 'staff', global_name: null } }),
  listGuildRoles: async () => [],
  listGuildChannels: async () => [],
  getGuild: async () => ({ name: 'Bench' }),
};
const tickets = { getTicket: async (_g: string, number: number) => ({ ...ticket, number }), getSettings: async () => settings, getCategory: async () => null, setTranscriptStatus: async () => true };

async function buildPage(number: number, inlinePageBytes: number) {
  const built = container();
  const deps = {
    tickets, discord, clock: { now: () => now }, telemetry: { capture: () => undefined }, log: { warn: () => undefined },
    transcripts: {
      ticketLog: { list: async () => [] }, trail: { list: async () => [] }, records: recordStore, archive: built.archive, keys: built.keys,
      cdn: { download: async () => ({ ok: true, data: randomBytes(SHOT_BYTES), contentType: 'image/png' }), avatarUrl: () => '' },
      limits: { maxFileBytes: 25 * 1024 * 1024, maxTicketBytes: 250 * 1024 * 1024, inlineImageBytes: 256 * 1024, inlinePageBytes },
      linkSecret: 'bench', viewerBaseUrl: 'https://dash.example',
    },
  } as unknown as TranscriptBuildDeps;
  const t0 = performance.now();
  await buildTranscript({ guildId, number, closedAt: now }, deps);
  const buildMs = performance.now() - t0;
  const record = records.get(String(number))!;
  const html = (await built.archive.get(guildId, record.prefix + TRANSCRIPT_HTML))!.data.toString('utf8');
  const inlined = (html.match(/<img src="data:/g) ?? []).length;
  return { htmlBytes: Buffer.byteLength(html), inlined, linked: SHOTS - inlined, buildMs: Number(buildMs.toFixed(1)) };
}

async function main() {
  // Without a page budget (every image ≤ 256 KB inlined, as before), then with the 1.5 MB budget.
  const unbudgeted = await buildPage(2, Number.POSITIVE_INFINITY);
  const page = await buildPage(1, 1536 * 1024);

  const view = async (viewer: ViewerDeps) => {
    unwraps = 0;
    memberReads = 0;
    const start = performance.now();
    const session = { kind: 'session' as const, session: { id: 's', userId: staff, username: 'staff', avatar: null, guilds: [], createdAt: now, expiresAt: now + 3_600_000 } };
    const files = [{ kind: 'html' as const }, ...shots.map((s) => ({ kind: 'attachment' as const, id: s.id }))];
    for (const file of files) await readTranscriptFile(await authorizeViewer(guildId, 1, session, viewer), file, viewer);
    return { requests: files.length, unwraps, memberReads, ms: Number((performance.now() - start).toFixed(1)) };
  };
  const viewerFor = (archive: SealedArchive, staffChecks?: TtlCache<boolean>): ViewerDeps => ({
    tickets: tickets as never, records: recordStore, archive, linkSecret: 'bench', members: discord as never, now: () => now, onRefused: () => undefined, ...(staffChecks ? { staffChecks } : {}),
  });
  const fresh = viewerFor(container().archive, new TtlCache<boolean>(60_000));
  const coldView = await view(fresh);
  const warmView = await view(fresh);
  const noStaffCache = await view(viewerFor(container().archive));
  process.stdout.write(
    `${JSON.stringify({ screenshots: SHOTS, screenshotBytes: SHOT_BYTES, pageWithoutBudget: unbudgeted, page, pageView: { freshContainer: coldView, warmContainer: warmView, withoutStaffCache: noStaffCache } }, null, 2)}\n`,
  );
}

void main();
