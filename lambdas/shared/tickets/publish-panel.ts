import { DiscordActionError, UserError } from '../errors';
import type { DiscordApi } from '../ports/discord';
import { channelLink } from './messages';
import type { PanelStore } from './panel-store';
import { messageLink, panelCategories, panelKind, renderPanel, type Panel } from './panels';
import type { TicketStore } from './ports';

export interface PublishPanelDeps {
  panels: PanelStore;
  tickets: TicketStore;
  discord: DiscordApi;
}

export type PublishAction = 'posted' | 'updated' | 'reposted' | 'moved';

export interface PublishResult {
  panel: Panel;
  action: PublishAction;
  kind: 'buttons' | 'select' | 'none';
  categoryCount: number;
  /** Moving: the old message could not be deleted (no access there any more). */
  oldMessageLeft: boolean;
}

/** Discord JSON codes: Unknown Channel, Unknown Message, Missing Access, Missing Permissions. */
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MESSAGE = 10008;
const NO_ACCESS = [50001, 50013];
const codeOf = (err: unknown) => (err instanceof DiscordActionError ? err.discordCode : undefined);
/** Invalid Form Body: the adapter leaves it unmapped (we sent something wrong), read duck-typed here. */
const isInvalidBody = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 50035;

/** What an admin can do about Discord refusing the panel message in a channel. */
function postingError(err: unknown, channelId: string): unknown {
  const code = codeOf(err);
  if (code !== undefined && NO_ACCESS.includes(code)) {
    return new UserError(`Deskwire cannot post in ${channelLink(channelId)}: give it **View Channel**, **Send Messages** and **Embed Links** there, then try again.`);
  }
  if (code === UNKNOWN_CHANNEL) return new UserError(`${channelLink(channelId)} no longer exists. Pick another channel with \`/panel edit\` (option \`channel\`).`);
  // Everything in the body was validated, except whether a server emoji is usable by the bot.
  if (isInvalidBody(err)) return new UserError('Discord refused the panel message, most likely because of a category emoji from another server. Check the emoji in `/category list` and change it with `/category edit`.');
  return err;
}

/**
 * Posts a panel, or re-renders its message in place (editMessage). A message deleted by hand is
 * posted again and the new id recorded; `moveTo` posts in another channel and then removes the old
 * message. Safe to run again: it always starts from the stored panel.
 *
 * @see https://discord.com/developers/docs/resources/message#edit-message
 */
export async function publishPanel(guildId: string, panelId: string, moveTo: { channelId: string; channelName: string } | null, deps: PublishPanelDeps): Promise<PublishResult> {
  const panel = await deps.panels.getPanel(guildId, panelId);
  if (!panel) throw new UserError('That panel was deleted in the meantime.');
  const categories = await deps.tickets.listCategories(guildId);
  const body = renderPanel(panel, categories);
  const shown = panelCategories(panel, categories).length;
  const summary = { kind: panelKind(panel.style, shown), categoryCount: shown, oldMessageLeft: false };

  let action: PublishAction = moveTo ? 'moved' : 'posted';
  if (panel.messageId && !moveTo) {
    try {
      await deps.discord.editMessage(panel.channelId, panel.messageId, body);
      return { ...summary, panel, action: 'updated' };
    } catch (err) {
      if (codeOf(err) !== UNKNOWN_MESSAGE) throw postingError(err, panel.channelId);
      action = 'reposted';
    }
  }

  const target = moveTo ?? { channelId: panel.channelId, channelName: panel.channelName };
  let messageId: string;
  try {
    messageId = (await deps.discord.postMessage(target.channelId, body)).id;
  } catch (err) {
    throw postingError(err, target.channelId);
  }
  if (!(await deps.panels.setPanelMessage(guildId, panelId, { ...target, messageId }))) {
    await deps.discord.deleteMessage(target.channelId, messageId);
    throw new UserError('That panel was deleted in the meantime.');
  }
  let oldMessageLeft = false;
  if (moveTo && panel.messageId) {
    oldMessageLeft = await deps.discord.deleteMessage(panel.channelId, panel.messageId).then(
      () => false,
      (err: unknown) => {
        if (codeOf(err) !== undefined && NO_ACCESS.includes(codeOf(err)!)) return true;
        throw err;
      },
    );
  }
  return { ...summary, panel: { ...panel, ...target, messageId }, action, oldMessageLeft };
}

/** The admin's line for one published panel. */
export function describePublish(guildId: string, r: PublishResult): string {
  const { panel } = r;
  const link = messageLink(guildId, panel.channelId, panel.messageId!);
  const where = channelLink(panel.channelId);
  const text = {
    posted: `Panel **${panel.title}** posted in ${where}: ${link}`,
    updated: `Panel **${panel.title}** updated in ${where}: ${link}`,
    reposted: `Panel **${panel.title}** re-posted in ${where} (its message had been deleted): ${link}`,
    moved: `Panel **${panel.title}** moved to ${where}: ${link}`,
  }[r.action];
  const notes = [
    r.kind === 'none' ? '⚠️ It offers no category right now, so members cannot open tickets from it: add some with `/panel edit` (option `categories`).' : '',
    r.oldMessageLeft ? '⚠️ Deskwire could not delete the old panel message (no access there any more): delete it by hand.' : '',
  ];
  return [text, ...notes].filter(Boolean).join('\n');
}

/**
 * Removes a deleted panel's message. Already gone is fine; no access any more is reported, since
 * the admin must then delete it by hand.
 */
export async function removePanelMessage(panel: Pick<Panel, 'title' | 'channelId' | 'messageId'>, deps: Pick<PublishPanelDeps, 'discord'>): Promise<string> {
  if (!panel.messageId) return `Panel **${panel.title}** deleted.`;
  try {
    await deps.discord.deleteMessage(panel.channelId, panel.messageId);
    return `Panel **${panel.title}** deleted, and its message removed from ${channelLink(panel.channelId)}.`;
  } catch (err) {
    const code = codeOf(err);
    if (code === undefined || !NO_ACCESS.includes(code)) throw err;
    return `Panel **${panel.title}** deleted. Deskwire could not remove its message in ${channelLink(panel.channelId)} (no access there any more): delete it by hand.`;
  }
}
