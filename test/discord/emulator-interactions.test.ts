import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyKey } from 'discord-interactions';
import { InteractionResponseType, MessageFlags, PermissionFlagsBits as P, Routes } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import {
  commandInteraction,
  componentInteraction,
  modalSubmitInteraction,
  pingInteraction,
  type DiscordEmulator,
} from '../../local/discord';
import type { REST } from '@discordjs/rest';
import { rejection, startWithRest, testClock } from './helpers';

const clock = testClock();
let discord: DiscordEmulator;
let rest: REST;
let stop: () => Promise<void>;
let endpoint: Server;
/** What the endpoint saw, for assertions on delivery. */
const received: Array<{ contentType: string | undefined; verified: boolean; body: any }> = [];

/**
 * A stand-in interactions endpoint that does what an app must: verify the Ed25519 signature (async!),
 * answer 401 on failure, PONG a PING, and answer commands by name.
 */
async function startEndpoint(publicKey: string): Promise<string> {
  endpoint = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const verified = await verifyKey(raw, String(req.headers['x-signature-ed25519']), String(req.headers['x-signature-timestamp']), publicKey);
    const body = verified ? JSON.parse(raw.toString('utf8')) : undefined;
    received.push({ contentType: req.headers['content-type'], verified, body });
    const answer = (status: number, value?: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(value === undefined ? '' : JSON.stringify(value));
    if (!verified) return answer(401, { error: 'invalid request signature' });
    if (body.type === 1) return answer(200, { type: InteractionResponseType.Pong });
    const name = body.data?.name ?? body.data?.custom_id;
    if (name === 'slow') await new Promise((r) => setTimeout(r, 150));
    switch (name) {
      case 'reply':
        return answer(200, { type: 4, data: { content: 'Pong!' } });
      case 'private':
        return answer(200, { type: 4, data: { content: 'Only you', flags: MessageFlags.Ephemeral } });
      case 'defer':
      case 'slow':
        return answer(200, { type: 5, data: { flags: MessageFlags.Ephemeral } });
      case 'defer-public':
        return answer(200, { type: 5, data: {} });
      case 'form':
        return answer(200, { type: 9, data: { custom_id: 'form:1', title: 'Open a ticket', components: [] } });
      case 'panel:claim':
        return answer(200, { type: 7, data: { content: 'Claimed by staff', components: [] } });
      case 'modal:close':
        return answer(200, { type: 6 });
      default:
        return answer(200, { type: 42 });
    }
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/interactions`;
}

beforeAll(async () => {
  ({ discord, rest, stop } = await startWithRest({ now: clock.now }));
  discord.interactionsUrl = await startEndpoint(discord.publicKeyHex);
});
afterAll(async () => {
  await stop();
  await new Promise((resolve) => endpoint.close(resolve));
});

/** Webhook calls authenticate with the interaction token, never the bot token. */
const asWebhook = { auth: false } as const;

function guildContext() {
  const g = discord.createGuild();
  const member = discord.addMember(g.id, { username: 'member' }).user;
  return { g, member, ctx: discord.interactionContext({ guildId: g.id, channelId: g.generalChannelId, userId: member.id }) };
}

describe('delivering signed interactions', () => {
  it('signs so that verifyKey accepts, and gets a PONG back', async () => {
    const result = await discord.sendInteraction(pingInteraction({ applicationId: discord.applicationId }));
    expect([result.status, result.body]).toEqual([200, { type: 1 }]);
    expect(received.at(-1)).toMatchObject({ verified: true, contentType: 'application/json' });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('forged, tampered and unsigned deliveries are refused by a verifying endpoint and recorded as failures', async () => {
    const { ctx } = guildContext();
    for (const opts of [{ forgeSignature: true }, { omitHeaders: true }, { tamperBody: (b: string) => b.replace('reply', 'reply ') }]) {
      const payload = commandInteraction({ ...ctx, name: 'reply' });
      const result = await discord.sendInteraction(payload, opts);
      expect(result.status).toBe(401);
      expect(discord.interaction(payload.id)!.failure).toBe('The endpoint answered HTTP 401');
      expect(discord.originalMessage(payload.id)).toBeUndefined();
    }
  });

  it('base64 delivery keeps the signature valid but uses a binary content type', async () => {
    const result = await discord.sendInteraction(pingInteraction(), { base64: true });
    expect(result.status).toBe(200);
    expect(received.at(-1)).toMatchObject({ verified: true, contentType: 'application/octet-stream' });
  });

  it('computes member and app permissions for the payload from state', () => {
    const { ctx, g } = guildContext();
    expect(BigInt(String(ctx.appPermissions)) & P.ManageChannels).toBe(P.ManageChannels);
    expect(BigInt(String(ctx.member!.permissions)) & P.ManageChannels).toBe(0n);
    expect(ctx.guild).toEqual({ id: g.id, locale: 'en-US', features: [] });
  });
});

describe('initial responses and the interaction webhook', () => {
  it('type 4 posts the reply in the channel as the bot, marked as an interaction response', async () => {
    const { g, ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'reply' });
    await discord.sendInteraction(payload);
    const [message] = discord.messagesIn(g.generalChannelId);
    expect(message).toMatchObject({ content: 'Pong!', type: 20, webhook_id: discord.applicationId, author: { id: discord.botUser.id } });
    expect(message.interaction_metadata).toMatchObject({ id: payload.id, type: 2, user: { id: ctx.user!.id } });
    expect(discord.originalMessage(payload.id)!.id).toBe(message.id);
  });

  it('ephemeral replies stay out of the channel history', async () => {
    const { g, ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'private' });
    await discord.sendInteraction(payload);
    expect(discord.messagesIn(g.generalChannelId)).toEqual([]);
    expect(discord.originalMessage(payload.id)!.content).toBe('Only you');
  });

  it('type 5 shows "thinking…" until a worker edits @original, which waitFor observes', async () => {
    const { ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'defer' });
    const result = await discord.sendInteraction(payload);
    expect(result.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(discord.originalMessage(payload.id)!.flags).toBe(MessageFlags.Ephemeral | MessageFlags.Loading);

    // The worker runs later, with only the application id and token from its job.
    setTimeout(() => {
      void rest.patch(Routes.webhookMessage(payload.application_id, payload.token), { ...asWebhook, body: { content: 'Ticket #7 opened' } });
    }, 20);
    const done = await discord.waitFor(() => {
      const original = discord.originalMessage(payload.id);
      return original && original.content === 'Ticket #7 opened' ? original : undefined;
    });
    expect(done.flags).toBe(MessageFlags.Ephemeral);
    expect(done.edited_timestamp).toBeNull();
    expect(discord.interaction(payload.id)!.originalEdits.map((e) => e.body)).toEqual([{ content: 'Ticket #7 opened' }]);

    const followUp = (await rest.post(Routes.webhook(payload.application_id, payload.token), { ...asWebhook, body: { content: 'One more thing' } })) as APIMessage;
    expect(discord.followUps(payload.id).map((m) => m.id)).toEqual([followUp.id]);
    await rest.patch(Routes.webhookMessage(payload.application_id, payload.token), { ...asWebhook, body: { content: 'Edited again' } });
    expect(discord.originalMessage(payload.id)!.edited_timestamp).not.toBeNull();
    const fetched = (await rest.get(Routes.webhookMessage(payload.application_id, payload.token), asWebhook)) as APIMessage;
    expect(fetched.content).toBe('Edited again');
  });

  it('a public deferral: the first follow-up becomes the public response; after deleting @original it is ephemeral', async () => {
    const { g, ctx } = guildContext();
    const webhook = (p: { application_id: string; token: string }) => Routes.webhook(p.application_id, p.token);
    const first = commandInteraction({ ...ctx, name: 'defer-public' });
    await discord.sendInteraction(first);
    const replaced = (await rest.post(webhook(first), { ...asWebhook, body: { content: 'Meant for one', flags: MessageFlags.Ephemeral } })) as APIMessage;
    expect(replaced.id).toBe(discord.originalMessage(first.id)!.id);
    expect(replaced.flags ?? 0).toBe(0);
    expect(discord.messagesIn(g.generalChannelId).map((m) => m.content)).toContain('Meant for one');

    const second = commandInteraction({ ...ctx, name: 'defer-public' });
    await discord.sendInteraction(second);
    await rest.delete(Routes.webhookMessage(second.application_id, second.token), asWebhook);
    const followUp = (await rest.post(webhook(second), { ...asWebhook, body: { content: 'Only you see this', flags: MessageFlags.Ephemeral } })) as APIMessage;
    expect(followUp.flags).toBe(MessageFlags.Ephemeral);
    expect(discord.originalMessage(second.id)).toBeUndefined();
    expect(discord.followUps(second.id).map((m) => m.content)).toEqual(['Only you see this']);
    expect(discord.messagesIn(g.generalChannelId).map((m) => m.content)).not.toContain('Only you see this');
  });

  it('interaction tokens stop working after 15 minutes (10015)', async () => {
    const { ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'defer' });
    await discord.sendInteraction(payload);
    clock.advance(15 * 60 * 1000 + 1);
    const error = await rejection(() => rest.patch(Routes.webhookMessage(payload.application_id, payload.token), { ...asWebhook, body: { content: 'too late' } }));
    expect([error.status, error.code, error.message]).toEqual([404, 10015, 'Unknown Webhook']);
    const unknown = await rejection(() => rest.post(Routes.webhook(discord.applicationId, 'not-a-token'), { ...asWebhook, body: { content: 'x' } }));
    expect(unknown.code).toBe(10015);
  });

  it('type 7 edits the message the component is on; type 6 points @original at it', async () => {
    const { g, ctx } = guildContext();
    const panel = (await rest.post(Routes.channelMessages(g.generalChannelId), {
      body: { content: 'Ticket #9', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Claim', custom_id: 'panel:claim' }] }] },
    })) as APIMessage;
    const click = componentInteraction({ ...ctx, customId: 'panel:claim', message: panel });
    await discord.sendInteraction(click);
    expect(discord.messagesIn(g.generalChannelId)[0]).toMatchObject({ id: panel.id, content: 'Claimed by staff', components: [] });
    expect(discord.state.messageEdits.get(panel.id)).toHaveLength(1);

    const submit = modalSubmitInteraction({ ...ctx, customId: 'modal:close', fields: { reason: 'solved' }, message: discord.messagesIn(g.generalChannelId)[0] });
    await discord.sendInteraction(submit);
    await rest.patch(Routes.webhookMessage(submit.application_id, submit.token), { ...asWebhook, body: { content: 'Closed: solved' } });
    expect(discord.messagesIn(g.generalChannelId)[0].content).toBe('Closed: solved');
  });

  it('a modal has no @original (10008)', async () => {
    const { ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'form' });
    await discord.sendInteraction(payload);
    expect(discord.interaction(payload.id)!.initialResponse).toMatchObject({ type: 9, data: { custom_id: 'form:1' } });
    const error = await rejection(() => rest.get(Routes.webhookMessage(payload.application_id, payload.token), asWebhook));
    expect(error.code).toBe(10008);
  });

  it('records a response type the interaction does not allow as a failure', async () => {
    const { ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'unknown' });
    await discord.sendInteraction(payload);
    expect(discord.interaction(payload.id)!.failure).toMatch(/response type 42 is not valid/);
    expect(discord.interaction(payload.id)!.initialResponse).toBeUndefined();
  });

  it('the callback endpoint acknowledges once (40060 after) and can return the response', async () => {
    const { g, ctx } = guildContext();
    const payload = commandInteraction({ ...ctx, name: 'anything' });
    discord.registerInteraction(payload);
    const result = (await rest.post(Routes.interactionCallback(payload.id, payload.token), {
      ...asWebhook,
      body: { type: 4, data: { content: 'via callback' } },
      query: new URLSearchParams({ with_response: 'true' }),
    })) as any;
    expect(result.interaction).toMatchObject({ id: payload.id, type: 2, response_message_loading: false, response_message_ephemeral: false });
    expect(result.resource.message.content).toBe('via callback');
    expect(discord.messagesIn(g.generalChannelId).map((m) => m.content)).toEqual(['via callback']);
    const again = await rejection(() => rest.post(Routes.interactionCallback(payload.id, payload.token), { ...asWebhook, body: { type: 4, data: { content: 'x' } } }));
    expect([again.status, again.code]).toEqual([400, 40060]);
  });
});

describe('the 3-second deadline', () => {
  it('drops an answer that comes too late, as Discord does', async () => {
    // Same key pair, so the verifying endpoint accepts this emulator's signatures too.
    const { discord: strict, rest: strictRest, stop: stopStrict } = await startWithRest({ interactionDeadlineMs: 50, keyPair: discord.keyPair });
    try {
      const g = strict.createGuild();
      const payload = commandInteraction({ ...strict.interactionContext({ channelId: g.generalChannelId, userId: g.ownerId }), name: 'slow' });
      const result = await strict.sendInteraction(payload, { url: discord.interactionsUrl });
      expect([result.status, result.body.type]).toEqual([200, 5]);
      expect(result.latencyMs).toBeGreaterThanOrEqual(140);
      const record = strict.interaction(payload.id)!;
      expect(record.delivery!.deadlineMissed).toBe(true);
      expect(record.failure).toMatch(/did not respond within 50 ms/);
      expect(strict.originalMessage(payload.id)).toBeUndefined();
      const error = await rejection(() => strictRest.patch(Routes.webhookMessage(payload.application_id, payload.token), { ...asWebhook, body: { content: 'x' } }));
      expect(error.code).toBe(10015);
    } finally {
      await stopStrict();
    }
  });
});
