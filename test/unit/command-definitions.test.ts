import { COMMANDS } from '../../lambdas/interactions/commands';
import { commandDefinitions, hqCommandDefinitions } from '../../lambdas/interactions/commands/definitions';

/**
 * Discord refuses a whole bulk overwrite when one command breaks its rules, and the emulator only
 * checks the top level: these are the nested rules, checked for every command we register.
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */
type Option = { type: number; name: string; description: string; required?: boolean; options?: Option[]; choices?: Array<{ name: string; value: string | number }> };
type Command = { name: string; description?: string; type?: number; options?: Option[] };

const NAME = /^[-_'\p{Ll}\p{Lm}\p{Lo}\p{N}]{1,32}$/u;
/** Discord's documented cap on name + description + value characters across a command (Sapphire and others use 4000). */
const MAX_COMBINED = 4000;

function problems(command: Command): string[] {
  const found: string[] = [];
  let combined = command.name.length + (command.description ?? '').length;
  const visit = (options: Option[] | undefined, path: string) => {
    if (!options) return;
    if (options.length > 25) found.push(`${path}: more than 25 options`);
    const subs = options.filter((o) => o.type === 1 || o.type === 2);
    if (subs.length && subs.length !== options.length) found.push(`${path}: subcommands mixed with options`);
    let optionalSeen = false;
    for (const o of options) {
      const at = `${path} ${o.name}`;
      combined += o.name.length + o.description.length;
      if (!NAME.test(o.name)) found.push(`${at}: invalid name`);
      if (o.description.length < 1 || o.description.length > 100) found.push(`${at}: description must be 1–100 characters (${o.description.length})`);
      if (o.required) {
        if (optionalSeen) found.push(`${at}: required after optional`);
      } else optionalSeen = true;
      if (o.choices) {
        if (o.choices.length > 25) found.push(`${at}: more than 25 choices`);
        for (const c of o.choices) combined += c.name.length + String(c.value).length;
      }
      if (o.type === 2 && o.options?.some((s) => s.type !== 1)) found.push(`${at}: a group holds subcommands only`);
      visit(o.options, at);
    }
  };
  if ((command.type ?? 1) === 1) {
    if (!NAME.test(command.name)) found.push(`${command.name}: invalid name`);
    if (!command.description || command.description.length > 100) found.push(`${command.name}: description must be 1–100 characters`);
  }
  visit(command.options, `/${command.name}`);
  if (combined > MAX_COMBINED) found.push(`/${command.name}: ${combined} combined characters > ${MAX_COMBINED}`);
  return found;
}

describe('application command definitions', () => {
  it.each([...commandDefinitions(), ...hqCommandDefinitions()].map((c) => [c.name, c] as const))('%s follows Discord’s rules for names, descriptions, order, counts and size', (_name, command) => {
    expect(problems(command as unknown as Command)).toEqual([]);
  });

  it('the problem finder catches what Discord refuses', () => {
    expect(
      problems({
        name: 'Bad',
        description: 'x',
        options: [
          { type: 3, name: 'a', description: 'optional' },
          { type: 3, name: 'b', description: '', required: true },
        ],
      }),
    ).toEqual(['Bad: invalid name', '/Bad b: description must be 1–100 characters (0)', '/Bad b: required after optional']);
  });
});

describe('handlers and registration bodies', () => {
  it('every handler has exactly one registration body with its name, and every body a handler', () => {
    expect([...commandDefinitions(), ...hqCommandDefinitions()].map((d) => d.name).sort()).toEqual([...COMMANDS.keys()].sort());
  });
});
