import { DiscordActionError, UserError } from '../../lambdas/shared/errors';
import type { DiscordApi, MessageBody } from '../../lambdas/shared/ports/discord';
import { DEFAULT_CATEGORY_LIMITS, type Category } from '../../lambdas/shared/tickets/model';
import type { PanelLocation, PanelStore } from '../../lambdas/shared/tickets/panel-store';
import { DEFAULT_PANEL, type Panel } from '../../lambdas/shared/tickets/panels';
import type { TicketStore } from '../../lambdas/shared/tickets/ports';
import { describePublish, publishPanel, removePanelMessage } from '../../lambdas/shared/tickets/publish-panel';

const G = '1';
const category: Category = { id: 'general', name: 'General', emoji: null, description: null, staffRoleIds: [], mode: null, parentId: null, nameTemplate: 'ticket-{number}', questions: [], limits: DEFAULT_CATEGORY_LIMITS, hours: null, createdAt: 0 };
const discordError = (code: number) => new DiscordActionError(`code ${code}`, code);

/** In-memory stores and a scripted Discord: what the publisher decides, without a network. */
function world(panel: Partial<Panel> = {}) {
  const panels = new Map<string, Panel>([['p1', { id: 'p1', channelId: '10', channelName: 'support', messageId: null, ...DEFAULT_PANEL, categoryIds: null, createdAt: 0, updatedAt: 0, ...panel }]]);
  const calls: string[] = [];
  const failures: Record<string, unknown> = {};
  const step = (name: string) => {
    calls.push(name);
    if (failures[name]) throw failures[name];
  };
  const discord = {
    async postMessage(channelId: string, _body: MessageBody) {
      step(`post ${channelId}`);
      return { id: `m${calls.length}` };
    },
    async editMessage(channelId: string, messageId: string) {
      step(`edit ${channelId}/${messageId}`);
    },
    async deleteMessage(channelId: string, messageId: string) {
      step(`delete ${channelId}/${messageId}`);
    },
  } as unknown as DiscordApi;
  const store: PanelStore = {
    getPanel: async (_g, id) => panels.get(id) ?? null,
    listPanels: async () => [...panels.values()],
    createPanel: async () => true,
    updatePanelSettings: async () => true,
    setPanelMessage: async (_g, id, at: PanelLocation) => {
      const p = panels.get(id);
      if (!p) return false;
      panels.set(id, { ...p, ...at });
      return true;
    },
    deletePanel: async (_g, id) => panels.get(id) ?? null,
  };
  const tickets = { listCategories: async () => [category] } as unknown as TicketStore;
  return { deps: { panels: store, tickets, discord }, panels, calls, failures };
}

describe('publishing a panel', () => {
  it('posts a new panel and records where', async () => {
    const w = world();
    const r = await publishPanel(G, 'p1', null, w.deps);
    expect(r).toMatchObject({ action: 'posted', kind: 'buttons', categoryCount: 1 });
    expect(w.calls).toEqual(['post 10']);
    expect(w.panels.get('p1')).toMatchObject({ channelId: '10', messageId: 'm1' });
    expect(describePublish(G, r)).toBe('Panel **Support tickets** posted in <#10>: https://discord.com/channels/1/10/m1');
  });

  it('edits the posted message in place; re-posts when it was deleted (10008)', async () => {
    const w = world({ messageId: 'old' });
    expect((await publishPanel(G, 'p1', null, w.deps)).action).toBe('updated');
    w.failures['edit 10/old'] = discordError(10008);
    const r = await publishPanel(G, 'p1', null, w.deps);
    expect(r.action).toBe('reposted');
    expect(w.calls).toEqual(['edit 10/old', 'edit 10/old', 'post 10']);
    expect(w.panels.get('p1')!.messageId).toBe('m3');
  });

  it('turns Discord refusals into what the admin can fix', async () => {
    for (const [code, message] of [
      [50013, 'Deskwire cannot post in <#10>: give it **View Channel**, **Send Messages** and **Embed Links** there, then try again.'],
      [50001, 'Deskwire cannot post in <#10>: give it **View Channel**, **Send Messages** and **Embed Links** there, then try again.'],
      [10003, '<#10> no longer exists. Pick another channel with `/panel edit` (option `channel`).'],
    ] as const) {
      const w = world();
      w.failures['post 10'] = discordError(code);
      await expect(publishPanel(G, 'p1', null, w.deps)).rejects.toEqual(new UserError(message));
    }
    const w = world();
    w.failures['post 10'] = Object.assign(new Error('Invalid Form Body'), { code: 50035 });
    await expect(publishPanel(G, 'p1', null, w.deps)).rejects.toThrow(/most likely because of a category emoji from another server/);
    const other = world();
    other.failures['post 10'] = new Error('socket hang up');
    await expect(publishPanel(G, 'p1', null, other.deps)).rejects.toThrow('socket hang up');
  });

  it('moves to another channel, then removes the old message (or says it could not)', async () => {
    const w = world({ messageId: 'old' });
    w.failures['delete 10/old'] = discordError(50001);
    const r = await publishPanel(G, 'p1', { channelId: '20', channelName: 'help' }, w.deps);
    expect(w.calls).toEqual(['post 20', 'delete 10/old']);
    expect(w.panels.get('p1')).toMatchObject({ channelId: '20', channelName: 'help', messageId: 'm1' });
    expect(describePublish(G, r)).toBe(
      'Panel **Support tickets** moved to <#20>: https://discord.com/channels/1/20/m1\n⚠️ Deskwire could not delete the old panel message (no access there any more): delete it by hand.',
    );
  });

  it('a panel deleted meanwhile: its fresh message is removed again', async () => {
    const w = world();
    w.deps.panels.setPanelMessage = async () => false;
    await expect(publishPanel(G, 'p1', null, w.deps)).rejects.toThrow('That panel was deleted in the meantime.');
    expect(w.calls).toEqual(['post 10', 'delete 10/m1']);
  });

  it('a panel with no category left says so', async () => {
    const w = world({ categoryIds: ['gone'] });
    expect(describePublish(G, await publishPanel(G, 'p1', null, w.deps))).toContain('⚠️ It offers no category right now');
  });

  it('deleting: the message is removed, or the admin is told to remove it by hand', async () => {
    const w = world();
    expect(await removePanelMessage({ title: 'Help', channelId: '10', messageId: 'm' }, w.deps)).toBe('Panel **Help** deleted, and its message removed from <#10>.');
    w.failures['delete 10/m'] = discordError(50013);
    expect(await removePanelMessage({ title: 'Help', channelId: '10', messageId: 'm' }, w.deps)).toBe('Panel **Help** deleted. Deskwire could not remove its message in <#10> (no access there any more): delete it by hand.');
  });
});
