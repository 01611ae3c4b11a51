/** A guild's install record and settings (item `GUILD#<gid>` / `CONFIG`). */
export interface GuildRecord {
  guildId: string;
  ownerId: string | null;
  /** `purging` while a purge is deleting the guild's items. */
  status: 'installed' | 'removed' | 'purging';
  installedAt: number;
  /** Set while the bot is removed; the purge runs 30 days later unless the bot is re-added. */
  removedAt: number | null;
  purgeAt: number | null;
}

export type InstallOutcome = 'installed' | 'reinstalled' | 'unchanged';

/** Persistence of guild lifecycle records. */
export interface GuildStore {
  get(guildId: string): Promise<GuildRecord | null>;
  /** Which of `guildIds` have Deskwire installed now (BatchGetItem, ≤ 100 keys per call). */
  installedAmong(guildIds: string[]): Promise<Set<string>>;
  /** Ensures an install record exists; clears a pending removal (the bot came back in time). */
  markInstalled(guildId: string, ownerId: string, at: number): Promise<InstallOutcome>;
  /** Records the removal and schedules the purge. Returns false if no install record exists. */
  markRemoved(guildId: string, at: number, purgeAt: number): Promise<boolean>;
  /** Guild ids whose purge is due at `now`, oldest first (index query, never a scan). */
  duePurges(now: number, limit: number): Promise<string[]>;
  /**
   * Claims a due purge (removed → purging, conditional; a purge that crashed left it `purging` and
   * is claimed again). False when the guild was re-added or its purge is not due.
   */
  claimPurge(guildId: string, now: number): Promise<boolean>;
  /**
   * Deletes every item in the guild's partition if the guild is still removed with a due purge
   * (claimed first with a conditional write, so a guild re-added meanwhile keeps its new install
   * record) — except the guild's half of a license activation, which the license store releases
   * together with its seat first. The guild's data key goes first (crypto-shredding), the CONFIG
   * item (the due marker) last, after `beforeConfig` (the archive delete): whatever fails before
   * leaves the guild `purging` and due for the next sweep. Returns the number of items deleted,
   * or null when the guild was not purged.
   */
  purge(guildId: string, now: number, beforeConfig?: () => Promise<unknown>): Promise<number | null>;
}
