import { randomUUID } from 'node:crypto';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { replayDeadLetters } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import type { APIMessage } from 'discord-api-types/v10';
import { archiveFromConfig, type ArchiveConfig } from '../../lambdas/shared/adapters/archive-factory';
import { DynamoSessionStore } from '../../lambdas/shared/adapters/dynamo-session-store';
import { DynamoTicketLogStore } from '../../lambdas/shared/adapters/dynamo-ticket-log-store';
import { snowflakeTime, type LoggedMessage } from '../../lambdas/shared/tickets/live-log';
import { DynamoTicketTrail } from '../../lambdas/shared/adapters/dynamo-ticket-trail';
import { TRANSCRIPT_HTML, TRANSCRIPT_JSON } from '../../lambdas/shared/transcripts/archive';
import { signLink } from '../../lambdas/shared/transcripts/links';
import { retentionSweep } from '../../lambdas/shared/transcripts/retention';
import { transcriptRepairSweep } from '../../lambdas/shared/transcripts/repair';
import { SqsWorkQueue } from '../../lambdas/shared/adapters/sqs-work-queue';
import type { TranscriptDocument, TranscriptMessage } from '../../lambdas/shared/transcripts/model';
import { option } from '../../local/discord';
import { deleteMessage } from '../../local/discord/messages';
import { TINY_PNG } from '../../local/discord/routes/cdn';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { runCommand, ticketData } from '../support/tickets';

const label = (n: number) => `#${String(n).padStart(4, '0')}`;

// The waits below are deadlines, not sleeps: generous for a busy 2-core machine (a failing build
// takes five attempts and a replay), free when things are quick.
jest.setTimeout(180_000);

describe('transcripts: complete history, re-hosted files, sealed archive, delivery and the viewer', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let archive: ReturnType<typeof archiveFromConfig>;
  let logStore: DynamoTicketLogStore;
  let transcriptChannel: string;
  beforeAll(async () => {
    // 1 MB per file, so the cap is cheap to cross.
    e = await startE2E('transcripts', { env: { TRANSCRIPT_MAX_FILE_MB: '1' } });
    data = ticketData(e);
    t = ticketWork(e, data);
    transcriptChannel = e.discord.createChannel(t.guildId, { name: 'transcripts', parentId: e.world.guild.textCategoryId }).id;
    await t.setup({ transcriptChannelId: transcriptChannel, transcriptDmOpener: true });
    archive = archiveFromConfig(e.stack.functionEnv as unknown as ArchiveConfig, data.db, Date.now);
    logStore = new DynamoTicketLogStore(data.db, e.stack.resources.tableName);
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  /** `/ticket close` with a reason, then Confirm. */
  async function close(userId: string, channelId: string, reason: string) {
    const asked = await t.ticket(userId, channelId, 'close', [option.string('reason', reason)]);
    const confirmation = e.discord.originalMessage(asked.payload.id)!;
    const n = Number(/#(\d+)/.exec(confirmation.content)![1]);
    const pressed = await t.press(userId, channelId, `dw1:close-confirm:${n}`, confirmation);
    await t.edited(pressed.payload.id);
  }

  /** What the gateway would have logged for a message the emulator holds. */
  const logged = (m: APIMessage, over: Partial<LoggedMessage> = {}): LoggedMessage => ({
    guildId: t.guildId,
    channelId: m.channel_id,
    messageId: m.id,
    author: { id: m.author.id, username: m.author.username, globalName: m.author.global_name ?? null, avatar: m.author.avatar ?? null, bot: false },
    content: m.content,
    createdAt: Date.parse(m.timestamp),
    editedAt: null,
    edits: [],
    deletedAt: null,
    attachments: m.attachments.map((a) => ({ id: a.id, filename: a.filename, size: a.size, url: a.url, contentType: a.content_type ?? null, width: null, height: null })),
    embeds: [],
    stickers: [],
    replyTo: null,
    mentions: { users: [], roles: [], channels: [] },
    ...over,
  });

  const fetchViewer = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: 'manual' });
  const linkOf = (m: APIMessage | undefined) => (JSON.stringify(m?.components ?? []).match(/"url":"([^"]+)"/) ?? [])[1];

  let ticketNumber = 0;
  let opener = '';
  let staff = '';
  let doc: TranscriptDocument;
  let imageId = '';

  it('merges the live log with REST history, re-hosts attachments (an expired link refreshed, a gone one and an oversized one listed), seals it, and delivers it', async () => {
    opener = t.member('transcript-opener');
    staff = t.staff('transcript-staff');
    const ticket = await t.open(opener);
    ticketNumber = ticket.number;
    const ch = ticket.channelId;
    await t.done((await t.ticket(staff, ch, 'claim')).payload.id);
    await t.done((await t.ticket(staff, ch, 'priority', [option.string('level', 'high')])).payload.id);

    // Seen by the gateway and still in Discord, edited once: REST has the current text, the log the earlier one.
    const hello = e.discord.postMessage(ch, opener, { content: `Hello **team**, see <@${staff}> <script>alert(1)</script>` });
    await logStore.recordCreate(logged(hello, { content: 'Hello team' }));
    await logStore.recordUpdate({ guildId: t.guildId, channelId: ch, messageId: hello.id, editedAt: Date.parse(hello.timestamp) + 1000, content: hello.content });
    // A gateway gap: only REST history has these two.
    const image = e.discord.addAttachment(ch, { filename: 'screen shot.png', contentType: 'image/png', data: TINY_PNG });
    imageId = image.id;
    const reply = e.discord.postMessage(ch, staff, { content: 'Here is what I see', message_reference: { message_id: hello.id } }, [image]);
    const big = e.discord.addAttachment(ch, { filename: 'dump.bin', contentType: 'application/octet-stream', data: Buffer.alloc(1_500_000, 7) });
    const bigMessage = e.discord.postMessage(ch, opener, { content: 'full dump' }, [big]);
    // Deleted in Discord, so only the log has it; its link has expired (a changed signature answers 404 like an old one).
    const logFile = e.discord.addAttachment(ch, { filename: 'notes.txt', contentType: 'text/plain', data: Buffer.from('secret notes') });
    const removed = e.discord.postMessage(ch, opener, { content: 'oops, wrong ticket' }, [logFile]);
    const expired = new URL(logFile.url);
    expired.searchParams.set('hm', '0'.repeat(64));
    await logStore.recordCreate(logged(removed, { attachments: [{ id: logFile.id, filename: 'notes.txt', size: 12, url: expired.toString(), contentType: 'text/plain', width: null, height: null }] }));
    deleteMessage(e.discord.model, removed, 'test');
    await logStore.recordDelete(t.guildId, ch, [removed.id], Date.now());
    // A message whose file Discord no longer has at all.
    const goneUrl = `${e.discord.url}/cdn/attachments/${ch}/1300000000000000999/gone.pdf?ex=1&is=1&hm=00`;
    const ghostId = (BigInt(removed.id) + 1n).toString();
    await logStore.recordCreate({ ...logged(removed, { messageId: ghostId, content: 'the contract', attachments: [{ id: '1300000000000000999', filename: 'gone.pdf', size: 2048, url: goneUrl, contentType: 'application/pdf', width: null, height: null }] }), deletedAt: Date.now() });

    await close(staff, ch, 'Solved <b>for good</b>');
    await eventually(async () => (await t.get(ticket.number)).transcriptStatus === 'stored', 60_000, 'transcript stored');

    // Stored first (the ticket shows it), then delivered (the record notes it).
    const record = await eventually(async () => { const r = await archive.records.latest(t.guildId, ticket.number); return r?.deliveredAt ? r : undefined; }, 60_000, 'transcript delivered');
    expect(record).toMatchObject({ guildId: t.guildId, number: ticket.number, openerId: opener, prefix: `guilds/${t.guildId}/tickets/${ticket.number}/${record.closedAt}/`, expiresAt: null, deliveredAt: expect.any(Number) });
    doc = JSON.parse((await archive.archive.get(t.guildId, record.prefix + TRANSCRIPT_JSON))!.data.toString('utf8'));
    const messages = doc.entries.filter((x): x is TranscriptMessage => x.kind === 'message');
    const byId = (id: string) => messages.find((m) => m.id === id)!;

    // Every message, in order: the welcome, the logged one, the gap, the deleted ones, the close notice.
    const ids = messages.map((m) => m.id);
    expect(ids.indexOf(hello.id)).toBeLessThan(ids.indexOf(reply.id));
    expect(ids.indexOf(reply.id)).toBeLessThan(ids.indexOf(bigMessage.id));
    expect(ids.indexOf(removed.id)).toBeLessThan(ids.indexOf(ghostId));
    expect(messages.at(-1)!.content).toContain(`Ticket ${label(ticket.number)} was closed by <@${staff}>`);
    expect(byId(hello.id)).toMatchObject({ content: hello.content, edits: [{ content: 'Hello team' }], editedAt: expect.any(String), deletedAt: null, mentions: { users: { [staff]: 'transcript-staff' } } });
    expect(byId(reply.id)).toMatchObject({ authorId: staff, replyTo: hello.id, attachments: [{ id: image.id, filename: 'screen shot.png', path: `attachments/${image.id}/screen%20shot.png`, note: null }] });
    expect(byId(bigMessage.id).attachments).toEqual([expect.objectContaining({ filename: 'dump.bin', size: 1_500_000, path: null, note: 'larger than the 1 MB limit per file: not archived' })]);
    expect(byId(removed.id)).toMatchObject({ content: 'oops, wrong ticket', deletedAt: expect.any(String), attachments: [{ path: `attachments/${logFile.id}/notes.txt`, note: null }] });
    expect(byId(ghostId)).toMatchObject({ deletedAt: expect.any(String), attachments: [{ filename: 'gone.pdf', path: null, note: 'no longer available on Discord' }] });
    expect(doc.stats).toMatchObject({ deleted: 2, attachments: 4, attachmentsArchived: 2 });

    // System entries: opened, the claim and priority from the trail, the close with its reason.
    const system = doc.entries.filter((x) => x.kind === 'system');
    expect(system.map((s) => [s.event, s.actorId])).toEqual([
      ['opened', opener],
      ['claimed', staff],
      ['priority', staff],
      ['closed', staff],
    ]);
    expect(system[2]!.details).toEqual({ priority: 'high' });
    expect(system[3]!.details).toEqual({ reason: 'Solved <b>for good</b>' });

    // Re-hosted bytes come back out of the archive; at rest everything is ciphertext.
    expect((await archive.archive.get(t.guildId, `${record.prefix}attachments/${logFile.id}`))!.data.toString()).toBe('secret notes');
    expect((await archive.archive.get(t.guildId, `${record.prefix}attachments/${image.id}`))!.data.equals(TINY_PNG)).toBe(true);
    const raw = (await archive.store.get(record.prefix + TRANSCRIPT_HTML))!;
    expect(raw.body.subarray(0, 4).toString()).toBe('DWA1');
    expect(raw.body.includes(Buffer.from('Hello'))).toBe(false);
    expect(raw.metadata['dw-key-id']).toEqual(expect.any(String));

    // The transcript channel gets the summary with a link to the viewer; the opener a DM with their own link.
    const post = await e.discord.waitFor(() => e.discord.messagesIn(transcriptChannel).find((m) => m.embeds[0]?.title === `Transcript of ticket ${label(ticket.number)}`), 60_000);
    expect(post.embeds[0]!.fields!.map((f) => [f.name, f.value])).toEqual(
      expect.arrayContaining([
        ['Opened by', `<@${opener}>`],
        ['Claimed by', `<@${staff}>`],
        ['Messages', String(messages.length)],
        ['Close reason', 'Solved <b>for good</b>'],
        ['Rating', 'not rated yet'],
      ]),
    );
    expect(linkOf(post)).toBe(`${e.stack.url}/transcripts/${t.guildId}/${ticket.number}/session/`);
    const dm = t.dmsOf(opener).find((m) => m.content.startsWith('The transcript of your ticket'))!;
    const page = await fetchViewer(linkOf(dm)!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Hello <strong>team</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');

    // The opener rates afterwards: the post shows it, and so does the page (the stored files stay as they are).
    const prompt = t.dmsOf(opener).find((m) => m.content.startsWith('Your ticket'))!;
    await t.press(opener, t.dmChannelOf(opener), t.customIds(prompt).find((c) => c.endsWith(':5'))!, prompt);
    await e.discord.waitFor(() => e.discord.messagesIn(transcriptChannel).find((m) => m.id === post.id)?.embeds[0]?.fields?.some((f) => f.name === 'Rating' && f.value === '★★★★★'), 60_000);
    expect(await (await fetchViewer(linkOf(dm)!)).text()).toContain('<dt>Rating</dt><dd><b>★★★★★</b></dd>');
  });

  it('the viewer serves the opener, staff (a signed link or their login) and managers; outsiders, other tickets and expired links get 403', async () => {
    const base = `${e.stack.url}/transcripts/${t.guildId}/${ticketNumber}`;
    const secret = e.stack.functionEnv.DASHBOARD_SESSION_SECRET!;
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;

    // Staff ask for a link in Discord; it names them and opens the page and its files.
    const asked = await t.ticket(staff, e.world.channelId, 'transcript', [option.integer('number', ticketNumber)]);
    const answer = await t.done(asked.payload.id);
    expect(answer.content).toMatch(new RegExp(`^Transcript of ticket ${label(ticketNumber)} \\(\\d+ messages\\)\\. The link is for you only`));
    const staffLink = linkOf(answer)!;
    expect(staffLink).toContain(`/transcripts/${t.guildId}/${ticketNumber}/${t.guildId}.${ticketNumber}.${staff}.`);
    expect((await fetchViewer(staffLink)).status).toBe(200);
    const file = await fetchViewer(`${staffLink}attachments/${imageId}/screen%20shot.png`);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(Buffer.from(await file.arrayBuffer()).equals(TINY_PNG)).toBe(true);
    const json = await fetchViewer(`${staffLink}transcript.json`);
    expect([json.status, json.headers.get('content-disposition')]).toEqual([200, `attachment; filename="ticket-${ticketNumber}-transcript.json"`]);
    expect(((await json.json()) as TranscriptDocument).entries.length).toBe(doc.entries.length);

    // A member who is not staff cannot get a link.
    const member = t.member('curious');
    const refused = await t.ticket(member, e.world.channelId, 'transcript', [option.integer('number', ticketNumber)]);
    expect(refused.res.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Only ticket staff can get transcript links.' } });

    const denied = async (url: string, headers: Record<string, string> = {}) => {
      const res = await fetchViewer(url, headers);
      return [res.status, ((await res.json()) as { message: string }).message];
    };
    // A link for another ticket, a changed link, an expired link.
    expect(await denied(`${base}/${signLink(secret, { guildId: t.guildId, number: ticketNumber + 1000, userId: member, expiresAt: inAnHour })}/`)).toEqual([403, 'This transcript link is for another ticket.']);
    const token = staffLink.split('/').at(-2)!;
    const changed = `${token.slice(0, -10)}${token.at(-10) === 'A' ? 'B' : 'A'}${token.slice(-9)}`;
    expect(await denied(`${base}/${changed}/`)).toEqual([403, 'This transcript link is not valid.']);
    expect(await denied(`${base}/${signLink(secret, { guildId: t.guildId, number: ticketNumber, userId: staff, expiresAt: Math.floor(Date.now() / 1000) - 1 })}/`)).toEqual([
      403,
      'This transcript link has expired. Ask staff for a new one (/ticket transcript), or log in to the dashboard.',
    ]);

    // Dashboard sessions: nobody logged in, an outsider, the opener, a manager.
    expect(await denied(`${base}/session/`)).toEqual([401, 'Log in with Discord to read this transcript (/auth/login), or use the link staff gave you.']);
    const sessions = new DynamoSessionStore(data.db, e.stack.resources.tableName);
    const login = async (userId: string, guilds: Array<{ id: string; name: string; icon: null }> = []) => {
      const id = randomUUID();
      await sessions.create({ id, userId, username: 'x', avatar: null, guilds, createdAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
      return { cookie: `dw_session=${id}` };
    };
    expect(await denied(`${base}/session/`, await login(member))).toEqual([403, 'Only the staff of this server and the member who opened the ticket can read this transcript.']);
    expect((await fetchViewer(`${base}/session/`, await login(opener))).status).toBe(200);
    expect((await fetchViewer(`${base}/session/`, await login(e.world.userId, [{ id: t.guildId, name: 'Sandbox', icon: null }]))).status).toBe(200);
    // Staff by role, without Manage Server: their roles are read from Discord.
    expect((await fetchViewer(`${base}/session/`, await login(staff))).status).toBe(200);
    // The short form redirects to the page.
    const short = await fetchViewer(`${base}?t=${staffLink.split('/').at(-2)}`);
    expect([short.status, short.headers.get('location')]).toEqual([302, `/transcripts/${t.guildId}/${ticketNumber}/${staffLink.split('/').at(-2)}/`]);
  });

  it('a key or storage failure at close is recorded and retried, then dead-lettered; a replay stores it; /config transcripts sets retention', async () => {
    const saved = await runCommand(e, e.world.userId, 'config', [option.subcommand('transcripts', [option.integer('retention_days', 30), option.boolean('dm_opener', false)])]);
    expect((saved.res.body as { data: { content: string } }).data.content).toContain('• Transcripts: kept 30 days · sent to the opener by DM: no');

    // The guild's wrapped data key is damaged: unwrapping fails (as a KMS outage would) on every attempt.
    const table = e.stack.resources.tableName;
    const keyItem = (await data.db.send(new GetCommand({ TableName: table, Key: Keys.dataKey(t.guildId), ConsistentRead: true }))).Item!;
    await data.db.send(new PutCommand({ TableName: table, Item: { ...keyItem, wrapped: Buffer.alloc(60, 1) } }));
    const opener2 = t.member('unlucky');
    const ticket = await t.open(opener2);
    await close(staff, ticket.channelId, 'done');
    // Retried (failed-retrying) until the queue gives up; the ticket then shows the failure, never a silent gap.
    const failed = await eventually(async () => { const row = await t.get(ticket.number); return row.transcriptStatus === 'failed' ? row : undefined; }, 60_000, 'transcript failed');
    expect(failed).toMatchObject({ status: 'closed', transcriptError: 'ArchiveIntegrityError' });
    expect(await archive.records.latest(t.guildId, ticket.number)).toBeNull();
    // Staff asking for a link are told why.
    const asked = await t.ticket(staff, e.world.channelId, 'transcript', [option.integer('number', ticket.number)]);
    expect((await t.done(asked.payload.id)).content).toBe(`Ticket ${label(ticket.number)} has no transcript yet: archiving it failed and is being retried. Try again in a minute.`);

    // Fixed, then replayed from the transcripts dead-letter queue (npm run ops -- dlq replay transcripts).
    await data.db.send(new PutCommand({ TableName: table, Item: keyItem }));
    const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const queue = e.stack.resources.queues.transcripts;
      const replayed = await eventually(async () => { const r = await replayDeadLetters(sqs, { dlqUrl: queue.dlqUrl, sourceUrl: queue.url }); return r.moved > 0 ? r : undefined; }, 60_000, 'dead letter replayed');
      expect(replayed.moved).toBeGreaterThan(0);
    } finally {
      sqs.destroy();
    }
    const stored = await eventually(async () => { const row = await t.get(ticket.number); return row.transcriptStatus === 'stored' ? row : undefined; }, 60_000, 'transcript stored after replay');
    expect(stored.transcriptError).toBeNull();
    const record = (await archive.records.latest(t.guildId, ticket.number))!;
    expect(record.expiresAt).toBe(record.closedAt + 30 * 86_400_000);
  });

  it('channel mode: the channel is deleted only after the transcript has read its history', async () => {
    const parent = e.discord.createChannel(t.guildId, { name: 'Tickets', type: 4 });
    await data.category(t.guildId, { id: 'private-channel', name: 'Private', mode: 'channel', parentId: parent.id });
    const opener3 = t.member('channel-opener');
    const ticket = await t.open(opener3, 'private-channel');
    expect(ticket.mode).toBe('channel');
    // Never seen by the gateway: only the channel's history has it, and the channel goes right after the close.
    const said = e.discord.postMessage(ticket.channelId, opener3, { content: 'only Discord has this one' });
    await close(staff, ticket.channelId, 'bye');
    await eventually(async () => (await t.get(ticket.number)).archivedAt, 60_000, 'channel deleted');
    expect(e.discord.state.channels.has(ticket.channelId)).toBe(false);
    const record = (await archive.records.latest(t.guildId, ticket.number))!;
    const stored = JSON.parse((await archive.archive.get(t.guildId, record.prefix + TRANSCRIPT_JSON))!.data.toString('utf8')) as TranscriptDocument;
    expect(stored.entries).toContainEqual(expect.objectContaining({ kind: 'message', id: said.id, content: 'only Discord has this one' }));
  });

  it('channel mode: a failing build keeps the channel until a retry has read its history; then it is deleted', async () => {
    const opener7 = t.member('channel-retry');
    const ticket = await t.open(opener7, 'private-channel');
    const said = e.discord.postMessage(ticket.channelId, opener7, { content: 'still here after a failed build' });
    // The guild's data key is damaged: the build fails and is retried with backoff.
    const table = e.stack.resources.tableName;
    const keyItem = (await data.db.send(new GetCommand({ TableName: table, Key: Keys.dataKey(t.guildId), ConsistentRead: true }))).Item!;
    await data.db.send(new PutCommand({ TableName: table, Item: { ...keyItem, wrapped: Buffer.alloc(60, 1) } }));
    try {
      await close(staff, ticket.channelId, 'retry me');
      await eventually(async () => (await t.get(ticket.number)).transcriptStatus === 'failed-retrying' || undefined, 60_000, 'build failed once');
      // The archive job has come (close delay 0) and sent itself again to wait.
      const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      try {
        await eventually(async () => {
          const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: e.stack.resources.queues.work.url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }))).Attributes!;
          return Number(attrs.ApproximateNumberOfMessagesDelayed) > 0 || undefined;
        }, 60_000, 'archive waiting');
      } finally {
        sqs.destroy();
      }
      expect(e.discord.state.channels.has(ticket.channelId)).toBe(true);
      expect((await t.get(ticket.number)).archivedAt).toBeFalsy();
    } finally {
      await data.db.send(new PutCommand({ TableName: table, Item: keyItem }));
    }
    await eventually(async () => (await t.get(ticket.number)).archivedAt, 60_000, 'channel deleted after the retry stored the transcript');
    expect(e.discord.state.channels.has(ticket.channelId)).toBe(false);
    const record = (await archive.records.latest(t.guildId, ticket.number))!;
    const stored = JSON.parse((await archive.archive.get(t.guildId, record.prefix + TRANSCRIPT_JSON))!.data.toString('utf8')) as TranscriptDocument;
    expect(stored.historyComplete).toBe(true);
    expect(stored.entries).toContainEqual(expect.objectContaining({ kind: 'message', id: said.id }));
  });

  it('a history Discord would not give is marked incomplete in the JSON and on the page', async () => {
    const opener8 = t.member('no-history');
    const ticket = await t.open(opener8);
    const fault = e.discord.faults.set(`GET /channels/${ticket.channelId}/messages`, { status: 403, code: 50001, message: 'Missing Access' });
    try {
      await close(staff, ticket.channelId, 'partial');
      await eventually(async () => (await t.get(ticket.number)).transcriptStatus === 'stored' || undefined, 60_000, 'transcript stored');
    } finally {
      e.discord.faults.clear();
    }
    expect(fault.hits).toBeGreaterThan(0);
    const record = (await archive.records.latest(t.guildId, ticket.number))!;
    const stored = JSON.parse((await archive.archive.get(t.guildId, record.prefix + TRANSCRIPT_JSON))!.data.toString('utf8')) as TranscriptDocument;
    expect(stored.historyComplete).toBe(false);
    const secret = e.stack.functionEnv.DASHBOARD_SESSION_SECRET!;
    const link = `${e.stack.url}/transcripts/${t.guildId}/${ticket.number}/${signLink(secret, { guildId: t.guildId, number: ticket.number, userId: opener8, expiresAt: Math.floor(Date.now() / 1000) + 600 })}/`;
    expect(await (await fetchViewer(link)).text()).toContain('could not be read when it was archived');
  });

  it('a screenshot-heavy ticket inlines images only up to the page budget; the rest are served from the archive', async () => {
    const opener4 = t.member('screenshots');
    const ticket = await t.open(opener4);
    // Ten screenshots of 250 KB: each small enough to inline alone, together over the 1.5 MB page budget.
    const shots = Array.from({ length: 10 }, (_, i) => e.discord.addAttachment(ticket.channelId, { filename: `shot-${i}.png`, contentType: 'image/png', data: Buffer.alloc(250_000, i + 1) }));
    for (const shot of shots) e.discord.postMessage(ticket.channelId, opener4, { content: 'look' }, [shot]);
    await close(staff, ticket.channelId, 'seen');
    await eventually(async () => (await t.get(ticket.number)).transcriptStatus === 'stored', 60_000, 'transcript stored');
    const secret = e.stack.functionEnv.DASHBOARD_SESSION_SECRET!;
    const link = `${e.stack.url}/transcripts/${t.guildId}/${ticket.number}/${signLink(secret, { guildId: t.guildId, number: ticket.number, userId: opener4, expiresAt: Math.floor(Date.now() / 1000) + 600 })}/`;
    const html = await (await fetchViewer(link)).text();
    // The first four fit (4 × ~333 KB of base64), in conversation order; the page stays far from the 6 MB response cap.
    const inlined = shots.filter((s) => html.includes(`alt="${s.filename}" title=`));
    const linked = shots.filter((s) => html.includes(`<img src="attachments/${s.id}/${s.filename}" alt="${s.filename}" loading="lazy">`));
    expect(inlined.map((s) => s.filename)).toEqual(['shot-0.png', 'shot-1.png', 'shot-2.png', 'shot-3.png']);
    expect(linked.map((s) => s.filename)).toEqual(shots.slice(4).map((s) => s.filename));
    expect(Buffer.byteLength(html)).toBeLessThan(1.6 * 1024 * 1024);
    const served = await fetchViewer(`${link}attachments/${shots[9]!.id}/shot-9.png`);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.alloc(250_000, 10))).toBe(true);
  });

  it('the same build handed out several times at once delivers one post and one DM', async () => {
    await t.settings({ transcriptDmOpener: true });
    const opener5 = t.member('redelivered');
    const ticket = await t.open(opener5);
    e.discord.postMessage(ticket.channelId, opener5, { content: 'please archive me once' });
    await close(staff, ticket.channelId, 'twice?');
    const closedAt = (await t.get(ticket.number)).closedAt!;
    // SQS delivers at least once: three more copies of the close's job arrive together (through the
    // worker's queue, whose batches run concurrently, so they race the original on the transcripts queue).
    const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const body = JSON.stringify({ type: 'transcript.build', guildId: t.guildId, number: ticket.number, closedAt });
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: e.stack.resources.queues.work.url, Entries: [1, 2, 3].map((i) => ({ Id: `copy${i}`, MessageBody: body })) }));
      await eventually(async () => { const r = await archive.records.get(t.guildId, ticket.number, closedAt); return r?.deliveredAt ? r : undefined; }, 60_000, 'transcript delivered');
      // Every copy has run (a copy that found the delivery in progress comes back once after its backoff).
      await eventually(async () => {
        const depths = await Promise.all(
          [e.stack.resources.queues.work.url, e.stack.resources.queues.transcripts.url].map(async (QueueUrl) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }))).Attributes!),
        );
        return depths.every((attrs) => Object.values(attrs).every((v) => v === '0')) || undefined;
      }, 60_000, 'queues drained');
    } finally {
      sqs.destroy();
    }
    const title = `Transcript of ticket ${label(ticket.number)}`;
    expect(e.discord.messagesIn(transcriptChannel).filter((m) => m.embeds[0]?.title === title)).toHaveLength(1);
    expect(t.dmsOf(opener5).filter((m) => m.content.startsWith('The transcript of your ticket'))).toHaveLength(1);
    expect((await t.get(ticket.number)).transcriptStatus).toBe('stored');
  });

  it('a failed DM to the opener still records the transcript-channel post, so a later rating reaches it', async () => {
    await t.settings({ transcriptDmOpener: true });
    const opener6 = t.member('no-dms');
    const ticket = await t.open(opener6);
    // Discord refuses to open the DM for a reason other than closed DMs (50007).
    const refusal = e.discord.faults.set('POST /users/@me/channels', { status: 403, code: 50001, message: 'Missing Access' });
    let record;
    try {
      await close(staff, ticket.channelId, 'no DM');
      record = await eventually(async () => { const r = await archive.records.latest(t.guildId, ticket.number); return r?.deliveredAt ? r : undefined; }, 60_000, 'transcript delivered');
    } finally {
      e.discord.faults.clear();
    }
    expect(refusal.hits).toBeGreaterThan(0);
    expect(t.dmsOf(opener6).filter((m) => m.content.startsWith('The transcript of your ticket'))).toHaveLength(0);
    const post = e.discord.messagesIn(transcriptChannel).find((m) => m.embeds[0]?.title === `Transcript of ticket ${label(ticket.number)}`)!;
    expect(record).toMatchObject({ embedChannelId: transcriptChannel, embedMessageId: post.id });
    // The opener rates (the star button of the feedback prompt): the post shows it.
    const rated = await t.press(opener6, ticket.channelId, `dw1:rate:${t.guildId}:${ticket.number}:${record.closedAt.toString(36)}:4`);
    expect((rated.res.body as { data: { content: string } }).data.content).toContain('(4/5)');
    await e.discord.waitFor(() => e.discord.messagesIn(transcriptChannel).find((m) => m.id === post.id)?.embeds[0]?.fields?.some((f) => f.name === 'Rating' && f.value === '★★★★☆'), 60_000);
  });

  it('refreshes more than 50 expired attachment links in batches Discord accepts', async () => {
    const opener9 = t.member('many-files');
    const ticket = await t.open(opener9);
    const before = e.discord.requests('POST /attachments/refresh-urls').length;
    // Six logged messages with ten files each, all links expired (the gateway saw them a day ago).
    const files: string[] = [];
    for (let m = 0; m < 6; m++) {
      const atts = Array.from({ length: 10 }, (_, i) => e.discord.addAttachment(ticket.channelId, { filename: `log-${m}-${i}.txt`, contentType: 'text/plain', data: Buffer.from(`file ${m}/${i}`) }));
      const message = e.discord.postMessage(ticket.channelId, opener9, { content: `batch ${m}` }, atts);
      deleteMessage(e.discord.model, message, 'test');
      const expired = (url: string) => { const u = new URL(url); u.searchParams.set('hm', '0'.repeat(64)); return u.toString(); };
      await logStore.recordCreate(logged(message, { attachments: atts.map((a) => ({ id: a.id, filename: a.filename, size: a.size, url: expired(a.url), contentType: 'text/plain', width: null, height: null })) }));
      files.push(...atts.map((a) => a.id));
    }
    await close(staff, ticket.channelId, 'many files');
    await eventually(async () => (await t.get(ticket.number)).transcriptStatus === 'stored' || undefined, 60_000, 'transcript stored');
    const calls = e.discord.requests('POST /attachments/refresh-urls').slice(before);
    expect(calls.map((c) => [c.status, (c.body as { attachment_urls: string[] }).attachment_urls.length])).toEqual([[200, 50], [200, 10]]);
    const record = (await archive.records.latest(t.guildId, ticket.number))!;
    const stored = JSON.parse((await archive.archive.get(t.guildId, record.prefix + TRANSCRIPT_JSON))!.data.toString('utf8')) as TranscriptDocument;
    const archived = stored.entries.flatMap((x) => (x.kind === 'message' ? x.attachments : [])).filter((a) => a.path !== null).map((a) => a.id);
    expect(archived.sort()).toEqual([...files].sort());
  });

  it('staff asking for a transcript that retention deleted are told so, not to wait', async () => {
    await t.settings({ transcriptRetentionDays: 30 });
    const opener10 = t.member('retained');
    const ticket = await t.open(opener10);
    await close(staff, ticket.channelId, 'kept 30 days');
    const record = await eventually(async () => { const r = await archive.records.latest(t.guildId, ticket.number); return r?.deliveredAt ? r : undefined; }, 60_000, 'transcript delivered');
    expect(record.expiresAt).toBe(record.closedAt + 30 * 86_400_000);
    const swept = await retentionSweep({ records: archive.records, archive: archive.store, telemetry: { capture: () => undefined, captureException: () => undefined, flush: async () => undefined }, log: { error: () => undefined } }).run(record.expiresAt!);
    expect(swept.failed).toBe(0);
    expect(await archive.records.latest(t.guildId, ticket.number)).toBeNull();
    const asked = await t.ticket(staff, e.world.channelId, 'transcript', [option.integer('number', ticket.number)]);
    expect((await t.done(asked.payload.id)).content).toBe(`The transcript of ticket ${label(ticket.number)} was deleted by this server's retention policy (/config transcripts retention_days).`);
  });

  it('the trail records each staff change at the time it was made, with the value it set', async () => {
    const opener11 = t.member('trail');
    const ticket = await t.open(opener11);
    const high = await t.ticket(staff, ticket.channelId, 'priority', [option.string('level', 'high')]);
    const urgent = await t.ticket(staff, ticket.channelId, 'priority', [option.string('level', 'urgent')]);
    await Promise.all([t.done(high.payload.id), t.done(urgent.payload.id)]);
    const entries = (await new DynamoTicketTrail(data.db, e.stack.resources.tableName).list(t.guildId, ticket.number)).filter((x) => x.event === 'priority');
    expect(entries.map((x) => [x.at, x.details.priority])).toEqual([
      [snowflakeTime(high.payload.id), 'high'],
      [snowflakeTime(urgent.payload.id), 'urgent'],
    ]);
  });

  it('a build lost without a trace (a killed function) is found by the repair sweep, queued again and stored; one that never comes is marked failed', async () => {
    const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const repair = (now: number) => transcriptRepairSweep({ tickets: data.store, workQueue: new SqsWorkQueue(sqs, e.stack.resources.queues.work.url, { 'transcript.build': e.stack.resources.queues.transcripts.url }), log: { error: () => undefined } }).run(now);
    const transcriptsQueue = e.stack.resources.queues.transcripts.url;
    await e.stack.pollers.transcripts.stop();
    try {
      const lost = await t.open(t.member('lost-build'));
      const never = await t.open(t.member('never-built'));
      await close(staff, lost.channelId, 'lost');
      await close(staff, never.channelId, 'never');
      // The builds were handed out and their functions died: nothing recorded, nothing left in the queue.
      await eventually(async () => {
        const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: transcriptsQueue, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
        return Number(attrs.ApproximateNumberOfMessages) + Number(attrs.ApproximateNumberOfMessagesNotVisible) >= 2 || undefined;
      }, 60_000, 'builds queued');
      await sqs.send(new PurgeQueueCommand({ QueueUrl: transcriptsQueue }));
      const closedAt = (await t.get(lost.number)).closedAt!;
      expect((await t.get(lost.number)).transcriptStatus).toBe('pending');
      // Not due before 30 minutes.
      expect((await repair(closedAt + 29 * 60_000)).done).toBe(0);
      const first = await repair(closedAt + 31 * 60_000);
      expect(first.done).toBeGreaterThanOrEqual(2);
      expect(await t.get(lost.number)).toMatchObject({ transcriptStatus: 'failed-retrying', transcriptError: 'BuildTimedOut' });
      // The re-queued build of `lost` runs; `never`'s is lost again (taken off the queue before the poller restarts).
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: transcriptsQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of received.Messages ?? []) {
        if (JSON.parse(m.Body!).number === never.number) await sqs.send(new DeleteMessageCommand({ QueueUrl: transcriptsQueue, ReceiptHandle: m.ReceiptHandle! }));
        else await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: transcriptsQueue, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
      }
      e.stack.pollers.transcripts.start();
      await eventually(async () => (await t.get(lost.number)).transcriptStatus === 'stored' || undefined, 60_000, 'repaired build stored');
      expect((await t.get(lost.number)).transcriptError).toBeNull();
      await e.stack.pollers.transcripts.stop();
      // `never`: three repairs, then failed for good, and out of the due index.
      const neverClosed = (await t.get(never.number)).closedAt!;
      for (let i = 2; i <= 4; i++) {
        await repair(neverClosed + (1 + i * 30) * 60_000 + 1000);
        await sqs.send(new PurgeQueueCommand({ QueueUrl: transcriptsQueue }));
      }
      expect(await t.get(never.number)).toMatchObject({ transcriptStatus: 'failed', transcriptError: 'BuildTimedOut' });
      const stillDue = await data.store.dueTranscriptBuilds(neverClosed + 365 * 86_400_000, 1000);
      expect(stillDue.map((d) => d.number)).not.toContain(never.number);
      expect(stillDue.map((d) => d.number)).not.toContain(lost.number);
    } finally {
      e.stack.pollers.transcripts.start();
      sqs.destroy();
    }
  });

  it('the viewer refuses a changed archive object loudly (500) and answers 410 once the server key is gone', async () => {
    const record = (await archive.records.latest(t.guildId, ticketNumber))!;
    const secret = e.stack.functionEnv.DASHBOARD_SESSION_SECRET!;
    const link = `${e.stack.url}/transcripts/${t.guildId}/${ticketNumber}/${signLink(secret, { guildId: t.guildId, number: ticketNumber, userId: opener, expiresAt: Math.floor(Date.now() / 1000) + 600 })}/`;
    const raw = (await archive.store.get(record.prefix + TRANSCRIPT_HTML))!;
    const changed = Buffer.from(raw.body);
    changed[changed.length - 5] ^= 0x10;
    await archive.store.put(record.prefix + TRANSCRIPT_HTML, changed, raw.metadata, 'application/octet-stream');
    const broken = await fetchViewer(link);
    expect([broken.status, await broken.json()]).toEqual([500, { error: 'internal_error', message: 'Something went wrong on our side. Please try again.' }]);

    // Crypto-shredding (what the guild purge does first): the archive is unreadable at once.
    await archive.store.put(record.prefix + TRANSCRIPT_HTML, raw.body, raw.metadata, 'application/octet-stream');
    expect((await fetchViewer(link)).status).toBe(200);
    await archive.dataKeyStore.delete(t.guildId);
    const gone = await fetchViewer(link);
    expect([gone.status, await gone.json()]).toEqual([410, { error: 'gone', message: 'This transcript was deleted with the server’s data.' }]);
  });
});
