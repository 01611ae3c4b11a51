import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIMessage } from 'discord-api-types/v10';
import { DynamoCalloutStore } from '../../lambdas/shared/adapters/dynamo-callout-store';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { SqsWorkQueue } from '../../lambdas/shared/adapters/sqs-work-queue';
import { calloutSweep } from '../../lambdas/shared/callouts/sweep';
import type { Callout } from '../../lambdas/shared/callouts/model';
import { HQ_NOT_CONFIGURED } from '../../lambdas/shared/hq/config';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/aws/provision';
import { issueLocalLicense } from '../../local/licensing';
import { commandInteraction, option } from '../../local/discord';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

type Reply = { type: number; data?: { content?: string; flags?: number; components?: unknown[]; embeds?: Array<{ title?: string; description?: string }>; custom_id?: string } };
const body = (res: { body: unknown }) => res.body as Reply;
const REASON = 'Our ticket panel stopped posting threads after the update';

describe('Interactive Support callouts through signed interactions, the worker, the sweep and the Discord emulator', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let callouts: DynamoCalloutStore;
  let sqs: SQSClient;
  let staffId: string;

  beforeAll(async () => {
    e = await startE2E('callouts', { hq: true });
    data = ticketData(e);
    t = ticketWork(e, data);
    callouts = new DynamoCalloutStore(data.db, e.stack.resources.tableName);
    sqs = new SQSClient({ endpoint: e.stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await t.setup();
    staffId = t.staff();
  });
  afterAll(async () => {
    sqs.destroy();
    data.destroy();
    await e.close();
  });

  const hq = () => e.hq!;
  const callout = (userId: string, reason = REASON, channelId = e.world.channelId) => runCommand(e, userId, 'callout', [option.string('reason', reason)], channelId);
  const alerts = () => e.discord.messagesIn(hq().calloutChannelId).filter((m) => m.embeds?.[0]?.title?.includes('callout'));
  const current = async (): Promise<Callout> => {
    const state = (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.calloutState(t.guildId), ConsistentRead: true }))).Item;
    return (await callouts.get(t.guildId, String(state!.openCalloutId)))!;
  };
  /** Forgets the guild's last callout time, so the next test is not held by the cooldown. */
  const clearCooldown = () => data.db.send(new DeleteCommand({ TableName: e.stack.resources.tableName, Key: Keys.calloutState(t.guildId) }));
  const pressInHq = (userId: string, customId: string, message?: APIMessage) => t.press(userId, hq().calloutChannelId, customId, message);
  const invite = (code: string) => e.discord.state.invites.get(code)!;

  /** `/callout` by staff who accepted the terms, until the HQ alert is posted. */
  async function openCallout(userId = staffId): Promise<{ callout: Callout; alert: APIMessage }> {
    const { payload, res } = await callout(userId);
    expect(body(res).type).toBe(5);
    expect((await finalReply(e, payload.id)).content).toContain('Deskwire support has been called in');
    const c = await current();
    const alert = await e.discord.waitFor(() => alerts().find((m) => JSON.stringify(m.components).includes(c.calloutId)));
    return { callout: c, alert };
  }

  it('members who are not staff cannot call out; reasons are length-checked', async () => {
    expect(body((await callout(t.member())).res).data?.content).toBe("Only this server's staff can call Deskwire support in.");
    expect(body((await callout(staffId, 'help')).res).data?.content).toBe('Describe what you need help with in 10–500 characters (you wrote 4).');
    expect(body((await callout(staffId, 'x'.repeat(501))).res).data?.content).toBe('Describe what you need help with in 10–500 characters (you wrote 501).');
  });

  it('the first callout shows the terms; Decline sends nothing; Accept records the acceptance and sends it: invite, HQ alert, answer', async () => {
    const first = await callout(staffId);
    expect(body(first.res)).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body(first.res).data!.embeds![0].title).toBe('Interactive Support Terms (version 1)');
    expect(JSON.stringify(body(first.res).data!.components)).toContain('dw1:callout-accept:1');
    const decline = await t.press(staffId, e.world.channelId, 'dw1:callout-decline');
    expect(body(decline.res)).toMatchObject({ type: 7, data: { content: 'You declined the Interactive Support Terms, so no callout was sent.' } });
    expect(alerts()).toHaveLength(0);

    const again = await callout(staffId);
    const accept = await t.press(staffId, e.world.channelId, 'dw1:callout-accept:1', e.discord.originalMessage(again.payload.id));
    expect(body(accept.res)).toEqual({ type: 6 });
    const edited = await t.edited(accept.payload.id);
    expect(edited.content).toContain('Deskwire support has been called in');
    expect(edited.components).toEqual([]);

    const terms = (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.calloutTerms(staffId, '1') }))).Item;
    expect(terms).toMatchObject({ userId: staffId, guildId: t.guildId, termsVersion: '1', acceptedAt: expect.any(Number) });

    const c = await current();
    expect(c).toMatchObject({ status: 'open', reason: REASON, requesterId: staffId, tier: 'enterprise', termsVersion: '1', inviteChannelId: e.world.channelId, dueStep: 'escalate' });
    const inv = invite(c.inviteCode!);
    expect(inv.invite).toMatchObject({ max_uses: 1, max_age: 3600, uses: 0 });
    expect(inv.channelId).toBe(e.world.channelId);
    const alert = alerts().at(-1)!;
    const fields = JSON.stringify(alert.embeds[0].fields);
    expect(fields).toContain('Deskwire Sandbox');
    expect(fields).toContain(t.guildId);
    expect(fields).toContain(REASON);
    expect(fields).toContain('Enterprise');
    expect(t.customIds(alert)).toEqual([`dw1:callout-respond:${t.guildId}:${c.calloutId}`, `dw1:callout-resolve:${t.guildId}:${c.calloutId}`]);
    expect(alert.content).toContain(`<@&${hq().agentRoleId}>`);

    // The same member is not asked again for the same terms version; one open callout per guild.
    expect(body((await callout(staffId)).res).data?.content).toBe('This server already has an open callout. A Deskwire agent will be with you; you can call out again once it is resolved.');
  });

  it('two agents pressing Respond at once: exactly one responder; the other sees who took it; non-agents cannot', async () => {
    const c = await current();
    const alert = alerts().at(-1)!;
    const second = e.discord.createUser({ username: 'agent-two' });
    e.discord.addMember(hq().guild.id, second.id, [hq().agentRoleId]);
    const outsider = e.discord.createUser({ username: 'hq-visitor' });
    e.discord.addMember(hq().guild.id, outsider.id, []);
    const respond = `dw1:callout-respond:${t.guildId}:${c.calloutId}`;

    expect(body((await pressInHq(outsider.id, respond, alert)).res).data?.content).toBe('Only Deskwire support agents can answer callouts.');
    const [a, b] = await Promise.all([pressInHq(hq().agentId, respond, alert), pressInHq(second.id, respond, alert)]);
    const answers = [body(a.res).data!.content!, body(b.res).data!.content!];
    const winner = answers.findIndex((m) => m.startsWith('You are the responder'));
    expect(winner).toBeGreaterThanOrEqual(0);
    const winnerId = winner === 0 ? hq().agentId : second.id;
    expect(answers[1 - winner]).toMatch(new RegExp(`^<@${winnerId}> already took this callout <t:\\d+:R>\\.$`));
    expect(answers[winner]).toContain(`https://discord.gg/${c.inviteCode}`);
    expect(await callouts.get(t.guildId, c.calloutId)).toMatchObject({ status: 'responded', responderId: winnerId, dueStep: 'invite', dueAt: c.inviteExpiresAt });

    // The requester hears an agent is on the way; the alert shows who took it and no longer offers Respond.
    const dm = await eventually(async () => t.dmsOf(staffId).find((m) => m.content.includes('agent is on the way')), 10_000, 'requester DM');
    expect(dm.content).toContain(REASON);
    const taken = await e.discord.waitFor(() => {
      const m = e.discord.messagesIn(hq().calloutChannelId).find((x) => x.id === alert.id);
      return m && JSON.stringify(m.embeds).includes(`Taken by <@${winnerId}>`) ? m : undefined;
    });
    expect(t.customIds(taken)).toEqual([`dw1:callout-resolve:${t.guildId}:${c.calloutId}`]);
  });

  it('Resolve asks for a note, closes the callout and deletes its invite on Discord; the cooldown then holds', async () => {
    const c = await current();
    const resolve = `dw1:callout-resolve:${t.guildId}:${c.calloutId}`;
    const modal = await pressInHq(hq().agentId, resolve);
    expect(body(modal.res)).toMatchObject({ type: 9, data: { custom_id: `dw1:callout-resolve-note:${t.guildId}:${c.calloutId}` } });
    expect(body((await t.submit(hq().agentId, hq().calloutChannelId, `dw1:callout-resolve-note:${t.guildId}:${c.calloutId}`, { note: 'ok' })).res).data?.content).toBe(
      'Write a resolution note of 3–500 characters.',
    );
    const done = await t.submit(hq().agentId, hq().calloutChannelId, `dw1:callout-resolve-note:${t.guildId}:${c.calloutId}`, { note: 'Re-granted the bot its thread permission' });
    expect(body(done.res).data?.content).toBe('Callout resolved. Note: Re-granted the bot its thread permission');

    await e.discord.waitFor(() => invite(c.inviteCode!).deleted || undefined);
    const closed = await eventually(async () => {
      const x = await callouts.get(t.guildId, c.calloutId);
      return x?.inviteCode === null ? x : undefined;
    });
    expect(closed).toMatchObject({ status: 'resolved', closedBy: hq().agentId, note: 'Re-granted the bot its thread permission', dueStep: null, dueAt: null });
    expect(body((await t.submit(hq().agentId, hq().calloutChannelId, `dw1:callout-resolve-note:${t.guildId}:${c.calloutId}`, { note: 'again, later' })).res).data?.content).toBe(
      `This callout is already resolved by <@${hq().agentId}>.`,
    );

    expect(body((await callout(staffId)).res).data?.content).toMatch(/^This server called Deskwire support recently\. You can call out again <t:\d+:R>\.$/);
  });

  it('unanswered: the sweep escalates after N minutes, then expires it, deletes the invite and tells the requester', async () => {
    await clearCooldown();
    const { callout: c, alert } = await openCallout();
    const queue = new SqsWorkQueue(sqs, e.stack.resources.queues.work.url);
    const sweep = calloutSweep({ callouts, workQueue: queue, expireMs: 60 * 60_000, log: { error: jest.fn() } });

    expect(await sweep.run(c.createdAt + 14 * 60_000)).toMatchObject({ due: 0 });
    expect(await sweep.run(c.createdAt + 15 * 60_000)).toMatchObject({ due: 1, done: 1, failed: 0 });
    const escalation = await e.discord.waitFor(() => e.discord.messagesIn(hq().calloutChannelId).find((m) => m.content.startsWith('⏰')));
    expect(escalation.content).toContain('has waited');
    expect(escalation.content).toContain(`<@&${hq().agentRoleId}>`);
    expect(await callouts.get(t.guildId, c.calloutId)).toMatchObject({ status: 'open', dueStep: 'expire', dueAt: c.createdAt + 60 * 60_000 });

    expect(await sweep.run(c.createdAt + 60 * 60_000)).toMatchObject({ due: 1, done: 1 });
    await e.discord.waitFor(() => invite(c.inviteCode!).deleted || undefined);
    const dm = await eventually(async () => t.dmsOf(staffId).find((m) => m.content.includes('has expired')), 10_000, 'expiry DM');
    expect(dm.content).toContain('run `/callout` again');
    const expired = await eventually(async () => {
      const x = await callouts.get(t.guildId, c.calloutId);
      return x?.inviteCode === null ? x : undefined;
    });
    expect(expired).toMatchObject({ status: 'expired', dueStep: null });
    const shown = e.discord.messagesIn(hq().calloutChannelId).find((m) => m.id === alert.id)!;
    expect(t.customIds(shown)).toEqual([]);
    // Nothing left due: a later sweep reads nothing.
    expect(await sweep.run(c.createdAt + 2 * 60 * 60_000)).toMatchObject({ due: 0 });
  });

  it('a responded callout’s invite is deleted on Discord when it expires (the sweep at the invite’s end)', async () => {
    await clearCooldown();
    const { callout: c, alert } = await openCallout();
    await pressInHq(hq().agentId, `dw1:callout-respond:${t.guildId}:${c.calloutId}`, alert);
    const sweep = calloutSweep({ callouts, workQueue: new SqsWorkQueue(sqs, e.stack.resources.queues.work.url), expireMs: 60 * 60_000, log: { error: jest.fn() } });
    expect(await sweep.run(c.inviteExpiresAt! - 1)).toMatchObject({ due: 0 });
    expect(await sweep.run(c.inviteExpiresAt!)).toMatchObject({ due: 1, done: 1 });
    await e.discord.waitFor(() => invite(c.inviteCode!).deleted || undefined);
    const after = await eventually(async () => {
      const x = await callouts.get(t.guildId, c.calloutId);
      return x?.inviteCode === null ? x : undefined;
    });
    expect(after).toMatchObject({ status: 'responded', dueStep: null });
    // Still resolvable; the guild's slot frees at resolve.
    await t.submit(hq().agentId, hq().calloutChannelId, `dw1:callout-resolve-note:${t.guildId}:${c.calloutId}`, { note: 'Fixed their staff role' });
    expect(await callouts.get(t.guildId, c.calloutId)).toMatchObject({ status: 'resolved' });
  });

  it('a tier without callouts is told which tier has them; a missing invite permission sends nothing and keeps no reservation', async () => {
    await clearCooldown();
    const { key } = await issueLocalLicense(e.stack, { tier: 'standard', seats: 1, days: 30 });
    const other = e.discord.createGuild({ name: 'Standard Co', ownerId: e.world.userId });
    const ch = e.discord.createChannel(other.id, { name: 'staff', parentId: other.textCategoryId });
    const inOther = (name: string, options: Parameters<typeof commandInteraction>[0]['options']) =>
      e.discord.sendInteraction(commandInteraction({ ...e.discord.interactionContext({ guildId: other.id, channelId: ch.id, userId: e.world.userId }), name, options }));
    expect(body(await inOther('license', [option.subcommand('activate', [option.string('key', key)])])).data?.content).toContain('Deskwire is activated in this server: **Standard**');
    const res = await inOther('callout', [option.string('reason', REASON)]);
    expect(body(res).data?.content).toBe(
      "Interactive Support callouts need the Pro tier or higher; this server's license is Standard. A server admin can run `/license activate` with a key of that tier.",
    );

    // Deny the bot Create Invite in the support channel.
    const support = e.discord.state.channels.get(e.world.channelId)!;
    const before = support.permission_overwrites;
    support.permission_overwrites = [...(before ?? []), { id: e.world.guild.botRoleId!, type: 0, allow: '0', deny: String(1n << 0n) }];
    try {
      const { payload } = await callout(staffId);
      expect((await finalReply(e, payload.id)).content).toBe(
        `Deskwire could not create an invite in <#${e.world.channelId}>: give the bot the **Create Invite** permission there, then run \`/callout\` again. No callout was sent.`,
      );
      const state = (await data.db.send(new GetCommand({ TableName: e.stack.resources.tableName, Key: Keys.calloutState(t.guildId), ConsistentRead: true }))).Item;
      expect(state?.openCalloutId).toBeUndefined();
    } finally {
      support.permission_overwrites = before;
    }
    // The cooldown was given back with the reservation: the next try works.
    await openCallout();
  });

  it('inside a ticket: the callout records the ticket and the alert shows it', async () => {
    await clearCooldown();
    const ticket = await t.open(t.member());
    const { payload } = await callout(staffId, REASON, ticket.channelId);
    expect((await finalReply(e, payload.id)).content).toContain('Deskwire support has been called in');
    const c = await current();
    expect(c).toMatchObject({ ticketNumber: ticket.number, channelId: ticket.channelId, inviteChannelId: e.world.channelId });
    const alert = await e.discord.waitFor(() => alerts().find((m) => JSON.stringify(m.components).includes(c.calloutId)));
    expect(alert.embeds[0].fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Ticket', value: `#${String(ticket.number).padStart(4, '0')}` })]));
  });
});

describe('without a vendor HQ (the sandbox default)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E('callouts-nohq');
  });
  afterAll(() => e.close());

  it('/callout says the vendor HQ is not configured', async () => {
    const { res } = await runCommand(e, e.world.userId, 'callout', [option.string('reason', REASON)]);
    expect(body(res)).toMatchObject({ type: 4, data: { flags: 64, content: HQ_NOT_CONFIGURED } });
  });
});
