import { DEFAULT_CATEGORY_LIMITS, type Category } from '../../lambdas/shared/tickets/model';
import { DEFAULT_PANEL, panelChoiceName, parseCategorySelection, parseColor, renderPanel, validateDescription, validateTitle, type PanelSettings } from '../../lambdas/shared/tickets/panels';

const cat = (id: string, over: Partial<Category> = {}): Category => ({
  id,
  name: id[0].toUpperCase() + id.slice(1),
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
  ...over,
});
const cats = (n: number) => Array.from({ length: n }, (_, i) => cat(`c${i + 1}`));
const panel = (over: Partial<PanelSettings> = {}): PanelSettings => ({ ...DEFAULT_PANEL, categoryIds: null, ...over });
type Row = { type: number; components: Array<{ type: number; custom_id?: string; label?: string; emoji?: unknown; options?: Array<{ value: string; label: string; description?: string }> }> };
const rows = (p: PanelSettings, categories: Category[]) => renderPanel(p, categories).components as unknown as Row[];

describe('panel rendering', () => {
  it('up to 5 categories: one row of buttons dw1:open:<id>, with emoji', () => {
    const body = renderPanel(panel({ title: 'Help', color: 0xff0000 }), [cat('billing', { emoji: '💳' }), cat('general', { emoji: '<:dw:123456789012345678>' })]);
    expect(body.embeds).toEqual([{ title: 'Help', description: DEFAULT_PANEL.description, color: 0xff0000 }]);
    expect(body.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Billing', custom_id: 'dw1:open:billing', emoji: { name: '💳' } },
          { type: 2, style: 1, label: 'General', custom_id: 'dw1:open:general', emoji: { name: 'dw', id: '123456789012345678' } },
        ],
      },
    ]);
    expect(rows(panel(), cats(5))).toHaveLength(1);
  });

  it('more than 5 (auto) or chosen: one select menu dw1:open-select with every category (max 25)', () => {
    const [row] = rows(panel(), cats(6));
    expect(row.components).toHaveLength(1);
    expect(row.components[0]).toMatchObject({ type: 3, custom_id: 'dw1:open-select' });
    expect(row.components[0].options!.map((o) => o.value)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(rows(panel(), cats(30))[0].components[0].options).toHaveLength(25);
    expect(rows(panel({ style: 'select' }), [cat('a', { description: 'About A' })])[0].components[0].options).toEqual([{ label: 'A', value: 'a', description: 'About A' }]);
  });

  it('buttons chosen for many categories: rows of 5, at most 5 rows', () => {
    const r = rows(panel({ style: 'buttons' }), cats(12));
    expect(r.map((x) => x.components.length)).toEqual([5, 5, 2]);
    expect(rows(panel({ style: 'buttons' }), cats(25)).map((x) => x.components.length)).toEqual([5, 5, 5, 5, 5]);
  });

  it('shows the listed categories in their order, skipping deleted ones; none left → a note and no components', () => {
    const r = rows(panel({ categoryIds: ['c3', 'gone', 'c1'] }), cats(3));
    expect(r[0].components.map((b) => b.custom_id)).toEqual(['dw1:open:c3', 'dw1:open:c1']);
    const empty = renderPanel(panel({ categoryIds: ['gone'] }), cats(3));
    expect(empty.components).toEqual([]);
    expect(empty.embeds![0].description).toContain('*No ticket categories are available right now.*');
  });
});

describe('panel settings', () => {
  it('parses colors', () => {
    expect(parseColor('#5865F2')).toBe(0x5865f2);
    expect(parseColor('fff')).toBe(0xffffff);
    expect(() => parseColor('blue')).toThrow('“blue” is not a color: use a hex code like `#5865F2`.');
  });

  it('validates title and description (\\n becomes a line break)', () => {
    expect(validateDescription('Line one\\nLine two')).toBe('Line one\nLine two');
    expect(() => validateTitle('x'.repeat(257))).toThrow('The panel title can have at most 256 characters (it has 257).');
    expect(() => validateDescription(' ')).toThrow('The panel description cannot be empty.');
  });

  it('selects categories by id or name, in order, or all', () => {
    const all = [cat('billing'), cat('general', { name: 'General help' })];
    expect(parseCategorySelection('all', all)).toBeNull();
    expect(parseCategorySelection('general help, billing, billing', all)).toEqual(['general', 'billing']);
    expect(() => parseCategorySelection('billing, nope', all)).toThrow('There is no category “nope”. Use ids or names from `/category list`, separated by commas, or `all`.');
  });

  it('names a panel for menus within 100 characters', () => {
    expect(panelChoiceName({ title: 'Support', channelName: 'help' })).toBe('Support · #help');
    expect(panelChoiceName({ title: 'x'.repeat(200), channelName: 'help' })).toHaveLength(100);
  });
});
