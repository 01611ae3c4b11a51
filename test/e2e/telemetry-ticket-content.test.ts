import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import { option } from '../../local/discord';
import { liveLogCount, postUserMessage } from '../../local/sandbox-drive';
import { eventually } from '../support/eventually';
import { startPostHogSink } from '../support/posthog-sink';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { ticketData } from '../support/tickets';

jest.setTimeout(120_000);

/** Words no event name, id or property could contain by chance. */
const TEXT = ['Quetzalcoatl-marmalade-7781', 'zyzzyva plinth 4412 of the ochre walrus'];
const OPENER = 'xylophone_opener_9931';
const STAFF = 'gorgonzola_staff_5523';
const CATEGORY = 'Obsidian Narwhal Desk';

describe('telemetry with real ticket content: a whole ticket through the pipeline', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let sink: Awaited<ReturnType<typeof startPostHogSink>>;
  let transcripts = '';
  beforeAll(async () => {
    sink = await startPostHogSink();
    e = await startE2E('telemetry-content', { env: { POSTHOG_API_KEY: 'phc_local', POSTHOG_HOST: sink.url } });
    data = ticketData(e);
    t = ticketWork(e, data);
    transcripts = e.discord.createChannel(t.guildId, { name: 'transcripts', parentId: e.world.guild.textCategoryId }).id;
    await t.setup({ transcriptChannelId: transcripts });
    await data.category(t.guildId, { id: 'narwhal', name: CATEGORY });
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
    await sink.close();
  });

  it('never sends message text, user names or the category name, and does send the lifecycle events with the guild id', async () => {
    const opener = t.member(OPENER);
    const staff = t.staff(STAFF);
    const ticket = await t.open(opener, 'narwhal');
    const ch = ticket.channelId;
    await t.done((await t.ticket(staff, ch, 'claim')).payload.id);
    await postUserMessage(e.stack, e.discord, { guildId: t.guildId, channelId: ch, authorId: opener, content: `${TEXT[0]} — ${STAFF} please help` });
    await postUserMessage(e.stack, e.discord, { guildId: t.guildId, channelId: ch, authorId: staff, content: `${TEXT[1]}, ${OPENER}` });
    // Both messages in the live log before the close, or the close could race the events λ and build a transcript without them.
    await eventually(async () => (await liveLogCount(e.stack, t.guildId, ch)) >= 2, 20_000, 'the events λ to log both messages');

    const asked = await t.ticket(staff, ch, 'close', [option.string('reason', `${TEXT[1]} solved`)]);
    const confirmation = e.discord.originalMessage(asked.payload.id)!;
    await t.edited((await t.press(staff, ch, `dw1:close-confirm:${ticket.number}`, confirmation)).payload.id);
    const post = await e.discord.waitFor(() => e.discord.messagesIn(transcripts).find((m) => m.embeds[0]?.title?.startsWith('Transcript of ticket')), 60_000);
    expect(Number(post.embeds[0]!.fields!.find((f) => f.name === 'Messages')!.value)).toBeGreaterThanOrEqual(2);

    const g = t.guildId;
    const wanted = ['ticket_opened', 'ticket_claimed', 'ticket_closed', 'transcript_stored'];
    await eventually(async () => wanted.every((name) => sink.events.some((x) => x.event === name)), 30_000, `telemetry events ${wanted.join(', ')}`);
    for (const name of wanted) expect(sink.events.find((x) => x.event === name)).toMatchObject({ distinct_id: `guild:${g}`, properties: expect.objectContaining({ guild_id: g }) });

    // A gateway event that breaks the contract (a bug, not bad input) is logged and captured: its type and guild, not its text.
    const sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const body = JSON.stringify({ type: 'message.create', guildId: g, channelId: ch, content: `${TEXT[0]} by ${OPENER}` });
      await sqs.send(new SendMessageCommand({ QueueUrl: e.stack.resources.queues.events.url, MessageBody: body, MessageGroupId: ch, MessageDeduplicationId: `bad-${Date.now()}` }));
    } finally {
      sqs.destroy();
    }
    await eventually(async () => sink.events.some((x) => x.event === 'exception' && x.properties.service === 'events'), 20_000, 'the events λ to capture the failure');
    expect(sink.events.find((x) => x.event === 'exception' && x.properties.service === 'events')).toMatchObject({ distinct_id: `guild:${g}`, properties: expect.objectContaining({ guild_id: g, error_type: expect.any(String) }) });

    // (Events carry the category's id, which is not its name here; ids made by /category create are a slug of the name.)
    const everything = sink.rawBodies.join('\n');
    for (const secret of [...TEXT, OPENER, STAFF, CATEGORY, opener, staff]) expect(everything).not.toContain(secret);
  });
});
