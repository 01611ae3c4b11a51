import { DAY_MS, type Clock } from '../clock';
import { NotFoundError, UserError } from '../errors';
import { isTier, TIERS, type Tier } from './features';
import { generateLicenseKey, hashLicenseKey, licenseIdOf, parseLicenseKey } from './license-key';
import { MAX_SEATS, scheduleFrom, type License, type LicenseStatus } from './model';
import type { AuditEntry, LicenseAdminStore } from './ports';

/**
 * What ops do to licenses (`npm run ops -- license …`). Every change is one transaction with its
 * audit entry; bad input is a `UserError` naming what to fix.
 */
export interface LicenseAdminDeps {
  licenses: LicenseAdminStore;
  clock: Clock;
  graceMs: number;
}

const MAX_DAYS = 3650;

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserError(`${name} must be a whole number from 1 to ${max}.`);
  return value;
}

export function parseTier(value: string | undefined): Tier {
  if (!value || !isTier(value)) throw new UserError(`--tier must be one of ${TIERS.join(', ')}.`);
  return value;
}

const audit = (actor: string, action: string, license: Pick<License, 'id'>, at: number, detail: AuditEntry['detail'] = {}): AuditEntry => ({ at, actor, action, target: `license:${license.id}`, detail });

/** Issues a license; the key is returned once (only its hash is stored). */
export async function issueLicense(
  input: { tier: Tier; seats: number; days: number; contact: string; notes?: string | null; actor: string },
  deps: LicenseAdminDeps,
): Promise<{ key: string; license: License }> {
  const seats = positiveInt('--seats', input.seats, MAX_SEATS);
  const days = positiveInt('--days', input.days, MAX_DAYS);
  const contact = input.contact.trim();
  if (!contact || contact.length > 200) throw new UserError('--contact is required (an email or name, up to 200 characters).');
  const now = deps.clock.now();
  for (;;) {
    const key = generateLicenseKey();
    const keyHash = hashLicenseKey(key);
    const expiresAt = now + days * DAY_MS;
    const license: License = {
      id: licenseIdOf(keyHash),
      keyHash,
      tier: input.tier,
      seats,
      seatsUsed: 0,
      issuedAt: now,
      expiresAt,
      status: 'active',
      contact,
      notes: input.notes?.trim() || null,
      rev: 0,
      ...scheduleFrom(expiresAt, deps.graceMs, now),
    };
    // A 100-bit collision is not going to happen; the conditional put makes sure of it.
    if (await deps.licenses.issue(license, audit(input.actor, 'license.issue', license, now, { tier: license.tier, seats, days, contact }))) return { key, license };
  }
}

/** A license by its full key (any spelling) or its short id. */
export async function findLicense(ref: string, deps: Pick<LicenseAdminDeps, 'licenses'>): Promise<License> {
  const trimmed = ref.trim().toLowerCase();
  const canonical = /^[0-9a-f]{12}$/.test(trimmed) ? null : parseLicenseKey(ref);
  if (!canonical && !/^[0-9a-f]{12}$/.test(trimmed)) throw new UserError(`"${ref}" is neither a license id (12 hex characters) nor a valid key — check it for typos.`);
  const license = canonical ? await deps.licenses.get(hashLicenseKey(canonical)) : await deps.licenses.getById(trimmed);
  if (!license) throw new NotFoundError(`No license ${canonical ? 'with that key' : trimmed}.`);
  return license;
}

async function change(
  ref: string,
  action: string,
  actor: string,
  deps: LicenseAdminDeps,
  decide: (l: License, now: number) => { expiresAt?: number; status?: LicenseStatus; tier?: Tier; seats?: number; notes?: string | null },
  detail: AuditEntry['detail'] = {},
): Promise<License> {
  const found = await findLicense(ref, deps);
  const now = deps.clock.now();
  const updated = await deps.licenses.update(
    found.keyHash,
    (current) => {
      const c = decide(current, now);
      const next = { ...current, ...c };
      // Active or expired licenses follow the schedule from their (new) expiry; suspended and revoked ones leave it.
      const schedule = next.status === 'active' || next.status === 'expired' ? scheduleFrom(next.expiresAt, deps.graceMs, now) : null;
      return { change: c, schedule };
    },
    audit(actor, action, found, now, detail),
  );
  if (!updated) throw new NotFoundError(`No license ${found.id}.`);
  return updated;
}

/**
 * Adds `days` to the expiry (from now, if it already passed). An expired license is active again at
 * once: its guilds' copies get the new expiry in the same transaction, which lifts the gate.
 */
export function extendLicense(ref: string, days: number, actor: string, deps: LicenseAdminDeps): Promise<License> {
  positiveInt('--days', days, MAX_DAYS);
  return change(ref, 'license.extend', actor, deps, (l, now) => {
    if (l.status === 'revoked') throw new UserError(`License ${l.id} is revoked; issue a new one instead.`);
    const expiresAt = Math.max(l.expiresAt, now) + days * DAY_MS;
    return { expiresAt, status: l.status === 'expired' ? 'active' : l.status };
  }, { days });
}

export function suspendLicense(ref: string, reason: string | null, actor: string, deps: LicenseAdminDeps): Promise<License> {
  return change(ref, 'license.suspend', actor, deps, (l) => {
    if (l.status === 'revoked') throw new UserError(`License ${l.id} is revoked; it cannot be suspended.`);
    if (l.status === 'suspended') throw new UserError(`License ${l.id} is already suspended.`);
    return { status: 'suspended' };
  }, { reason });
}

/** Final: a revoked license never works again (its guilds keep their seats until they deactivate or are moved). */
export function revokeLicense(ref: string, reason: string | null, actor: string, deps: LicenseAdminDeps): Promise<License> {
  return change(ref, 'license.revoke', actor, deps, (l) => {
    if (l.status === 'revoked') throw new UserError(`License ${l.id} is already revoked.`);
    return { status: 'revoked' };
  }, { reason });
}

/** Lifts a suspension. */
export function reactivateLicense(ref: string, actor: string, deps: LicenseAdminDeps): Promise<License> {
  return change(ref, 'license.reactivate', actor, deps, (l, now) => {
    if (l.status !== 'suspended') throw new UserError(`License ${l.id} is ${l.status}, not suspended.`);
    return { status: now < l.expiresAt ? 'active' : 'expired' };
  });
}

/** Moves a seat from one guild to another (a server replaced, a mistaken activation). */
export async function moveSeat(ref: string, fromGuildId: string, toGuildId: string, actor: string, deps: LicenseAdminDeps): Promise<License> {
  for (const [flag, id] of [['--from', fromGuildId], ['--to', toGuildId]] as const) {
    if (!/^\d{17,20}$/.test(id ?? '')) throw new UserError(`${flag} must be a guild id (a Discord snowflake, 17–20 digits).`);
  }
  if (fromGuildId === toGuildId) throw new UserError('--from and --to are the same guild.');
  const license = await findLicense(ref, deps);
  if (license.status === 'revoked') throw new UserError(`License ${license.id} is revoked; its seats cannot be moved.`);
  const now = deps.clock.now();
  const result = await deps.licenses.move(license.keyHash, fromGuildId, toGuildId, audit(actor, 'license.move', license, now, { from: fromGuildId, to: toGuildId }));
  if (result === 'not_bound') throw new UserError(`Guild ${fromGuildId} does not use license ${license.id}.`);
  if (result === 'target_bound') throw new UserError(`Guild ${toGuildId} already has a license; it must run \`/license deactivate\` first.`);
  return (await deps.licenses.get(license.keyHash))!;
}
