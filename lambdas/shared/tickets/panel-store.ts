import type { Panel, PanelSettings } from './panels';

/** Where a panel's message is (it moves when an admin picks another channel). */
export interface PanelLocation {
  channelId: string;
  channelName: string;
  messageId: string;
}

/**
 * Persistence of panels: `GUILD#<gid>` / `PANEL#<id>` (DESIGN §3). Settings and the message
 * location are written separately, so an admin's edit never overwrites the message id the worker
 * has just recorded, and vice versa.
 */
export interface PanelStore {
  getPanel(guildId: string, panelId: string): Promise<Panel | null>;
  /** Oldest first. */
  listPanels(guildId: string): Promise<Panel[]>;
  /** Saves a new panel; false when the id is taken. */
  createPanel(guildId: string, panel: Panel): Promise<boolean>;
  /** Replaces title, description, color, categories and style; false when the panel is gone. */
  updatePanelSettings(guildId: string, panelId: string, settings: PanelSettings, now: number): Promise<boolean>;
  /** Records the posted message; false when the panel was deleted meanwhile. */
  setPanelMessage(guildId: string, panelId: string, location: PanelLocation): Promise<boolean>;
  /** Deletes the panel and returns what it was (null when there was none). */
  deletePanel(guildId: string, panelId: string): Promise<Panel | null>;
}
