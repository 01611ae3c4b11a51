import type { Tier } from './features';
import type { Entitlement, GuildLicense, License, LicenseStatus, LicenseStep } from './model';

/** An audit entry: who changed what, when (kept per month, `AUDIT#<yyyy-mm>`). */
export interface AuditEntry {
  at: number;
  /** `ops:<name>` for the CLI, `discord:<user id>` for a guild admin. */
  actor: string;
  action: string;
  /** What it is about, e.g. `license:<id>`. */
  target: string;
  detail: Record<string, string | number | boolean | null>;
}

export type ActivationResult =
  | { ok: true; license: License; replaced: string | null }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'no_seats'; license: License }
  | { ok: false; reason: 'already_bound'; binding: GuildLicense };

/** Changes ops make to a license; each one is written with every guild's copy in one transaction. */
export interface LicenseChange {
  expiresAt?: number;
  status?: LicenseStatus;
  tier?: Tier;
  seats?: number;
  notes?: string | null;
}

/**
 * Licenses and activations (DESIGN §3: `LICENSE#<sha256(key)>`, `GUILD#<gid>` / `LICENSE`).
 * Seat counts and both directions of an activation change together in one transaction.
 */
export interface LicenseStore {
  get(keyHash: string): Promise<License | null>;
  /** The guild's activation (one GetItem: the gate's read). */
  guildBinding(guildId: string): Promise<GuildLicense | null>;
  boundGuilds(keyHash: string): Promise<Array<{ guildId: string; activatedAt: number; activatedBy: string }>>;

  /**
   * Binds `guildId` to the license and takes a seat, atomically. A guild bound to a license that no
   * longer entitles it (`replaceable`) is moved over, its old seat freed in the same transaction.
   */
  activate(input: { keyHash: string; guildId: string; actor: string; now: number; replaceable: (binding: GuildLicense) => boolean }): Promise<ActivationResult>;
  /** Unbinds the guild and frees its seat; null when it was not bound. */
  deactivate(guildId: string, actor: string, now: number): Promise<{ license: License | null; binding: GuildLicense } | null>;
}

/**
 * What ops and the sweeper do on top (kept out of the interactions λ's bundle): issue, list,
 * change, move seats, and the expiry schedule.
 */
export interface LicenseAdminStore extends LicenseStore {
  /** Stores a new license; false when its hash is taken (a fresh key never collides). */
  issue(license: License, audit: AuditEntry): Promise<boolean>;
  /** By the short id ops use. */
  getById(id: string): Promise<License | null>;
  list(): Promise<License[]>;
  /**
   * Before a removed guild's data is purged (its purge claimed, status `purging`): unbinds it and
   * frees its seat, both halves and the seat count in one transaction. False when there was nothing
   * to free or the guild is no longer being purged (re-added). Safe to repeat.
   */
  releasePurgedGuild(guildId: string, now: number): Promise<boolean>;
  /** Moves a seat from one guild to another (ops). */
  move(keyHash: string, fromGuildId: string, toGuildId: string, audit: AuditEntry): Promise<'moved' | 'not_bound' | 'target_bound'>;
  /** Applies an ops change to the license and every guild's copy; `schedule` is its new due step. */
  update(keyHash: string, change: (current: License) => { change: LicenseChange; schedule: { dueStep: LicenseStep; dueAt: number } | null }, audit: AuditEntry): Promise<License | null>;

  /** Licenses whose next step is due, from the `ByDue` index (never a Scan). */
  dueLicenses(now: number, limit: number): Promise<License[]>;
  /**
   * Records that `run` was done for this expiry and moves to `next` (or out of the index); `expire`
   * also sets status `expired`. Conditional on the step and expiry the sweep saw: false when
   * another sweep or an ops change got there first.
   */
  advance(license: License, run: LicenseStep, next: { step: LicenseStep; at: number } | null, now: number): Promise<boolean>;
}

/** What a guild may use now. The one question every gate asks (tickets today, callouts and AI later). */
export interface Entitlements {
  entitlementFor(guildId: string): Promise<Entitlement>;
  /** The same rules applied to an activation already read (null: none) at `now`. */
  of(binding: GuildLicense | null, now: number): Entitlement;
}

export interface AttemptScope {
  kind: 'guild' | 'user';
  id: string;
}

/** A fixed-window limit on failed attempts at one action, per scope kind. */
export interface AttemptPolicy {
  action: string;
  windowMs: number;
  limits: Record<AttemptScope['kind'], number>;
}

/**
 * Counts failed attempts (e.g. wrong license keys) per guild and per user in fixed windows, kept
 * as items that DynamoDB's TTL removes. An attempt is reserved before it is tried (so parallel
 * attempts cannot all pass one check) and given back when it did not fail.
 */
export interface AttemptLimiter {
  /**
   * Takes one attempt in every scope's current window, each counter only while under its limit
   * (an atomic conditional increment). When any scope is at its limit nothing stays taken and the
   * time that window ends is returned.
   */
  reserve(policy: AttemptPolicy, scopes: AttemptScope[], now: number): Promise<{ ok: true } | { ok: false; blockedUntil: number }>;
  /** Gives back an attempt reserved at `now` (same window) that turned out not to be a failure. */
  giveBack(policy: AttemptPolicy, scopes: AttemptScope[], now: number): Promise<void>;
}
