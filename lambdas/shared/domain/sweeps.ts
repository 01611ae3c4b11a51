import type { Clock } from '../clock';
import { safeError } from '../safe-error';
import type { GuildStore } from '../ports/guild-store';
import type { LicenseAdminStore } from '../licensing/ports';
import type { Telemetry } from '../ports/telemetry';
import { guildArchivePrefix } from '../transcripts/archive';

/** One kind of due work the sweeper handles; each reads only its due items from the `ByDue` index. */
export interface Sweep {
  readonly name: string;
  run(now: number): Promise<SweepResult>;
}

export interface SweepResult {
  name: string;
  /** Due items read from the index. */
  due: number;
  /** Items acted on. */
  done: number;
  /** Items that failed (left due, so the next run retries them). */
  failed: number;
  /** Set when the sweep itself could not run (e.g. the index query failed). */
  error?: string;
}

/** How many due items one run takes per sweep; the rest wait for the next run (every few minutes). */
export const SWEEP_BATCH = 100;

export interface PurgeSweepDeps {
  guilds: GuildStore;
  /** A purged guild's license seat is freed, before its data goes. */
  licenses: Pick<LicenseAdminStore, 'releasePurgedGuild'>;
  /** The archive bucket: a purged guild's transcripts and files go too (its data key went with the partition). */
  archive?: { deletePrefix(prefix: string): Promise<number> };
  telemetry: Telemetry;
  log: { error(msg: string, extra: Record<string, unknown>): void };
}

/**
 * Purges guilds removed 30 days ago: every item under `GUILD#<gid>` (enforcement records live
 * under their own keys and are never touched here) and the guild's archive objects, the guild's
 * CONFIG (its due marker) last.
 *
 * Claim, then release the license seat (one transaction, safe to repeat), then delete: a purge that
 * fails at any point leaves the guild `purging` and due, and the next sweep resumes it from the
 * claim — the seat is never left taken by a guild whose data is gone.
 */
export function purgeSweep(deps: PurgeSweepDeps): Sweep {
  return dueSweep(
    'guild-purge',
    (now) => deps.guilds.duePurges(now, SWEEP_BATCH),
    async (guildId, now) => {
      if (!(await deps.guilds.claimPurge(guildId, now))) return false;
      await deps.licenses.releasePurgedGuild(guildId, now);
      // The archive goes after the partition (the data key first: objects are unreadable from then
      // on) and before CONFIG: a failed or unfinished delete leaves the guild due, so it is retried.
      const deleted = await deps.guilds.purge(guildId, now, async () => deps.archive?.deletePrefix(guildArchivePrefix(guildId)));
      if (deleted === null) return false;
      deps.telemetry.capture({ event: 'guild_purged', guildId, properties: { items_deleted: deleted }, at: now });
      return true;
    },
    (guildId, err) => {
      deps.log.error('guild purge failed', { guildId, error: safeError(err) });
      deps.telemetry.captureException(err, guildId);
    },
  );
}

/**
 * A sweep over what one read of the `ByDue` index returns: `due` reads this run's items, `step`
 * acts on each (see {@link sweepEach}), `onError` reports an item that failed and stays due.
 */
export function dueSweep<T>(name: string, due: (now: number) => Promise<T[]>, step: (item: T, now: number) => Promise<boolean>, onError: (item: T, err: unknown) => void): Sweep {
  return {
    name,
    async run(now) {
      return sweepEach(name, await due(now), (item) => step(item, now), onError);
    },
  };
}

/**
 * Runs one sweep's step over its due items. A step answers whether it acted (false: nothing to do,
 * e.g. an overlapping sweep claimed the item first). A failing item is reported to `onError` and
 * left due, so the next run retries it; the other items go on.
 */
export async function sweepEach<T>(name: string, due: T[], step: (item: T) => Promise<boolean>, onError: (item: T, err: unknown) => void): Promise<SweepResult> {
  let done = 0;
  let failed = 0;
  for (const item of due) {
    try {
      if (await step(item)) done++;
    } catch (err) {
      failed++;
      onError(item, err);
    }
  }
  return { name, due: due.length, done, failed };
}

/**
 * Runs every sweep; one failing sweep does not stop the others. A sweep that cannot run at all is
 * reported to `onSweepError` (the sweeper captures it).
 */
export async function runSweeps(sweeps: Sweep[], clock: Clock, onSweepError?: (sweep: Sweep, err: unknown) => void): Promise<SweepResult[]> {
  const now = clock.now();
  const results: SweepResult[] = [];
  for (const sweep of sweeps) {
    try {
      results.push(await sweep.run(now));
    } catch (err) {
      onSweepError?.(sweep, err);
      results.push({ name: sweep.name, due: 0, done: 0, failed: 1, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return results;
}
