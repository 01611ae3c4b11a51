import type { APIApplicationCommand } from 'discord-api-types/v10';
import { commandDefinitions } from '../../lambdas/interactions/commands/definitions';
import { startDiscordEmulator, type DiscordEmulator } from '../../local/discord';
import { optionsFrom } from '../../local/sandbox-drive';

const definition = (name: string) => commandDefinitions().find((c) => c.name === name) as unknown as APIApplicationCommand;
/** The options as the interaction carries them (name, type, value), without the resolved data. */
const sent = (options: unknown[]) => (options as Array<{ name: string; type: number; value?: unknown }>).map(({ name, type, value }) => ({ name, type, value }));

describe('the sandbox driver types options by the registered command definitions', () => {
  let emulator: DiscordEmulator;
  let guildId: string;
  let memberId: string;
  let roleId: string;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
    const guild = emulator.createGuild({ name: 'Sandbox' });
    guildId = guild.id;
    memberId = emulator.addMember(guildId, { username: 'member' }).user!.id;
    roleId = emulator.createRole(guildId, { name: 'Support' }).id;
  });
  afterAll(() => emulator.close());

  it('a value is typed by the option it fills, never by its JSON type', () => {
    // A reason that looks like a number is still text; a number given as text fills an integer option.
    expect(sent(optionsFrom(emulator, guildId, definition('ticket'), 'close', { reason: 42 }))).toEqual([{ name: 'reason', type: 3, value: '42' }]);
    expect(sent(optionsFrom(emulator, guildId, definition('ticket'), 'reopen', { number: '7' }))).toEqual([{ name: 'number', type: 4, value: 7 }]);
    expect(sent(optionsFrom(emulator, guildId, definition('config'), 'tickets', { close_delay_seconds: 0, opener_can_close: 'false' }))).toEqual([
      { name: 'close_delay_seconds', type: 4, value: 0 },
      { name: 'opener_can_close', type: 5, value: false },
    ]);
    // Users and roles, as a mention or a bare id, come with Discord's resolved data.
    const [user] = optionsFrom(emulator, guildId, definition('ticket'), 'add', { member: memberId });
    expect(user).toMatchObject({ name: 'member', type: 6, value: memberId });
    expect(optionsFrom(emulator, guildId, definition('ticket'), 'add_role', { role: `<@&${roleId}>` })[0]).toMatchObject({ name: 'role', type: 8, value: roleId });
  });

  it('an option the command does not have, or a value that does not fit, is refused with what it takes', () => {
    expect(() => optionsFrom(emulator, guildId, definition('ticket'), 'close', { why: 'done' })).toThrow('/ticket close has no option "why"; it takes: reason.');
    expect(() => optionsFrom(emulator, guildId, definition('ticket'), 'reopen', { number: 'seven' })).toThrow('Option "number" of /ticket reopen must be a whole number.');
    expect(() => optionsFrom(emulator, guildId, definition('ticket'), 'reopen', { number: 1.5 })).toThrow('must be a whole number');
    expect(() => optionsFrom(emulator, guildId, definition('config'), 'tickets', { opener_can_close: 'maybe' })).toThrow('must be true or false');
    expect(() => optionsFrom(emulator, guildId, definition('ticket'), 'add', { member: `<@&${roleId}>` })).toThrow(`Option "member": no user ${roleId} in the sandbox.`);
    expect(() => optionsFrom(emulator, guildId, definition('ticket'), 'shout', {})).toThrow('/ticket has no subcommand "shout".');
  });
});
