import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { DAY_MS } from '../../lambdas/shared/clock';
import { INVALID_KEY_MESSAGE, TYPO_MESSAGE } from '../../lambdas/shared/licensing/activation';
import { generateLicenseKey } from '../../lambdas/shared/licensing/license-key';
import { issueLocalLicense } from '../../local/licensing';
import { messageContextInteraction, option } from '../../local/discord';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';
import { ticketWork } from '../support/ticket-work';
import { finalReply, runCommand, ticketData } from '../support/tickets';

type Reply = { type: number; data?: { content?: string; flags?: number } };

describe('licensing through signed interactions: /license and the gate on opening tickets', () => {
  let e: E2E;
  let data: ReturnType<typeof ticketData>;
  let t: ReturnType<typeof ticketWork>;
  const NOT_ACTIVATED = 'Deskwire is not activated in this server yet, so Tickets are not available. A server admin can run `/license activate` with a license key.';
  beforeAll(async () => {
    e = await startE2E('licensing', { license: false });
    data = ticketData(e);
    t = ticketWork(e, data);
  });
  afterAll(async () => {
    data.destroy();
    await e.close();
  });

  const license = (sub: string, options: Parameters<typeof option.subcommand>[1] = [], userId = e.world.userId) => runCommand(e, userId, 'license', [option.subcommand(sub, options)]);
  const ephemeral = (res: { body: unknown }) => {
    const body = res.body as Reply;
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    return body.data!.content!;
  };

  it('without a license: setup, help and config work; every way of opening a ticket says how to activate', async () => {
    await t.setup();
    expect(ephemeral((await runCommand(e, e.world.userId, 'help')).res)).toContain('**Deskwire**');
    expect(ephemeral((await runCommand(e, e.world.userId, 'config', [option.subcommand('show')])).res)).toContain('**Ticket settings**');

    const member = t.member();
    expect(ephemeral((await t.ticket(member, e.world.channelId, 'open')).res)).toBe(NOT_ACTIVATED);
    expect(ephemeral((await t.press(member, e.world.channelId, 'dw1:open:general')).res)).toBe(NOT_ACTIVATED);
    expect(ephemeral((await t.submit(member, e.world.channelId, 'dw1:open-form:general', {})).res)).toBe(NOT_ACTIVATED);
    const target = e.discord.postMessage(e.world.channelId, member, { content: 'help me' });
    const menu = messageContextInteraction({ ...e.discord.interactionContext({ guildId: e.world.guild.id, channelId: e.world.channelId, userId: member }), name: 'Open a ticket about this message', target });
    expect(ephemeral(await e.discord.sendInteraction(menu))).toBe(NOT_ACTIVATED);
    // Nothing was reserved.
    expect(await data.store.getTicket(e.world.guild.id, 1)).toBeNull();
    expect(ephemeral((await license('status')).res)).toContain('No license: run `/license activate` with a license key to open tickets.');
  });

  it('/license is for admins; typos, unknown keys and a valid key each get their answer', async () => {
    expect(ephemeral((await license('activate', [option.string('key', generateLicenseKey())], t.member())).res)).toBe('You need the **Manage Server** permission to do that.');
    const { key, license: issued } = await issueLocalLicense(e.stack, { tier: 'standard', seats: 2, days: 30 });
    const typo = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(ephemeral((await license('activate', [option.string('key', typo)])).res)).toBe(TYPO_MESSAGE);
    expect(ephemeral((await license('activate', [option.string('key', generateLicenseKey())])).res)).toBe(INVALID_KEY_MESSAGE);
    const activated = ephemeral((await license('activate', [option.string('key', key.toLowerCase())])).res);
    expect(activated).toContain(`✅ Deskwire is activated in this server: **Standard** license \`${issued.id}\`, valid until <t:${Math.floor(issued.expiresAt / 1000)}:f>`);
    expect(activated).toContain('• Seats: 1 / 2 servers');
    expect(ephemeral((await license('activate', [option.string('key', key)])).res)).toBe('This server already uses that license. `/license status` shows its details.');

    const status = ephemeral((await license('status')).res);
    expect(status).toContain(`• State: Standard license, active until <t:${Math.floor(issued.expiresAt / 1000)}:f> (<t:${Math.floor(issued.expiresAt / 1000)}:R>)`);
    expect(status).toContain('• Seats: 1 / 2 servers');
    expect(status).toContain('• Features here: Tickets, Transcripts');
  });

  it('licensed: tickets open; /status shows the license', async () => {
    const ticket = await t.open(t.member());
    expect(ticket).toMatchObject({ status: 'open', number: 1 });
    const { payload, res } = await runCommand(e, e.world.userId, 'status');
    expect((res.body as Reply).type).toBe(5);
    const report = await finalReply(e, payload.id);
    expect(report.embeds[0].fields).toContainEqual({ name: 'License', value: expect.stringContaining('Standard license, active until'), inline: false });
  });

  it('inside the grace period tickets still open, and the welcome message warns the staff', async () => {
    const expiredAt = Date.now() - DAY_MS;
    await data.db.send(
      new UpdateCommand({ TableName: e.stack.resources.tableName, Key: Keys.guildLicense(e.world.guild.id), UpdateExpression: 'SET expiresAt = :x', ExpressionAttributeValues: { ':x': expiredAt } }),
    );
    const ticket = await t.open(t.member());
    const welcome = t.welcome(ticket);
    expect(JSON.stringify(welcome)).toContain(`license has expired; everything keeps working until the grace period ends <t:${Math.floor((expiredAt + 3 * DAY_MS) / 1000)}:R>`);
    expect(ephemeral((await license('status')).res)).toContain('grace period until');
  });

  it('/license deactivate frees the seat; opening is gated again but existing tickets still close', async () => {
    const open = (await data.store.getTicket(e.world.guild.id, 1))!;
    expect(ephemeral((await license('deactivate')).res)).toMatch(/^Deactivated: this server's seat on license `[0-9a-f]{12}` is free again \(0 \/ 2 seats now used\)\./);
    expect(ephemeral((await t.ticket(t.member(), e.world.channelId, 'open')).res)).toBe(NOT_ACTIVATED);
    expect(ephemeral((await license('deactivate')).res)).toBe('This server has no license to deactivate.');

    const close = await t.ticket(e.world.userId, open.channelId!, 'close');
    expect(ephemeral(close.res)).toBe('Close ticket #0001? Its thread will be locked and archived.');
    const confirm = await t.press(e.world.userId, open.channelId!, 'dw1:close-confirm:1');
    expect((confirm.res.body as Reply).type).toBe(6);
    await eventually(async () => (await data.store.getTicket(e.world.guild.id, 1))?.status === 'closed', 10_000, 'the ticket to close');
  });
});
