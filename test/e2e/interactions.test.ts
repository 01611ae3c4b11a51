import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { autocompleteInteraction, commandInteraction, componentInteraction, option, pingInteraction, signedHeaders } from '../../local/discord';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import { queueDepth } from '../../lambdas/shared/adapters/sqs-dead-letters';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';

/** Waits until the worker has replaced the "thinking…" placeholder (flag 128 = Loading). */
const settled = (e: E2E, id: string) =>
  e.discord.waitFor(() => {
    const m = e.discord.originalMessage(id);
    return m && ((m.flags ?? 0) & 128) === 0 ? m : undefined;
  }, 10_000);

describe('interactions endpoint through the local stack (signed like Discord)', () => {
  let e: E2E;
  let db: DynamoDBDocumentClient;
  let sqs: SQSClient;
  beforeAll(async () => {
    e = await startE2E('interactions');
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: e.stack.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    db.destroy();
    sqs.destroy();
    await e.close();
  });

  const ctx = () => e.discord.interactionContext({ guildId: e.world.guild.id, channelId: e.world.channelId, userId: e.world.userId });

  it('answers PING with PONG', async () => {
    const res = await e.discord.sendInteraction(pingInteraction({ applicationId: e.discord.applicationId }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 1 });
  });

  it('refuses a forged signature, a tampered body, missing headers and a stale-format signature with 401', async () => {
    const ping = pingInteraction({ applicationId: e.discord.applicationId });
    for (const opts of [{ forgeSignature: true }, { omitHeaders: true }, { tamperBody: (b: string) => b.replace('"type":1', '"type":1 ') }]) {
      const res = await e.discord.sendInteraction(ping, opts);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_signature', message: 'Missing or invalid request signature.' });
    }
    const body = JSON.stringify(ping);
    const headers = signedHeaders(body, e.discord.keyPair);
    const garbage = await fetch(`${e.stack.url}/interactions`, { method: 'POST', headers: { ...headers, 'x-signature-ed25519': 'zz' }, body });
    expect(garbage.status).toBe(401);
  });

  it('refuses a valid signature made with another application key (wrong public key configured)', async () => {
    const other = await startE2E('wrong-key', { env: { DISCORD_PUBLIC_KEY: 'ab'.repeat(32) } });
    try {
      const res = await other.discord.sendInteraction(pingInteraction({ applicationId: other.discord.applicationId }));
      expect(res.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('verifies a base64-encoded Function URL body over the exact signed bytes', async () => {
    const res = await e.discord.sendInteraction(pingInteraction({ applicationId: e.discord.applicationId }), { base64: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 1 });
  });

  it('answers a signed body that is not an interaction with 400 and a JSON error', async () => {
    for (const body of ['not json', '{"hello":"world"}']) {
      const res = await fetch(`${e.stack.url}/interactions`, { method: 'POST', headers: { ...signedHeaders(body, e.discord.keyPair) }, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'malformed_body', message: expect.any(String) });
    }
  });

  it('answers a signed interaction missing the fields its type needs with 400, not a generic error', async () => {
    const c = ctx();
    const payload = { ...commandInteraction({ ...c, name: 'status' }) } as Record<string, unknown>;
    delete payload.data;
    const res = await e.discord.sendInteraction(payload);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'malformed_body', message: 'Body is not a Discord interaction.' });
  });

  it('refuses a correctly signed but old request (a replay) with 401', async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const res = await e.discord.sendInteraction(pingInteraction({ applicationId: e.discord.applicationId }), { timestamp: stale });
    expect(res.status).toBe(401);
  });

  it('answers /help inline with an ephemeral message', async () => {
    const payload = commandInteraction({ ...ctx(), name: 'help' });
    const res = await e.discord.sendInteraction(payload);
    expect(res.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('/status') } });
    expect(e.discord.originalMessage(payload.id)?.content).toContain('Deskwire');
  });

  it('defers /status, and the worker edits the original response with the diagnostic', async () => {
    const payload = commandInteraction({ ...ctx(), name: 'status' });
    const res = await e.discord.sendInteraction(payload);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
    const message = await settled(e, payload.id);
    expect(message.embeds?.[0]).toMatchObject({ title: 'Deskwire status for Deskwire Sandbox' });
    const fields = Object.fromEntries((message.embeds?.[0].fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Bot permissions here']).toBe('All required permissions granted.');
    expect(fields.Channels).toMatch(/^\d+ \/ 500 used$/);
    // What Discord was asked to do: exactly one edit of @original, through the webhook route.
    expect(e.discord.requests(/webhooks\/.*\/messages\/@original/).filter((r) => r.method === 'PATCH')).toHaveLength(1);
    // The job was recorded done, so a redelivery would not post again.
    const job = await eventually(async () => {
      const res = await db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: { PK: `JOB#interaction:${payload.id}`, SK: 'JOB' } }));
      return res.Item?.state === 'done' && res.Item;
    }, 5000, 'job marked done');
    expect(job).toMatchObject({ state: 'done', doneAt: expect.any(Number) });
  });

  it('names the permissions the bot is missing in this channel', async () => {
    const c = ctx();
    const payload = commandInteraction({ ...c, appPermissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages), name: 'status' });
    await e.discord.sendInteraction(payload);
    const message = await settled(e, payload.id);
    const perms = message.embeds?.[0].fields?.find((f) => f.name === 'Bot permissions here')?.value;
    expect(perms).toContain('Missing **Manage Channels**: needed to create and delete ticket channels.');
    expect(perms).not.toContain('View Channels');
  });

  it('retries a Discord outage (5xx) on the edit and still answers the user', async () => {
    e.discord.faults.set(/webhooks\/.*\/messages\/@original/, { status: 503 }, 2);
    const payload = commandInteraction({ ...ctx(), name: 'status' });
    await e.discord.sendInteraction(payload);
    const message = await settled(e, payload.id);
    expect(message.embeds?.[0].title).toContain('Deskwire status');
    e.discord.faults.clear();
  });

  it('tells the user when Discord refuses the work (the bot lost access to the guild) instead of failing silently', async () => {
    e.discord.faults.set(new RegExp(`guilds/${e.world.guild.id}/channels`), { status: 403, code: 50001 }, 100);
    const payload = commandInteraction({ ...ctx(), name: 'status' });
    await e.discord.sendInteraction(payload);
    const message = await settled(e, payload.id);
    expect(message.content).toBe('Deskwire cannot access that channel. Give the bot the View Channel permission there.');
    e.discord.faults.clear();
    expect(await queueDepth(sqs, e.stack.resources.queues.work.dlqUrl)).toBe(0);
  });

  it('after the last retry tells the user something went wrong and leaves the job in the DLQ for replay', async () => {
    // An error we do not recognise (unknown code) is a bug or outage: retried, never shown raw.
    e.discord.faults.set(new RegExp(`guilds/${e.world.guild.id}$`), { status: 403, code: 40001 }, 100);
    const before = e.discord.requests(new RegExp(`guilds/${e.world.guild.id}$`)).length;
    const payload = commandInteraction({ ...ctx(), name: 'status' });
    await e.discord.sendInteraction(payload);
    const message = await settled(e, payload.id);
    expect(message.content).toBe('Something went wrong on our side. Please try again in a moment; if it keeps happening, contact the server admins.');
    await eventually(async () => (await queueDepth(sqs, e.stack.resources.queues.work.dlqUrl)) === 1, 5000, 'job in DLQ');
    expect(e.discord.requests(new RegExp(`guilds/${e.world.guild.id}$`)).length - before).toBe(5); // one per SQS delivery
    e.discord.faults.clear();
  });

  it('runs a job delivered twice once: one edit of @original', async () => {
    const payload = commandInteraction({ ...ctx(), name: 'status' });
    await e.discord.sendInteraction(payload);
    await settled(e, payload.id);
    await eventually(async () => {
      const res = await db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: { PK: `JOB#interaction:${payload.id}`, SK: 'JOB' } }));
      return res.Item?.state === 'done';
    }, 5000, 'job done');
    const edits = () => e.discord.requests(/webhooks\/.*\/messages\/(@|%40)original/).filter((r) => r.method === 'PATCH' && r.path.includes(payload.token)).length;
    expect(edits()).toBe(1);
    // SQS may deliver a message again: the same job arrives a second time.
    const { interactionContext } = await import('../../lambdas/interactions/context');
    await sqs.send(new SendMessageCommand({ QueueUrl: e.stack.resources.queues.work.url, MessageBody: JSON.stringify({ type: 'status.report', ctx: interactionContext(payload) }) }));
    await eventually(async () => (await queueDepth(sqs, e.stack.resources.queues.work.url)) === 0, 5000, 'duplicate consumed');
    expect(edits()).toBe(1);
  });

  it('retries when the final edit fails after the work succeeded, and the user still gets the outcome', async () => {
    // More 503s than @discordjs/rest retries within one attempt: the first delivery fails to edit.
    const rule = e.discord.faults.set(/webhooks\/.*\/messages\/(@|%40)original/, { status: 503 }, 5);
    const payload = commandInteraction({ ...ctx(), name: 'status' });
    await e.discord.sendInteraction(payload);
    const message = await settled(e, payload.id);
    expect(message.embeds?.[0].title).toContain('Deskwire status');
    expect(rule.remaining).toBe(0);
    e.discord.faults.clear();
    expect(await queueDepth(sqs, e.stack.resources.queues.work.dlqUrl)).toBe(1); // only the earlier test's poison job
  });

  it('answers an unknown command and a stale button with an ephemeral "no longer available"', async () => {
    const unknown = await e.discord.sendInteraction(commandInteraction({ ...ctx(), name: 'removed-command' }));
    expect(unknown.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('no longer available') } });
    const stale = await e.discord.sendInteraction(componentInteraction({ ...ctx(), customId: 'dw1:gone:1' } as never));
    expect(stale.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('no longer available') } });
    const foreign = await e.discord.sendInteraction(componentInteraction({ ...ctx(), customId: 'other-bot-button' } as never));
    expect(foreign.body).toMatchObject({ type: 4, data: { flags: 64 } });
  });

  it('answers an autocomplete for an unknown command with no choices (type 8: the only reply Discord accepts there)', async () => {
    const typing = await e.discord.sendInteraction(autocompleteInteraction({ ...ctx(), name: 'removed-command', options: [option.string('thing', 'ab', true)] }));
    expect([typing.status, typing.body]).toEqual([200, { type: 8, data: { choices: [] } }]);
  });
});
