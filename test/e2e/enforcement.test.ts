import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoEnforcementStore } from '../../lambdas/shared/adapters/dynamo-enforcement-store';
import { DynamoGuildStore } from '../../lambdas/shared/adapters/dynamo-guild-store';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { enforcedGuildMessage, enforcedUserMessage } from '../../lambdas/shared/enforcement/model';
import { commandInteraction, messageContextInteraction, modalSubmitInteraction, option, type OptionInput } from '../../local/discord';
import { publishGatewayEvent } from '../../local/sandbox';
import { randomSnowflake } from '../support/aws';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

type Reply = { type: number; data?: { content?: string; flags?: number; custom_id?: string } };
const body = (res: { body: unknown }) => res.body as Reply;
const APPEAL = 'To appeal, contact Deskwire support at https://deskwire.example/appeal.';

describe('enforcement: /enforce in the vendor HQ, tiered reads, and its effects at every entry point', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  let records: DynamoEnforcementStore;
  beforeAll(async () => {
    e = await startE2E('enforcement', { hq: true });
    data = ticketData(e);
    t = ticketWork(e, data);
    records = new DynamoEnforcementStore(data.db, e.stack.resources.tableName);
    await t.setup();
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  const hq = () => e.hq!;
  const tierUser = (tier: 'standard' | 'elevated' | 'sudo') => hq().tierUserIds[tier];
  const hqChannel = () => hq().calloutChannelId;
  const enforce = (userId: string, sub: string, options: OptionInput[]) =>
    e.discord.sendInteraction(commandInteraction({ ...e.discord.interactionContext({ guildId: hq().guild.id, channelId: hqChannel(), userId }), name: 'enforce', options: [option.subcommand(sub, options)] }));
  const target = (kind: 'user' | 'guild', id: string) => [option.string('target', kind), option.string('id', id)];
  /** A deferred `/enforce` answered by the worker. */
  const deferred = async (res: Awaited<ReturnType<typeof enforce>>) => {
    expect(body(res).type).toBe(5);
    return (await finalReply(e, res.interaction!.id)).content;
  };
  const auditRows = async (action: string, actor: string) => {
    const month = `AUDIT#${new Date().toISOString().slice(0, 7)}`;
    const res = await data.db.send(new QueryCommand({ TableName: e.stack.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': month }, ConsistentRead: true }));
    return (res.Items ?? []).filter((i) => i.action === action && i.actor === actor);
  };

  it('only the HQ and only enforcement tiers; writing sensitive fields needs the tier that may read them', async () => {
    const outside = await runCommand(e, e.world.userId, 'enforce', [option.subcommand('history', target('user', randomSnowflake()))]);
    expect(body(outside.res).data?.content).toBe('Enforcement records are only available in the Deskwire vendor HQ.');
    const visitor = e.discord.createUser({ username: 'hq-visitor' });
    e.discord.addMember(hq().guild.id, visitor.id, []);
    expect(body(await enforce(visitor.id, 'history', target('user', randomSnowflake()))).data?.content).toBe('This needs standard enforcement access or higher.');
    const add = (userId: string, extra: OptionInput[]) => enforce(userId, 'add', [...target('user', randomSnowflake()), option.string('reason', 'spam'), option.string('outcome', 'warning'), ...extra]);
    expect(body(await add(tierUser('standard'), [option.string('related', '123')])).data?.content).toBe('This needs elevated enforcement access or higher; you have standard.');
    expect(body(await add(tierUser('elevated'), [option.string('personal', 'x@example.com')])).data?.content).toBe('This needs sudo enforcement access or higher; you have elevated.');
  });

  describe('tiered reads of one record', () => {
    const subject = randomSnowflake();
    const alt = randomSnowflake();
    const personal = 'Contact: alice@example.com, +1 555 0100';

    beforeAll(async () => {
      const recorded = await deferred(
        await enforce(tierUser('sudo'), 'add', [
          ...target('user', subject),
          option.string('reason', 'Ban evasion and harassment of staff'),
          option.string('outcome', 'warning'),
          option.string('related', `${alt}, steam:7656119`),
          option.string('personal', personal),
        ]),
      );
      expect(recorded).toBe(`Recorded: warning on user \`${subject}\`. A warning changes nothing for the target.`);
    });

    it('sensitive fields are encrypted at rest', async () => {
      const [item] = (await data.db.send(new QueryCommand({ TableName: e.stack.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': Keys.enforcementPk('user', subject) } }))).Items!;
      expect(item).toMatchObject({ reason: 'Ban evasion and harassment of staff', outcome: 'warning', actor: `discord:${tierUser('sudo')}`, sealed: expect.stringMatching(/^v1\./) });
      expect(JSON.stringify(item)).not.toContain('alice@example.com');
      expect(JSON.stringify(item)).not.toContain(alt);
    });

    it.each([
      ['standard', { related: false, personal: false }],
      ['elevated', { related: true, personal: false }],
    ] as const)('%s sees exactly its fields', async (tier, sees) => {
      const res = await enforce(tierUser(tier), 'lookup', target('user', subject));
      const text = tier === 'standard' ? body(res).data!.content! : await deferred(res);
      expect(text).toContain(`Enforcement: user ${subject}`);
      expect(text).toContain(`(${tier} access)`);
      expect(text).toContain('WARNING by discord:');
      expect(text).toContain('Ban evasion and harassment of staff');
      expect(text.includes(alt)).toBe(sees.related);
      expect(text.includes('related:')).toBe(sees.related);
      expect(text.includes('alice@example.com')).toBe(sees.personal);
      expect(text.includes('personal:')).toBe(sees.personal);
    });

    it('sudo: the lookup asks for a justification first; without one nothing is shown or audited; with one, an audit row and every field', async () => {
      const sudo = tierUser('sudo');
      const modal = await enforce(sudo, 'lookup', target('user', subject));
      expect(body(modal)).toMatchObject({ type: 9, data: { custom_id: `dw1:enforce-justify:user:${subject}` } });
      expect(await auditRows('enforcement.lookup', `discord:${sudo}`)).toHaveLength(0);

      const submit = (justification: string, userId = sudo) =>
        e.discord.sendInteraction(
          modalSubmitInteraction({ ...e.discord.interactionContext({ channelId: hqChannel(), userId }), customId: `dw1:enforce-justify:user:${subject}`, fields: { justification } }),
        );
      const refused = await submit('because');
      expect(body(refused)).toMatchObject({ type: 4, data: { content: 'A sudo read needs a written justification of at least 20 characters; it goes to the audit log. Nothing was shown.' } });
      // An elevated member cannot use the sudo modal either.
      expect(body(await submit('Appeal review #4411 requires contact details', tierUser('elevated'))).data?.content).toBe('This needs sudo enforcement access or higher; you have elevated.');
      expect(await auditRows('enforcement.lookup', `discord:${sudo}`)).toHaveLength(0);

      const shown = await deferred(await submit('Appeal review #4411 requires contact details'));
      expect(shown).toContain('(sudo access)');
      expect(shown).toContain(alt);
      expect(shown).toContain(`personal: ${personal}`);
      const [row] = await auditRows('enforcement.lookup', `discord:${sudo}`);
      expect(row).toMatchObject({ target: `user:${subject}`, detail: { tier: 'sudo', justification: 'Appeal review #4411 requires contact details' } });
    });

    it('history shows every action with standard fields for every tier', async () => {
      const inline = body(await enforce(tierUser('sudo'), 'history', target('user', subject))).data!.content!;
      expect(inline).toContain('(standard access)');
      expect(inline).not.toContain('alice@example.com');
    });
  });

  it('an enforced user is refused at every entry point with how to appeal; lifting restores service', async () => {
    const user = t.staff('banned-staff');
    const added = await deferred(await enforce(tierUser('standard'), 'add', [...target('user', user), option.string('reason', 'Chargeback fraud'), option.string('outcome', 'ban')]));
    expect(added).toContain('Recorded: ban on user');
    const refusal = enforcedUserMessage(APPEAL);

    expect(body((await t.ticket(user, e.world.channelId, 'open')).res).data?.content).toBe(refusal);
    expect(body((await t.press(user, e.world.channelId, 'dw1:open:general')).res).data?.content).toBe(refusal);
    expect(body((await t.submit(user, e.world.channelId, 'dw1:open-form:general', {})).res).data?.content).toBe(refusal);
    const message = e.discord.postMessage(e.world.channelId, user, { content: 'help' });
    const menu = messageContextInteraction({ ...e.discord.interactionContext({ guildId: t.guildId, channelId: e.world.channelId, userId: user }), name: 'Open a ticket about this message', target: message });
    expect(body(await e.discord.sendInteraction(menu)).data?.content).toBe(refusal);
    expect(body((await runCommand(e, user, 'callout', [option.string('reason', 'Please help with our panel setup')])).res).data?.content).toBe(refusal);
    expect(await data.store.openTicketsOf(t.guildId, user)).toEqual([]);
    // Other commands still work for them (only tickets and callouts are refused).
    expect(body((await runCommand(e, user, 'help')).res).data?.content).toContain('**Deskwire**');

    expect(body(await enforce(tierUser('standard'), 'lift', target('user', user))).data?.content).toBe('This needs elevated enforcement access or higher; you have standard.');
    expect(body(await enforce(tierUser('elevated'), 'lift', target('user', user))).data?.content).toBe(`Lifted: the user \`${user}\` has Deskwire's service again.`);
    expect(body(await enforce(tierUser('elevated'), 'lift', target('user', user))).data?.content).toBe('No ban is in force on this user.');
    const ticket = await t.open(user);
    expect(ticket.openerId).toBe(user);
    const history = await records.history('user', user);
    expect(history).toEqual([expect.objectContaining({ outcome: 'ban', reason: 'Chargeback fraud', liftedBy: `discord:${tierUser('elevated')}`, liftedAt: expect.any(Number) })]);
  });

  it('an enforced guild is refused every command and component; a second ban is refused; lifting restores it', async () => {
    const guildId = t.guildId;
    await deferred(await enforce(tierUser('standard'), 'add', [...target('guild', guildId), option.string('reason', 'Scam server'), option.string('outcome', 'ban')]));
    expect(await deferred(await enforce(tierUser('standard'), 'add', [...target('guild', guildId), option.string('reason', 'Again'), option.string('outcome', 'ban')]))).toBe(
      'This guild is already banned. Lift the ban first, or record a warning.',
    );
    const refusal = enforcedGuildMessage(APPEAL);
    for (const name of ['help', 'status', 'setup', 'license']) {
      expect(body((await runCommand(e, e.world.userId, name)).res)).toMatchObject({ type: 4, data: { flags: 64, content: refusal } });
    }
    expect(body((await t.press(t.member(), e.world.channelId, 'dw1:open:general')).res).data?.content).toBe(refusal);
    await enforce(tierUser('elevated'), 'lift', target('guild', guildId));
    expect(body((await runCommand(e, e.world.userId, 'help')).res).data?.content).toContain('**Deskwire**');
  });

  it('the bot leaves a banned guild that adds it; guild purges leave enforcement records alone', async () => {
    const banned = e.discord.createGuild({ name: 'Scam Hub', ownerId: e.world.userId });
    await deferred(await enforce(tierUser('standard'), 'add', [...target('guild', banned.id), option.string('reason', 'Phishing'), option.string('outcome', 'ban')]));
    const now = Date.now();
    await publishGatewayEvent(e.stack, { type: 'guild.create', guildId: banned.id, ownerId: e.world.userId, joinedAt: new Date(now).toISOString(), at: now });
    await eventually(async () => !e.discord.state.members.get(banned.id)?.has(e.discord.botUser.id), 10_000, 'the bot to leave');
    expect(e.discord.requests().filter((r) => r.method === 'DELETE' && r.path === `/users/@me/guilds/${banned.id}`)).toHaveLength(1);

    const guilds = new DynamoGuildStore(data.db, e.stack.resources.tableName);
    await guilds.markRemoved(banned.id, now, now);
    expect(await guilds.purge(banned.id, now + 1)).not.toBeNull();
    expect(await records.state('guild', banned.id)).toMatchObject({ kind: 'guild', targetId: banned.id });
    expect(await records.history('guild', banned.id)).toHaveLength(1);
  });

  it('reads are rate limited per staff member', async () => {
    const reader = e.discord.createUser({ username: 'busy-reader' });
    e.discord.addMember(hq().guild.id, reader.id, [hq().tierRoleIds.standard]);
    const id = randomSnowflake();
    for (let i = 0; i < 30; i++) expect(body(await enforce(reader.id, 'history', target('user', id))).data?.content).toContain(`Enforcement: user ${id}`);
    expect(body(await enforce(reader.id, 'history', target('user', id))).data?.content).toMatch(/^Too many enforcement reads in a short time\. Try again in \d+ minutes?\.$/);
  });
});
