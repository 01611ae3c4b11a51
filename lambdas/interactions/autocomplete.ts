import type { APIApplicationCommandOptionChoice, APIInteractionResponse } from 'discord-api-types/v10';
import { InteractionResponseType } from '../shared/discord-constants';
import { categoryLabel, findCategory } from '../shared/tickets/categories';
import type { Category } from '../shared/tickets/model';
import type { Outcome } from './types';

/** Discord shows at most 25 suggestions; names and values hold 100 characters. */
const MAX_CHOICES = 25;
const clip = (s: string) => (s.length > 100 ? `${s.slice(0, 99)}…` : s);

/** The answer to an autocomplete interaction. @see https://discord.com/developers/docs/interactions/application-commands#autocomplete */
export function suggest(choices: Array<APIApplicationCommandOptionChoice<string | number>>): Outcome {
  const reply: APIInteractionResponse = { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: choices.slice(0, MAX_CHOICES) as never } };
  return { reply };
}

/** Categories whose name or id contains what was typed; the value is the stable id. */
export function categoryChoices(categories: Category[], typed: string) {
  const t = typed.trim().toLowerCase();
  return categories.filter((c) => c.name.toLowerCase().includes(t) || c.id.includes(t)).map((c) => ({ name: clip(categoryLabel(c)), value: c.id }));
}

/**
 * A comma-separated list of categories, completed one entry at a time: the entries already typed
 * stay, the last one is completed (`billing, gen` → `billing, general`). `all` first.
 */
export function categoryListChoices(categories: Category[], typed: string) {
  const parts = typed.split(',');
  const last = parts.pop()!.trim().toLowerCase();
  const chosen = parts.map((p) => findCategory(categories, p)).filter((c): c is Category => c !== undefined);
  const choices: Array<{ name: string; value: string }> = [];
  if (chosen.length === 0 && 'all'.startsWith(last)) choices.push({ name: 'All categories (new ones included)', value: 'all' });
  for (const c of categories) {
    if (chosen.includes(c) || !(c.name.toLowerCase().includes(last) || c.id.includes(last))) continue;
    const value = [...chosen, c].map((x) => x.id).join(', ');
    if (value.length <= 100) choices.push({ name: clip([...chosen, c].map((x) => x.name).join(', ')), value });
  }
  return choices;
}
