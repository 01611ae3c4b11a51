import { randomInt } from 'node:crypto';
import { ChannelKind } from '../discord-constants';
import { NotFoundError, UserError } from '../errors';
import { categoryLabel, channelLink, roleMention } from './messages';
import { MAX_QUESTIONS, newCategory, type Category, type FormQuestion, type GuildSettings, type SupportHours, type TicketMode } from './model';
import type { TicketStore } from './ports';
import { requireSettings } from './settings';
import { requireStaffRoleCandidate } from './staff';

/**
 * Category administration (`/category`): validation of every field against Discord's limits,
 * stable ids, the form editor and support hours. Every refusal is a `UserError` that names the
 * field and the limit, so an admin can fix the command and run it again.
 */

/** A select menu and autocomplete list show 25 entries: more categories could not all be offered. */
export const MAX_CATEGORIES = 25;
/** A button label holds 80 characters. @see https://discord.com/developers/docs/components/reference#button */
export const CATEGORY_NAME_MAX = 80;
/** A select option's description holds 100. @see https://discord.com/developers/docs/components/reference#string-select-select-option-structure */
export const CATEGORY_DESCRIPTION_MAX = 100;
export const NAME_TEMPLATE_MAX = 90;
export const MAX_CATEGORY_STAFF_ROLES = 10;
/** Text input limits. @see https://discord.com/developers/docs/components/reference#text-input */
export const QUESTION_LABEL_MAX = 45;
export const QUESTION_PLACEHOLDER_MAX = 100;
export const QUESTION_LENGTH_MAX = 4000;
export const LIMIT_RANGES = { perMember: [1, 20], cooldownMinutes: [0, 10080], totalCap: [1, 1000] } as const;

// ---------------------------------------------------------------------------------------------- ids

/**
 * A short, stable, URL-safe id: the name's slug (≤ 15 chars), or the slug plus 4 random characters
 * when taken — at most 20, since ids travel in custom_ids (`dw1:open-form:<id>:<channel>:<message>`
 * must stay within 100). It never changes on rename, so panels and old buttons keep working, and
 * it is never reused: a deleted category's id stays taken (the store keeps a tombstone).
 */
export function categoryIdFor(name: string, taken: ReadonlySet<string>, random: (n: number) => number = randomInt): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 15)
      .replace(/-+$/, '') || 'category';
  if (!taken.has(slug)) return slug;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    const id = `${slug}-${Array.from({ length: 4 }, () => alphabet[random(alphabet.length)]).join('')}`;
    if (!taken.has(id)) return id;
  }
}

/** A category by id (what autocomplete sends) or by name (what an admin may type instead). */
export function findCategory(categories: Category[], value: string): Category | undefined {
  const wanted = value.trim();
  return categories.find((c) => c.id === wanted) ?? categories.find((c) => c.name.toLowerCase() === wanted.toLowerCase());
}

async function requireCategory(tickets: TicketStore, guildId: string, value: string): Promise<Category> {
  const category = (await tickets.getCategory(guildId, value.trim())) ?? findCategory(await tickets.listCategories(guildId), value);
  if (!category) throw new NotFoundError(`There is no category “${value}”. Pick one from the list, or see \`/category list\`.`);
  return category;
}

/** Saves an edit; a category deleted since it was read stays deleted. */
async function saveExisting(tickets: TicketStore, guildId: string, category: Category): Promise<void> {
  if (!(await tickets.saveCategory(guildId, category))) throw new NotFoundError('That category was deleted while you were changing it, so nothing was saved. See `/category list`.');
}

// ---------------------------------------------------------------------------------------------- emoji

const CUSTOM_EMOJI = /^<(a?):(\w{2,32}):(\d{17,20})>$/;
/** One emoji: a pictograph, flag or keycap, with modifiers, variation selectors and ZWJ sequences. */
const UNICODE_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)(?:[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}\u200D\uFE0F\u20E3\u{E0020}-\u{E007F}])*$/u;

/** A unicode emoji (`🎫`) or a custom one as Discord writes it (`<:name:id>`, `<a:name:id>`). */
export function validateEmoji(raw: string): string {
  const emoji = raw.trim();
  if (CUSTOM_EMOJI.test(emoji) || (emoji.length <= 32 && UNICODE_EMOJI.test(emoji))) return emoji;
  throw new UserError(`“${raw}” is not an emoji. Use one emoji such as 🎫, or a server emoji (type \`:\` and pick it).`);
}

/** The emoji object components take. @see https://discord.com/developers/docs/resources/emoji#emoji-object */
export function componentEmoji(emoji: string): { name: string; id?: string; animated?: boolean } {
  const custom = CUSTOM_EMOJI.exec(emoji);
  return custom ? { name: custom[2], id: custom[3], ...(custom[1] ? { animated: true } : {}) } : { name: emoji };
}

// ---------------------------------------------------------------------------------------------- fields

export type ClearableField = 'emoji' | 'description' | 'mode' | 'parent' | 'staff_roles' | 'total_cap';
export const CLEARABLE_FIELDS: readonly ClearableField[] = ['emoji', 'description', 'mode', 'parent', 'staff_roles', 'total_cap'];

/** What `/category create` or `edit` asks for; absent fields are left as they are (or defaulted). */
export interface CategoryChanges {
  name?: string;
  emoji?: string;
  description?: string;
  mode?: TicketMode;
  /** A resolved channel option: its type says whether it fits the mode. */
  parent?: { id: string; type: number };
  addStaffRole?: { id: string; managed?: boolean };
  removeStaffRoleId?: string;
  nameTemplate?: string;
  perMember?: number;
  cooldownMinutes?: number;
  totalCap?: number;
  clear?: ClearableField;
}

function validateName(raw: string, others: Category[]): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name) throw new UserError('The category name cannot be empty.');
  if (name.length > CATEGORY_NAME_MAX) throw new UserError(`A category name can have at most ${CATEGORY_NAME_MAX} characters (it has ${name.length}).`);
  const clash = others.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (clash) throw new UserError(`There is already a category named **${clash.name}**. Pick another name.`);
  return name;
}

function validateDescription(raw: string): string {
  const description = raw.trim();
  if (description.length > CATEGORY_DESCRIPTION_MAX) throw new UserError(`A category description can have at most ${CATEGORY_DESCRIPTION_MAX} characters (it has ${description.length}).`);
  return description;
}

const TEMPLATE_VARIABLES = ['{number}', '{username}', '{category}'];

/** Only the known placeholders, and one that tells tickets apart. */
export function validateNameTemplate(raw: string): string {
  const template = raw.trim();
  if (!template) throw new UserError('The name template cannot be empty.');
  if (template.length > NAME_TEMPLATE_MAX) throw new UserError(`A name template can have at most ${NAME_TEMPLATE_MAX} characters.`);
  const unknown = (template.match(/\{[^}]*\}/g) ?? []).filter((v) => !TEMPLATE_VARIABLES.includes(v));
  if (unknown.length) throw new UserError(`Unknown placeholder ${unknown.map((u) => `\`${u}\``).join(', ')} in the name template. Use ${TEMPLATE_VARIABLES.map((v) => `\`${v}\``).join(', ')}.`);
  if (!template.includes('{number}') && !template.includes('{username}')) {
    throw new UserError('The name template needs `{number}` or `{username}`, so tickets can be told apart (e.g. `billing-{number}`).');
  }
  return template;
}

function inRange(value: number, [min, max]: readonly [number, number], what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UserError(`${what} must be a whole number from ${min} to ${max}.`);
  return value;
}

const PARENT_RULE: Record<TicketMode, { type: number; what: string; fallback: (s: GuildSettings) => string | null; setup: string }> = {
  thread: { type: ChannelKind.GuildText, what: 'a text channel (the private threads live under it)', fallback: (s) => s.supportChannelId, setup: 'support channel' },
  channel: { type: ChannelKind.GuildCategory, what: 'a category (the ticket channels go into it)', fallback: (s) => s.ticketCategoryId, setup: 'ticket category' },
};

/**
 * Applies changes to a category (a new one starts from the defaults) and checks the result as a
 * whole: the parent fits the mode, and a mode without its own parent has one from `/setup`.
 */
export function applyCategoryChanges(current: Category, changes: CategoryChanges, ctx: { guildId: string; settings: GuildSettings; others: Category[] }): Category {
  const { clear } = changes;
  const clearConflict: Partial<Record<ClearableField, unknown>> = {
    emoji: changes.emoji,
    description: changes.description,
    mode: changes.mode,
    parent: changes.parent,
    staff_roles: changes.addStaffRole,
    total_cap: changes.totalCap,
  };
  if (clear && clearConflict[clear] !== undefined) throw new UserError(`You both set and cleared \`${clear}\`: choose one.`);

  const next: Category = { ...current, limits: { ...current.limits }, staffRoleIds: [...current.staffRoleIds] };
  if (changes.name !== undefined) next.name = validateName(changes.name, ctx.others);
  if (changes.emoji !== undefined) next.emoji = validateEmoji(changes.emoji);
  if (changes.description !== undefined) next.description = validateDescription(changes.description) || null;
  if (changes.mode !== undefined) next.mode = changes.mode;
  if (changes.parent !== undefined) next.parentId = changes.parent.id;
  if (changes.nameTemplate !== undefined) next.nameTemplate = validateNameTemplate(changes.nameTemplate);
  if (changes.perMember !== undefined) next.limits.perMember = inRange(changes.perMember, LIMIT_RANGES.perMember, '`per_member`');
  if (changes.cooldownMinutes !== undefined) next.limits.cooldownMinutes = inRange(changes.cooldownMinutes, LIMIT_RANGES.cooldownMinutes, '`cooldown_minutes`');
  if (changes.totalCap !== undefined) next.limits.totalOpen = inRange(changes.totalCap, LIMIT_RANGES.totalCap, '`total_cap`');
  if (changes.addStaffRole) {
    const role = changes.addStaffRole;
    requireStaffRoleCandidate(role, ctx.guildId);
    if (!next.staffRoleIds.includes(role.id)) next.staffRoleIds.push(role.id);
    if (next.staffRoleIds.length > MAX_CATEGORY_STAFF_ROLES) throw new UserError(`A category can have at most ${MAX_CATEGORY_STAFF_ROLES} staff roles of its own.`);
  }
  if (changes.removeStaffRoleId !== undefined) {
    if (!next.staffRoleIds.includes(changes.removeStaffRoleId)) throw new UserError(`${roleMention(changes.removeStaffRoleId)} is not one of this category's staff roles.`);
    next.staffRoleIds = next.staffRoleIds.filter((id) => id !== changes.removeStaffRoleId);
  }
  switch (clear) {
    case 'emoji':
      next.emoji = null;
      break;
    case 'description':
      next.description = null;
      break;
    case 'mode':
      next.mode = null;
      break;
    case 'parent':
      next.parentId = null;
      break;
    case 'staff_roles':
      next.staffRoleIds = [];
      break;
    case 'total_cap':
      next.limits.totalOpen = null;
      break;
  }

  const before = current.mode ?? ctx.settings.mode;
  const mode = next.mode ?? ctx.settings.mode;
  const rule = PARENT_RULE[mode];
  if (changes.parent && changes.parent.type !== rule.type) throw new UserError(`In ${mode} mode the parent must be ${rule.what}.`);
  if (!changes.parent && next.parentId && mode !== before) {
    throw new UserError(`Switching to ${mode} mode changes what the parent must be: add \`parent:\` with ${rule.what}, or \`clear:parent\` to use the one from \`/setup\`.`);
  }
  if (!next.parentId && !rule.fallback(ctx.settings)) {
    throw new UserError(`${mode === 'thread' ? 'Thread' : 'Channel'} mode needs a parent and \`/setup\` has no ${rule.setup}: add \`parent:\` with ${rule.what}.`);
  }
  return next;
}

// ---------------------------------------------------------------------------------------------- use cases

export interface CategoryAdminDeps {
  tickets: TicketStore;
  clock: { now(): number };
  /** Random integer in [0, n): the id suffix when a slug is taken. */
  random?: (n: number) => number;
}

/** `/category create`: a new category with defaults for what is not given. */
export async function createCategory(guildId: string, changes: CategoryChanges & { name: string }, deps: CategoryAdminDeps): Promise<Category> {
  const settings = await requireSettings(deps.tickets, guildId);
  const existing = await deps.tickets.listCategories(guildId);
  if (existing.length >= MAX_CATEGORIES) throw new UserError(`This server already has ${MAX_CATEGORIES} categories, the most a menu can offer. Delete one first.`);
  const blank = newCategory({ name: '', createdAt: deps.clock.now() });
  const category = applyCategoryChanges(blank, { ...changes, clear: undefined }, { guildId, settings, others: existing });
  const taken = new Set(existing.map((c) => c.id));
  for (let attempt = 0; attempt < 5; attempt++) {
    category.id = categoryIdFor(category.name, taken, deps.random);
    // Conditional: two admins creating the same name at once get two ids, never one overwritten;
    // a deleted category's id (its tombstone) is refused too, so the next try takes a suffix.
    if (await deps.tickets.createCategory(guildId, category)) return category;
    taken.add(category.id);
  }
  throw new Error('could not find a free category id');
}

/** `/category edit`: only what is given changes; `visibleChange` when panels show something new. */
export async function editCategory(guildId: string, value: string, changes: CategoryChanges, deps: CategoryAdminDeps): Promise<{ category: Category; visibleChange: boolean }> {
  if (Object.values(changes).every((v) => v === undefined)) throw new UserError('Nothing to change: add at least one option to `/category edit`.');
  const settings = await requireSettings(deps.tickets, guildId);
  const current = await requireCategory(deps.tickets, guildId, value);
  const others = (await deps.tickets.listCategories(guildId)).filter((c) => c.id !== current.id);
  const category = applyCategoryChanges(current, changes, { guildId, settings, others });
  await saveExisting(deps.tickets, guildId, category);
  const visibleChange = category.name !== current.name || category.emoji !== current.emoji || category.description !== current.description;
  return { category, visibleChange };
}

/**
 * `/category delete`: allowed with tickets open in it — they keep working (their rows carry the
 * category id, and closing does not need the category); it just cannot be chosen any more. Its
 * id is never given to another category, so those tickets never count against a new one.
 */
export async function deleteCategory(guildId: string, value: string, deps: CategoryAdminDeps): Promise<Category> {
  const category = await requireCategory(deps.tickets, guildId, value);
  if (!(await deps.tickets.deleteCategory(guildId, category.id, deps.clock.now()))) throw new NotFoundError(`The category **${category.name}** was already deleted.`);
  return category;
}

// ---------------------------------------------------------------------------------------------- form

export interface QuestionInput {
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  minLength: number | null;
  maxLength: number | null;
  placeholder: string | null;
}

/** A new form question, checked against the text input limits and the rest of the form. */
export function buildQuestion(input: QuestionInput, form: FormQuestion[]): FormQuestion {
  if (form.length >= MAX_QUESTIONS) throw new UserError(`A form can have at most ${MAX_QUESTIONS} questions (Discord's limit for a modal). Remove one first with \`/category form remove\`.`);
  const label = input.label.trim();
  if (!label) throw new UserError('The question label cannot be empty.');
  if (label.length > QUESTION_LABEL_MAX) throw new UserError(`A question label can have at most ${QUESTION_LABEL_MAX} characters (it has ${label.length}).`);
  if (form.some((q) => q.label.toLowerCase() === label.toLowerCase())) throw new UserError(`The form already asks “${label}”.`);
  const placeholder = input.placeholder?.trim() || undefined;
  if (placeholder && placeholder.length > QUESTION_PLACEHOLDER_MAX) throw new UserError(`A placeholder can have at most ${QUESTION_PLACEHOLDER_MAX} characters (it has ${placeholder.length}).`);
  const { minLength, maxLength } = input;
  if (minLength !== null) inRange(minLength, [0, QUESTION_LENGTH_MAX], '`min_length`');
  if (maxLength !== null) inRange(maxLength, [1, QUESTION_LENGTH_MAX], '`max_length`');
  if (minLength !== null && maxLength !== null && minLength > maxLength) throw new UserError(`\`min_length\` (${minLength}) cannot be more than \`max_length\` (${maxLength}).`);
  const used = new Set(form.map((q) => q.id));
  let n = form.length + 1;
  while (used.has(`q${n}`)) n++;
  return {
    id: `q${n}`,
    label,
    style: input.style,
    required: input.required,
    ...(minLength !== null ? { minLength } : {}),
    ...(maxLength !== null ? { maxLength } : {}),
    ...(placeholder ? { placeholder } : {}),
  };
}

/** `/category form add`: appends a question. */
export async function addQuestion(guildId: string, value: string, input: QuestionInput, deps: CategoryAdminDeps): Promise<Category> {
  const category = await requireCategory(deps.tickets, guildId, value);
  const next = { ...category, questions: [...category.questions, buildQuestion(input, category.questions)] };
  await saveExisting(deps.tickets, guildId, next);
  return next;
}

/** `/category form remove`: by position (1-based, as the form lists them). */
export async function removeQuestion(guildId: string, value: string, position: number, deps: CategoryAdminDeps): Promise<{ category: Category; removed: FormQuestion }> {
  const category = await requireCategory(deps.tickets, guildId, value);
  const removed = category.questions[position - 1];
  if (!Number.isInteger(position) || !removed) {
    throw new UserError(category.questions.length ? `**${categoryLabel(category)}** has questions 1 to ${category.questions.length}; there is no question ${position}.` : `**${categoryLabel(category)}** has no form questions.`);
  }
  const next = { ...category, questions: category.questions.filter((q) => q !== removed) };
  await saveExisting(deps.tickets, guildId, next);
  return { category: next, removed };
}

/** `/category form clear`: tickets open without a form. */
export async function clearForm(guildId: string, value: string, deps: CategoryAdminDeps): Promise<Category> {
  const category = await requireCategory(deps.tickets, guildId, value);
  const next = { ...category, questions: [] };
  await saveExisting(deps.tickets, guildId, next);
  return next;
}

export function describeQuestion(q: FormQuestion, position: number): string {
  const length =
    q.minLength !== undefined && q.maxLength !== undefined
      ? `${q.minLength}–${q.maxLength} characters`
      : q.minLength !== undefined
        ? `at least ${q.minLength} characters`
        : q.maxLength !== undefined
          ? `at most ${q.maxLength} characters`
          : null;
  const details = [q.style, q.required ? 'required' : 'optional', length, q.placeholder ? `placeholder “${q.placeholder}”` : null].filter(Boolean).join(', ');
  return `${position}. **${q.label}** — ${details}`;
}

// ---------------------------------------------------------------------------------------------- hours

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `1`…`7`, or a day name shortened to 3 letters or more (`mon`, `tues`, `thursday`). */
function dayNumber(token: string): number | null {
  const t = token.trim().toLowerCase();
  if (/^[1-7]$/.test(t)) return Number(t);
  const i = t.length >= 3 ? DAY_NAMES.findIndex((d) => d.startsWith(t)) : -1;
  return i >= 0 ? i + 1 : null;
}

/**
 * ISO weekdays (1 = Mon … 7 = Sun) from `mon-fri`, `mon,wed,fri`, `sat-sun`, `fri-mon` (wraps),
 * `weekdays`, `weekends` or `every day`.
 */
export function parseDays(raw: string): number[] {
  const text = raw.trim().toLowerCase();
  if (['every day', 'everyday', 'daily', 'all'].includes(text)) return [1, 2, 3, 4, 5, 6, 7];
  if (text === 'weekdays') return [1, 2, 3, 4, 5];
  if (text === 'weekends' || text === 'weekend') return [6, 7];
  const days = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = part.split(/\s*(?:-|–|to)\s*/);
    const ends = range.map(dayNumber);
    if (ends.some((d) => d === null) || ends.length > 2) {
      throw new UserError(`“${part}” is not a day or a range of days. Write e.g. \`mon-fri\`, \`mon,wed,fri\` or \`every day\`.`);
    }
    const [from, to = from] = ends as number[];
    for (let d = from; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === to) break;
    }
  }
  if (days.size === 0) throw new UserError('Give the days support is open, e.g. `mon-fri`.');
  return [...days].sort((a, b) => a - b);
}

/** `mon-fri` style, for replies. */
export function formatDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'every day';
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    runs.push(j - i >= 2 ? `${DAY_LABELS[sorted[i] - 1]}–${DAY_LABELS[sorted[j] - 1]}` : sorted.slice(i, j + 1).map((d) => DAY_LABELS[d - 1]).join(', '));
    i = j + 1;
  }
  return runs.join(', ');
}

/** `9:00` → `09:00`; `24:00` is allowed as an end ("until midnight"). */
export function parseClock(raw: string, what: 'start' | 'end'): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  const hh = m ? Number(m[1]) : NaN;
  const mm = m ? Number(m[2]) : NaN;
  const ok = m && mm < 60 && (hh < 24 || (what === 'end' && hh === 24 && mm === 0));
  if (!ok) throw new UserError(`\`${what}\` must be a time like \`09:00\` or \`17:30\` (24-hour clock)${what === 'end' ? '; `24:00` means midnight' : ''}.`);
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/** An IANA time zone the platform knows (`Europe/Berlin`), in its canonical spelling. */
export function validateTimeZone(raw: string): string {
  const tz = raw.trim();
  try {
    if (!tz) throw new RangeError('empty');
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new UserError(`“${raw}” is not a time zone. Use an IANA name such as \`Europe/Berlin\`, \`America/New_York\` or \`UTC\`.`);
  }
}

/** Time zone names containing what the admin typed (autocomplete shows 25). */
export function timeZoneChoices(typed: string): string[] {
  const all = ['UTC', ...Intl.supportedValuesOf('timeZone')];
  const t = typed.trim().toLowerCase().replace(/ /g, '_');
  return all.filter((z) => z.toLowerCase().includes(t)).slice(0, 25);
}

export function parseSupportHours(input: { timeZone: string; days: string; start: string; end: string; outside: 'warn' | 'refuse' }): SupportHours {
  const start = parseClock(input.start, 'start');
  const end = parseClock(input.end, 'end');
  if (start === end) throw new UserError('`start` and `end` are the same time: support would never be open.');
  return { timeZone: validateTimeZone(input.timeZone), days: parseDays(input.days), start, end, outside: input.outside };
}

/** `/category hours set` or `clear` (null). */
export async function setHours(guildId: string, value: string, hours: SupportHours | null, deps: CategoryAdminDeps): Promise<Category> {
  const category = await requireCategory(deps.tickets, guildId, value);
  const next = { ...category, hours };
  await saveExisting(deps.tickets, guildId, next);
  return next;
}

export function describeHours(hours: SupportHours | null): string {
  if (!hours) return 'always open';
  const overnight = hours.end <= hours.start ? ' (overnight)' : '';
  return `${formatDays(hours.days)}, ${hours.start}–${hours.end}${overnight} (${hours.timeZone}); outside them members are ${hours.outside === 'refuse' ? 'refused' : 'warned'}`;
}

// ---------------------------------------------------------------------------------------------- display

export { categoryLabel };

/** One line per setting, as `/category list` and the replies show them. */
export function describeCategory(c: Category, settings: GuildSettings | null): string[] {
  const mode = c.mode ?? settings?.mode ?? 'thread';
  const parent = c.parentId ?? (mode === 'thread' ? settings?.supportChannelId : settings?.ticketCategoryId) ?? null;
  const where = `${mode === 'thread' ? 'private threads under' : 'channels in'} ${parent ? channelLink(parent) : '(no parent)'}`;
  const inherited = [c.mode === null ? 'mode' : null, c.parentId === null ? 'parent' : null].filter(Boolean);
  const staff = [...(settings?.staffRoleIds ?? []), ...c.staffRoleIds.filter((r) => !settings?.staffRoleIds.includes(r))];
  const { perMember, cooldownMinutes, totalOpen } = c.limits;
  return [
    ...(c.description ? [`*${c.description}*`] : []),
    `• Mode: ${where}${inherited.length ? ` (${inherited.join(' and ')} from /setup)` : ''}`,
    `• Staff: ${staff.length ? staff.map(roleMention).join(', ') : 'none'}`,
    `• Names: \`${c.nameTemplate}\``,
    `• Limits: ${perMember} open per member · ${cooldownMinutes ? `${cooldownMinutes} min cooldown` : 'no cooldown'} · ${totalOpen === null ? 'no total cap' : `at most ${totalOpen} open`}`,
    `• Form: ${c.questions.length ? `${c.questions.length} question${c.questions.length === 1 ? '' : 's'} (${c.questions.map((q) => `${q.label}${q.required ? '*' : ''}`).join(', ')})` : 'none'}`,
    `• Hours: ${describeHours(c.hours)}`,
  ];
}
