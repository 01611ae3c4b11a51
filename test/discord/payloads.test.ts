import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComponentType } from 'discord-api-types/v10';
import {
  autocompleteInteraction,
  commandInteraction,
  componentInteraction,
  messageContextInteraction,
  modalSubmitInteraction,
  option,
  pingInteraction,
} from '../../local/discord';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/discord', name), 'utf8'));

/** Keys (recursively) with values reduced to "value": the shape, not the data. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  }
  return 'value';
}

/** Compares shapes, treating an empty array as matching any array. */
function expectSameShape(actual: unknown, expected: unknown, path = '$'): void {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    expect([path, Array.isArray(actual)]).toEqual([path, true]);
    expect([path, Array.isArray(expected)]).toEqual([path, true]);
    const a = actual as unknown[];
    const e = expected as unknown[];
    if (a.length && e.length) expectSameShape(a[0], e[0], `${path}[0]`);
    return;
  }
  if (expected && typeof expected === 'object') {
    expect([path, Object.keys(actual as object).sort()]).toEqual([path, Object.keys(expected).sort()]);
    for (const key of Object.keys(expected)) {
      // Maps keyed by ids (authorizing owners, resolved objects) differ in keys by nature.
      if (key === 'authorizing_integration_owners' || key === 'resolved') continue;
      expectSameShape((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return;
  }
  expect([path, typeof actual === 'object' && actual !== null]).toEqual([path, false]);
}

const guild = { id: '1345046958481346613', features: ['COMMUNITY'] };
const user = { id: '1034315047838687264', username: 'ada.lovelace', avatar: '0c901cb92b1ff3d05fc8dac514ee60eb' };

describe('interaction payload builders match real payload shapes', () => {
  it('guild slash command with a subcommand', () => {
    const built = commandInteraction({
      guild,
      user,
      member: { roles: ['1345046958481346619'], nick: 'Ada' },
      name: 'ticket',
      options: [option.subcommand('open', [option.string('subject', 'Cannot log in')])],
    });
    expectSameShape(shape(built), shape(fixture('interaction-command-guild.json')));
    expect(built.authorizing_integration_owners).toEqual({ 0: guild.id });
    expect(built.context).toBe(0);
  });

  it('slash command in a DM with the bot', () => {
    const built = commandInteraction({ guild: null, user, name: 'license', options: [option.subcommand('status')] });
    expectSameShape(shape(built), shape(fixture('interaction-command-dm.json')));
    expect(built.authorizing_integration_owners).toEqual({ 0: '0' });
  });

  it('button press carrying the panel message', () => {
    const built = componentInteraction({ guild, user, customId: 'panel:open:1' });
    const expected = fixture('interaction-button.json');
    expectSameShape(shape(built), shape(expected));
    expect(built.data).toEqual({ component_type: ComponentType.Button, custom_id: 'panel:open:1' });
  });

  it('string select sends its values', () => {
    const built = componentInteraction({ guild, user, customId: 'panel:select', componentType: ComponentType.StringSelect, values: ['billing'] });
    expect(built.data).toEqual({ component_type: ComponentType.StringSelect, custom_id: 'panel:select', values: ['billing'] });
  });

  it('modal submission with label-wrapped text inputs', () => {
    const built = modalSubmitInteraction({ guild, user, customId: 'form:open:1', fields: { subject: 'a', details: 'b' } });
    expectSameShape(shape(built), shape(fixture('interaction-modal-submit.json')));
    expect((built.data.components[1] as any).component).toEqual({ custom_id: 'details', id: 4, type: ComponentType.TextInput, value: 'b' });
  });

  it('legacy action-row modal layout', () => {
    const built = modalSubmitInteraction({ guild, user, customId: 'f', fields: { subject: 'a' }, layout: 'action-row' });
    expect(built.data.components).toEqual([{ components: [{ custom_id: 'subject', id: 2, type: 4, value: 'a' }], id: 1, type: 1 }]);
  });

  it('PING', () => {
    expectSameShape(shape(pingInteraction({ user })), shape(fixture('interaction-ping.json')));
  });

  it('fills resolved data for user, channel and role options', () => {
    const built = commandInteraction({
      guild,
      user,
      name: 'ticket',
      options: [
        option.subcommand('add', [
          option.user('member', { id: '42', username: 'grace' }, { roles: [] }),
          option.channel('channel', { id: '43', name: 'tickets' }),
          option.role('role', { id: '44', name: 'Support' }),
        ]),
      ],
    });
    expect(built.data.options![0]).toEqual({
      name: 'add',
      type: 1,
      options: [
        { name: 'member', type: 6, value: '42' },
        { name: 'channel', type: 7, value: '43' },
        { name: 'role', type: 8, value: '44' },
      ],
    });
    expect(Object.keys(built.data.resolved!.users!)).toEqual(['42']);
    expect(Object.keys(built.data.resolved!.members!)).toEqual(['42']);
    expect(built.data.resolved!.channels!['43'].name).toBe('tickets');
    expect(built.data.resolved!.roles!['44'].name).toBe('Support');
  });

  it('autocomplete marks the focused option; message commands carry their target', () => {
    const auto = autocompleteInteraction({ guild, user, name: 'ticket', options: [option.string('category', 'bil', true)] });
    expect(auto.type).toBe(4);
    expect(auto.data.options[0]).toEqual({ name: 'category', type: 3, value: 'bil', focused: true });
    const target = componentInteraction({ guild, user, customId: 'x' }).message;
    const context = messageContextInteraction({ guild, user, name: 'Report message', target });
    expect(context.data.target_id).toBe(target.id);
    expect(context.data.resolved.messages[target.id]).toBe(target);
  });
});
