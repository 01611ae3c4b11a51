import type { APIEmbed } from 'discord-api-types/v10';
import { buildCustomId } from '../custom-id';
import { UserError } from '../errors';
import type { MessageBody } from '../ports/discord';
import { componentEmoji, findCategory } from './categories';
import type { Category } from './model';
import type { PanelStore } from './panel-store';

/**
 * Panels: a message in a channel whose buttons or select menu open tickets. The components use
 * the opening actions (`dw1:open:<category>`, `dw1:open-select`), so a panel needs no state of its
 * own at click time. Plain data and pure functions; posting is the worker's (`publish-panel.ts`).
 */

/** `auto`: buttons for up to 5 categories (one row), a select menu beyond. */
export type PanelStyle = 'auto' | 'buttons' | 'select';
export const PANEL_STYLES: readonly PanelStyle[] = ['auto', 'buttons', 'select'];

/** What an admin chooses; the rest of a panel is where it was posted. */
export interface PanelSettings {
  title: string;
  description: string;
  color: number;
  /** Categories offered, in this order; null = every category of the server, in creation order. */
  categoryIds: string[] | null;
  style: PanelStyle;
}

export interface Panel extends PanelSettings {
  id: string;
  channelId: string;
  /** The channel's name when it was chosen, for lists and autocomplete (no REST on the 3-second path). */
  channelName: string;
  /** Null until the worker has posted it. */
  messageId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Discord's caps: a select menu holds 25 options, a message 5 rows of 5 buttons. */
export const MAX_PANEL_CATEGORIES = 25;
export const MAX_PANELS = 25;
const BUTTONS_PER_ROW = 5;
/** Embed limits. @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
export const PANEL_TITLE_MAX = 256;
export const PANEL_DESCRIPTION_MAX = 4000;

export const DEFAULT_PANEL: Pick<PanelSettings, 'title' | 'description' | 'color' | 'style'> = {
  title: 'Support tickets',
  description: 'Choose what your ticket is about below: a private ticket opens for you and the staff.',
  color: 0x5865f2,
  style: 'auto',
};

/** A short random panel id (URL-safe; admins pick panels by title through autocomplete). */
export function newPanelId(random: (n: number) => number = (n) => Math.floor(Math.random() * n)): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 6 }, () => alphabet[random(alphabet.length)]).join('');
}

export function validateTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw new UserError('The panel title cannot be empty.');
  if (title.length > PANEL_TITLE_MAX) throw new UserError(`The panel title can have at most ${PANEL_TITLE_MAX} characters (it has ${title.length}).`);
  return title;
}

/** Slash-command text has no line breaks, so `\n` typed by the admin becomes one. */
export function validateDescription(raw: string): string {
  const description = raw.replace(/\\n/g, '\n').trim();
  if (!description) throw new UserError('The panel description cannot be empty.');
  if (description.length > PANEL_DESCRIPTION_MAX) throw new UserError(`The panel description can have at most ${PANEL_DESCRIPTION_MAX} characters (it has ${description.length}).`);
  return description;
}

/** `#5865F2`, `5865f2` or `#fff` → 0x5865f2. */
export function parseColor(raw: string): number {
  const hex = raw.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) return parseInt([...hex].map((c) => c + c).join(''), 16);
  if (/^[0-9a-f]{6}$/i.test(hex)) return parseInt(hex, 16);
  throw new UserError(`“${raw}” is not a color: use a hex code like \`#5865F2\`.`);
}

export const formatColor = (color: number) => `#${color.toString(16).padStart(6, '0').toUpperCase()}`;

/**
 * `all` (every category, new ones included), or category ids / names separated by commas, in
 * the order the panel shows them.
 */
export function parseCategorySelection(raw: string, categories: Category[]): string[] | null {
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0].toLowerCase() === 'all')) return null;
  const ids: string[] = [];
  for (const part of parts) {
    const category = findCategory(categories, part);
    if (!category) throw new UserError(`There is no category “${part}”. Use ids or names from \`/category list\`, separated by commas, or \`all\`.`);
    if (!ids.includes(category.id)) ids.push(category.id);
  }
  if (ids.length > MAX_PANEL_CATEGORIES) throw new UserError(`A panel can offer at most ${MAX_PANEL_CATEGORIES} categories (Discord's limit for a menu).`);
  return ids;
}

/** The categories a panel offers right now: its list (deleted ones skipped) or all of them. */
export function panelCategories(panel: Pick<PanelSettings, 'categoryIds'>, categories: Category[]): Category[] {
  if (panel.categoryIds === null) return categories.slice(0, MAX_PANEL_CATEGORIES);
  const byId = new Map(categories.map((c) => [c.id, c]));
  return panel.categoryIds.flatMap((id) => byId.get(id) ?? []).slice(0, MAX_PANEL_CATEGORIES);
}

/** Does this panel show the category (so a change to it must re-render the panel)? */
export const panelShows = (panel: Pick<PanelSettings, 'categoryIds'>, categoryId: string) => panel.categoryIds === null || panel.categoryIds.includes(categoryId);

/** Buttons or select for `count` categories. */
export function panelKind(style: PanelStyle, count: number): 'buttons' | 'select' | 'none' {
  if (count === 0) return 'none';
  if (style === 'select') return 'select';
  if (style === 'buttons') return 'buttons';
  return count <= BUTTONS_PER_ROW ? 'buttons' : 'select';
}

/**
 * The panel message: an embed, then one button per category (up to 5 per row) or one select
 * menu. With no category left it says so and carries no components (an edit must send
 * `components: []` to remove old ones).
 *
 * @see https://discord.com/developers/docs/components/reference#button
 * @see https://discord.com/developers/docs/components/reference#string-select
 */
export function renderPanel(panel: PanelSettings, categories: Category[]): MessageBody {
  const shown = panelCategories(panel, categories);
  const kind = panelKind(panel.style, shown.length);
  const embed: APIEmbed = {
    title: panel.title,
    description: kind === 'none' ? `${panel.description}\n\n*No ticket categories are available right now.*` : panel.description,
    color: panel.color,
  };
  let components: NonNullable<MessageBody['components']> = [];
  if (kind === 'buttons') {
    for (let i = 0; i < shown.length; i += BUTTONS_PER_ROW) {
      components.push({
        type: 1,
        components: shown.slice(i, i + BUTTONS_PER_ROW).map((c) => ({
          type: 2 as const,
          style: 1 as const,
          label: c.name,
          custom_id: buildCustomId('open', c.id),
          ...(c.emoji ? { emoji: componentEmoji(c.emoji) } : {}),
        })),
      });
    }
  } else if (kind === 'select') {
    components = [
      {
        type: 1,
        components: [
          {
            type: 3,
            custom_id: buildCustomId('open-select'),
            placeholder: 'Choose what your ticket is about',
            options: shown.map((c) => ({
              label: c.name,
              value: c.id,
              ...(c.description ? { description: c.description } : {}),
              ...(c.emoji ? { emoji: componentEmoji(c.emoji) } : {}),
            })),
          },
        ],
      },
    ];
  }
  return { embeds: [embed], components, allowed_mentions: { parse: [] } };
}

/** A panel picked by id (autocomplete) or by its exact title. */
export function findPanel(panels: Panel[], value: string): Panel | undefined {
  const wanted = value.trim().toLowerCase();
  return panels.find((p) => p.id === value.trim()) ?? panels.find((p) => p.title.toLowerCase() === wanted);
}

/** How an admin recognises a panel in a menu: `Support tickets · #support` (≤ 100 chars). */
export const panelChoiceName = (panel: Pick<Panel, 'title' | 'channelName'>) => {
  const where = ` · #${panel.channelName}`;
  return (panel.title.length + where.length > 100 ? `${panel.title.slice(0, 99 - where.length)}…` : panel.title) + where;
};

/** `https://discord.com/channels/<guild>/<channel>/<message>`. */
export const messageLink = (guildId: string, channelId: string, messageId: string) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

/**
 * After a category was created, changed (name, emoji, description) or deleted: the posted panels
 * whose message must be re-rendered. A deleted category is also dropped from the panels that
 * list it, so a later category with the same id does not reappear on them unasked.
 */
export async function panelsAfterCategoryChange(
  guildId: string,
  change: { categoryId: string; kind: 'created' | 'changed' | 'deleted' },
  deps: { panels: PanelStore; clock: { now(): number } },
): Promise<Panel[]> {
  const panels = await deps.panels.listPanels(guildId);
  const affected = panels.filter((p) => (change.kind === 'created' ? p.categoryIds === null : panelShows(p, change.categoryId)));
  if (change.kind === 'deleted') {
    for (const p of affected) {
      if (p.categoryIds === null) continue;
      const categoryIds = p.categoryIds.filter((id) => id !== change.categoryId);
      await deps.panels.updatePanelSettings(guildId, p.id, { title: p.title, description: p.description, color: p.color, style: p.style, categoryIds }, deps.clock.now());
    }
  }
  return affected.filter((p) => p.messageId !== null);
}
