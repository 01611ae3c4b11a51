import {
  applyCategoryChanges,
  buildQuestion,
  categoryIdFor,
  componentEmoji,
  describeHours,
  formatDays,
  parseClock,
  parseDays,
  parseSupportHours,
  timeZoneChoices,
  validateEmoji,
  validateNameTemplate,
  validateTimeZone,
  type QuestionInput,
} from '../../lambdas/shared/tickets/categories';
import { DEFAULT_CATEGORY_LIMITS, type Category, type FormQuestion, type GuildSettings } from '../../lambdas/shared/tickets/model';

const GUILD = '100000000000000001';
const settings: GuildSettings = {
  staffRoleIds: ['200000000000000001'],
  mode: 'thread',
  supportChannelId: '300000000000000001',
  ticketCategoryId: null,
  logChannelId: null,
  transcriptChannelId: null,
  openerCanClose: true,
  reopenWindowHours: 24,
  closeDelaySeconds: 10,
  autoCloseHours: null,
  autoCloseWarnHours: 12,
  updatedAt: 0,
};
const base: Category = {
  id: 'billing',
  name: 'Billing',
  emoji: null,
  description: null,
  staffRoleIds: [],
  mode: null,
  parentId: null,
  nameTemplate: 'ticket-{number}',
  questions: [],
  limits: DEFAULT_CATEGORY_LIMITS,
  hours: null,
  createdAt: 0,
};
const apply = (changes: Parameters<typeof applyCategoryChanges>[1], current = base, s = settings) => applyCategoryChanges(current, changes, { guildId: GUILD, settings: s, others: [{ ...base, id: 'general', name: 'General' }] });

describe('category ids', () => {
  it('are the slug of the name, ≤ 20 URL-safe characters, with a random suffix when taken', () => {
    expect(categoryIdFor('Billing & Refunds', new Set())).toBe('billing-refunds');
    expect(categoryIdFor('Café Support', new Set())).toBe('cafe-support');
    expect(categoryIdFor('Общие вопросы', new Set())).toBe('category');
    expect(categoryIdFor('A very long category name indeed', new Set())).toBe('a-very-long-cat');
    let n = 0;
    const id = categoryIdFor('Billing', new Set(['billing', 'billing-aaaa']), () => (n++ < 4 ? 0 : 1));
    expect(id).toBe('billing-bbbb');
    for (const name of ['x'.repeat(100), 'Tech support: hardware & software', '🎫🎫', '---']) {
      const taken = categoryIdFor(name, new Set([categoryIdFor(name, new Set())]));
      expect(taken).toMatch(/^[a-z0-9-]{1,20}$/);
    }
  });
});

describe('emoji', () => {
  it.each(['🎫', '👍🏽', '🇩🇪', '1️⃣', '🏳️‍🌈', '❤️', '<:deskwire:123456789012345678>', '<a:spin:123456789012345678>'])('accepts %s', (e) => expect(validateEmoji(` ${e} `)).toBe(e));
  it.each(['ticket', ':ticket:', '🎫 help', 'a', '<:x:12>', '🎫'.repeat(20)])('refuses %s', (e) => expect(() => validateEmoji(e)).toThrow(/is not an emoji/));
  it('becomes the component emoji object', () => {
    expect(componentEmoji('🎫')).toEqual({ name: '🎫' });
    expect(componentEmoji('<:deskwire:123456789012345678>')).toEqual({ name: 'deskwire', id: '123456789012345678' });
    expect(componentEmoji('<a:spin:123456789012345678>')).toEqual({ name: 'spin', id: '123456789012345678', animated: true });
  });
});

describe('category settings', () => {
  it('validates names: not empty, ≤ 80 characters, unique (case-insensitive)', () => {
    expect(apply({ name: '  New   name ' }).name).toBe('New name');
    expect(() => apply({ name: '  ' })).toThrow('The category name cannot be empty.');
    expect(() => apply({ name: 'x'.repeat(81) })).toThrow('A category name can have at most 80 characters (it has 81).');
    expect(() => apply({ name: 'general' })).toThrow('There is already a category named **General**. Pick another name.');
  });

  it('checks the parent against the mode, and a parent from /setup where none is given', () => {
    expect(apply({ parent: { id: '1', type: 0 } }).parentId).toBe('1');
    expect(() => apply({ parent: { id: '1', type: 4 } })).toThrow('In thread mode the parent must be a text channel (the private threads live under it).');
    expect(() => apply({ mode: 'channel', parent: { id: '1', type: 0 } })).toThrow('In channel mode the parent must be a category (the ticket channels go into it).');
    expect(() => apply({ mode: 'channel' })).toThrow('Channel mode needs a parent and `/setup` has no ticket category: add `parent:` with a category (the ticket channels go into it).');
    expect(apply({ mode: 'channel', parent: { id: '9', type: 4 } })).toMatchObject({ mode: 'channel', parentId: '9' });
    // Switching mode with a parent made for the old one: say what to do.
    const withParent = { ...base, parentId: '1' };
    expect(() => apply({ mode: 'channel' }, withParent, { ...settings, ticketCategoryId: '5' })).toThrow(/Switching to channel mode changes what the parent must be: add `parent:` with a category.*or `clear:parent`/);
    expect(apply({ mode: 'channel', clear: 'parent' }, withParent, { ...settings, ticketCategoryId: '5' })).toMatchObject({ mode: 'channel', parentId: null });
  });

  it('clears one field at a time, and refuses setting and clearing the same one', () => {
    const full = { ...base, emoji: '🎫', description: 'd', staffRoleIds: ['7'], limits: { ...base.limits, totalOpen: 5 } };
    expect(apply({ clear: 'emoji' }, full).emoji).toBeNull();
    expect(apply({ clear: 'staff_roles' }, full).staffRoleIds).toEqual([]);
    expect(apply({ clear: 'total_cap' }, full).limits.totalOpen).toBeNull();
    expect(() => apply({ emoji: '🎫', clear: 'emoji' })).toThrow('You both set and cleared `emoji`: choose one.');
  });

  it('checks staff roles and limits', () => {
    expect(() => apply({ addStaffRole: { id: GUILD } })).toThrow(/@everyone cannot be a staff role/);
    expect(() => apply({ addStaffRole: { id: '8', managed: true } })).toThrow(/belongs to a bot or integration/);
    expect(apply({ addStaffRole: { id: '8' } }).staffRoleIds).toEqual(['8']);
    expect(() => apply({ removeStaffRoleId: '8' })).toThrow("<@&8> is not one of this category's staff roles.");
    expect(apply({ perMember: 3, cooldownMinutes: 30, totalCap: 50 }).limits).toEqual({ perMember: 3, cooldownMinutes: 30, totalOpen: 50 });
    expect(() => apply({ perMember: 0 })).toThrow('`per_member` must be a whole number from 1 to 20.');
    expect(() => apply({ cooldownMinutes: 10081 })).toThrow('`cooldown_minutes` must be a whole number from 0 to 10080.');
    expect(() => apply({ totalCap: 0 })).toThrow('`total_cap` must be a whole number from 1 to 1000.');
  });

  it('checks name templates: known placeholders, one that tells tickets apart', () => {
    expect(validateNameTemplate(' billing-{number} ')).toBe('billing-{number}');
    expect(validateNameTemplate('{username}-{category}')).toBe('{username}-{category}');
    expect(() => validateNameTemplate('ticket-{id}')).toThrow('Unknown placeholder `{id}` in the name template. Use `{number}`, `{username}`, `{category}`.');
    expect(() => validateNameTemplate('support')).toThrow(/needs `\{number\}` or `\{username\}`/);
  });
});

describe('form questions', () => {
  const input = (over: Partial<QuestionInput> = {}): QuestionInput => ({ label: 'Order number', style: 'short', required: true, minLength: null, maxLength: null, placeholder: null, ...over });
  const form = (n: number): FormQuestion[] => Array.from({ length: n }, (_, i) => ({ id: `q${i + 1}`, label: `Q${i + 1}`, style: 'short', required: true }));

  it('builds a question with a fresh id and only the limits given', () => {
    expect(buildQuestion(input({ minLength: 4, maxLength: 12, placeholder: ' A-1234 ' }), [])).toEqual({ id: 'q1', label: 'Order number', style: 'short', required: true, minLength: 4, maxLength: 12, placeholder: 'A-1234' });
    expect(buildQuestion(input({ style: 'paragraph', required: false }), [{ id: 'q2', label: 'x', style: 'short', required: true }])).toEqual({ id: 'q3', label: 'Order number', style: 'paragraph', required: false });
  });

  it('enforces Discord limits: 5 questions, label 45, placeholder 100, lengths 0..4000 with min ≤ max', () => {
    expect(() => buildQuestion(input(), form(5))).toThrow("A form can have at most 5 questions (Discord's limit for a modal). Remove one first with `/category form remove`.");
    expect(buildQuestion(input(), form(4)).id).toBe('q5');
    expect(() => buildQuestion(input({ label: 'x'.repeat(46) }), [])).toThrow('A question label can have at most 45 characters (it has 46).');
    expect(() => buildQuestion(input({ label: ' ' }), [])).toThrow('The question label cannot be empty.');
    expect(() => buildQuestion(input({ placeholder: 'p'.repeat(101) }), [])).toThrow('A placeholder can have at most 100 characters (it has 101).');
    expect(() => buildQuestion(input({ minLength: 4001 }), [])).toThrow('`min_length` must be a whole number from 0 to 4000.');
    expect(() => buildQuestion(input({ maxLength: 0 }), [])).toThrow('`max_length` must be a whole number from 1 to 4000.');
    expect(() => buildQuestion(input({ minLength: 10, maxLength: 5 }), [])).toThrow('`min_length` (10) cannot be more than `max_length` (5).');
    expect(() => buildQuestion(input({ label: 'q1' }), form(1))).toThrow('The form already asks “q1”.');
  });
});

describe('support hours', () => {
  it('parses days: ranges, lists, wrapping ranges, keywords', () => {
    expect(parseDays('mon-fri')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('Mon, Wed,friday')).toEqual([1, 3, 5]);
    expect(parseDays('fri-mon')).toEqual([1, 5, 6, 7]);
    expect(parseDays('weekends')).toEqual([6, 7]);
    expect(parseDays('every day')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(parseDays('1-3, sat')).toEqual([1, 2, 3, 6]);
    expect(parseDays('tues to thu')).toEqual([2, 3, 4]);
    expect(() => parseDays('mo-fr')).toThrow('“mo-fr” is not a day or a range of days. Write e.g. `mon-fri`, `mon,wed,fri` or `every day`.');
    expect(() => parseDays('someday')).toThrow(/is not a day/);
    expect(formatDays([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(formatDays([1, 3, 6, 7])).toBe('Mon, Wed, Sat, Sun');
  });

  it('parses 24-hour times; 24:00 only as an end', () => {
    expect(parseClock('9:00', 'start')).toBe('09:00');
    expect(parseClock('24:00', 'end')).toBe('24:00');
    expect(() => parseClock('24:00', 'start')).toThrow('`start` must be a time like `09:00` or `17:30` (24-hour clock).');
    expect(() => parseClock('9am', 'end')).toThrow(/`end` must be a time like/);
    expect(() => parseClock('12:60', 'start')).toThrow(/must be a time/);
  });

  it('validates time zones with Intl (canonical spelling) and suggests them', () => {
    expect(validateTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(validateTimeZone('UTC')).toBe('UTC');
    expect(() => validateTimeZone('Mars/Olympus')).toThrow('“Mars/Olympus” is not a time zone. Use an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`.');
    expect(timeZoneChoices('new y')).toContain('America/New_York');
    expect(timeZoneChoices('').length).toBe(25);
  });

  it('builds hours and describes them; start and end may not be equal', () => {
    const hours = parseSupportHours({ timeZone: 'Europe/Berlin', days: 'mon-fri', start: '9:00', end: '17:30', outside: 'refuse' });
    expect(hours).toEqual({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30', outside: 'refuse' });
    expect(describeHours(hours)).toBe('Mon–Fri, 09:00–17:30 (Europe/Berlin); outside them members are refused');
    expect(describeHours({ ...hours, start: '22:00', end: '06:00', outside: 'warn' })).toBe('Mon–Fri, 22:00–06:00 (overnight) (Europe/Berlin); outside them members are warned');
    expect(() => parseSupportHours({ timeZone: 'UTC', days: 'mon', start: '10:00', end: '10:00', outside: 'warn' })).toThrow('`start` and `end` are the same time: support would never be open.');
  });
});
