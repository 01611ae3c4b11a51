import { BatchWriteCommand, DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAttemptLimiter } from '../../lambdas/shared/adapters/dynamo-attempt-limiter';
import { DynamoGuildStore } from '../../lambdas/shared/adapters/dynamo-guild-store';
import { DynamoLicenseAdminStore } from '../../lambdas/shared/adapters/dynamo-license-admin-store';
import { Keys } from '../../lambdas/shared/adapters/keys';
import { DAY_MS } from '../../lambdas/shared/clock';
import { purgeSweep } from '../../lambdas/shared/domain/sweeps';
import { ACTIVATION_ATTEMPTS, activateLicense, INVALID_KEY_MESSAGE, type LicensingDeps } from '../../lambdas/shared/licensing/activation';
import { extendLicense, issueLicense, suspendLicense } from '../../lambdas/shared/licensing/admin';
import { LicenseEntitlements } from '../../lambdas/shared/licensing/entitlements';
import type { Tier } from '../../lambdas/shared/licensing/features';
import { generateLicenseKey } from '../../lambdas/shared/licensing/license-key';
import type { LicenseStore } from '../../lambdas/shared/licensing/ports';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';

const GRACE = 3 * DAY_MS;

/** A client whose `send` lets a test act between a store's reads and its write, or fail one call. */
function interceptingClient(db: DynamoDBDocumentClient, before: (cmd: unknown) => Promise<void>): DynamoDBDocumentClient {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (cmd: never) => {
        await before(cmd);
        return target.send(cmd);
      };
    },
  });
}

const auditActions = (cmd: unknown) =>
  cmd instanceof TransactWriteCommand ? (cmd.input.TransactItems ?? []).map((i) => String(i.Put?.Item?.action ?? '')).filter(Boolean) : [];

describe('licensing stays consistent when purges fail, reads race and attempts run in parallel (DynamoDB Local)', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let store: DynamoLicenseAdminStore;
  let guilds: DynamoGuildStore;
  let deps: LicensingDeps;
  const clock = new ManualClock();
  const log = { warn: jest.fn(), error: jest.fn(), info: jest.fn() };
  const telemetry = { capture: () => undefined, captureException: () => undefined, flush: async () => undefined };
  const admin = () => ({ licenses: store, clock, graceMs: GRACE });

  beforeAll(async () => {
    env = await provisionForTest('licensing-consistency');
    store = new DynamoLicenseAdminStore(env.db, env.resources.tableName);
    guilds = new DynamoGuildStore(env.db, env.resources.tableName);
    deps = {
      licenses: store,
      entitlements: new LicenseEntitlements(store, clock, GRACE),
      attempts: new DynamoAttemptLimiter(env.db, env.resources.tableName),
      workQueue: { enqueue: async () => undefined },
      clock,
      log,
    };
  });
  afterAll(() => env.destroy());

  const issue = (seats: number, tier: Tier = 'pro', days = 30) => issueLicense({ tier, seats, days, contact: 'buyer@example.com', actor: 'ops:test' }, admin());
  const activate = (guildId: string, key: string, userId = randomSnowflake(), d: LicensingDeps = deps) => activateLicense({ guildId, userId, key }, d);
  const item = async (key: Record<string, string>) => (await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: key, ConsistentRead: true }))).Item;
  const auditFor = async (licenseId: string, at = clock.now()) => {
    const res = await env.db.send(
      new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', FilterExpression: 'target = :t', ExpressionAttributeValues: { ':pk': `AUDIT#${new Date(at).toISOString().slice(0, 7)}`, ':t': `license:${licenseId}` } }),
    );
    return (res.Items ?? []).map((i) => ({ action: String(i.action), detail: i.detail as Record<string, unknown> }));
  };
  /** An installed guild on `key`, then removed: its purge is due at the returned time. */
  const removedGuildOn = async (key: string) => {
    const guild = randomSnowflake();
    await guilds.markInstalled(guild, randomSnowflake(), clock.now());
    await activate(guild, key);
    await env.db.send(new BatchWriteCommand({ RequestItems: { [env.resources.tableName]: [{ PutRequest: { Item: { ...Keys.ticket(guild, 1), guildId: guild } } }] } }));
    const purgeAt = clock.now() + 30 * DAY_MS;
    await guilds.markRemoved(guild, clock.now(), purgeAt);
    return { guild, purgeAt };
  };

  describe('a purge that fails partway', () => {
    it('crashing while deleting the guild data: the seat is already free, the next sweep finishes, ops can still change the license', async () => {
      const { key, license } = await issue(1);
      const { guild, purgeAt } = await removedGuildOn(key);
      let crashed = false;
      const crashing = interceptingClient(env.db, async (cmd) => {
        if (!crashed && cmd instanceof BatchWriteCommand) {
          crashed = true;
          throw new Error('connection reset');
        }
      });
      const first = await purgeSweep({ guilds: new DynamoGuildStore(crashing, env.resources.tableName), licenses: store, telemetry, log }).run(purgeAt);
      expect(crashed).toBe(true);
      expect(first).toMatchObject({ due: 1, done: 0, failed: 1 });
      // The seat went back before any data was deleted: both halves gone, the count down, audited.
      expect(await store.guildBinding(guild)).toBeNull();
      expect(await store.boundGuilds(license.keyHash)).toEqual([]);
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 0 });
      expect((await auditFor(license.id, purgeAt)).map((a) => a.action)).toContain('license.release');
      // Still claimed and due: the next sweep resumes it.
      expect(await item(Keys.guildConfig(guild))).toMatchObject({ status: 'purging', dueAt: purgeAt });
      expect(await item(Keys.ticket(guild, 1))).toBeDefined();

      const second = await purgeSweep({ guilds, licenses: store, telemetry, log }).run(purgeAt);
      expect(second).toMatchObject({ due: 1, done: 1, failed: 0 });
      expect(await item(Keys.guildConfig(guild))).toBeUndefined();
      expect(await item(Keys.ticket(guild, 1))).toBeUndefined();
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 0 });

      clock.set(purgeAt);
      const extended = await extendLicense(license.id, 10, 'ops:test', admin());
      expect(extended.expiresAt).toBe(license.expiresAt + 10 * DAY_MS);
      expect(await activate(randomSnowflake(), key)).toContain('• Seats: 1 / 1 servers');
    });

    it('failing to release the seat: nothing is deleted, the guild stays due, the next sweep releases and purges', async () => {
      const { key, license } = await issue(2);
      const { guild, purgeAt } = await removedGuildOn(key);
      let failed = false;
      const failing = interceptingClient(env.db, async (cmd) => {
        if (!failed && auditActions(cmd).includes('license.release')) {
          failed = true;
          throw new Error('throttled');
        }
      });
      const first = await purgeSweep({ guilds, licenses: new DynamoLicenseAdminStore(failing, env.resources.tableName), telemetry, log }).run(purgeAt);
      expect(first).toMatchObject({ due: 1, done: 0, failed: 1 });
      expect(await store.guildBinding(guild)).toMatchObject({ keyHash: license.keyHash });
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 1 });
      expect(await item(Keys.ticket(guild, 1))).toBeDefined();
      expect(await item(Keys.guildConfig(guild))).toMatchObject({ status: 'purging', dueAt: purgeAt });

      expect(await purgeSweep({ guilds, licenses: store, telemetry, log }).run(purgeAt)).toMatchObject({ done: 1, failed: 0 });
      expect(await store.guildBinding(guild)).toBeNull();
      expect(await store.boundGuilds(license.keyHash)).toEqual([]);
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 0 });
      expect(await item(Keys.guildConfig(guild))).toBeUndefined();
    });

    it('a guild re-added after the purge was claimed keeps its license', async () => {
      const { key, license } = await issue(1);
      const { guild, purgeAt } = await removedGuildOn(key);
      expect(await guilds.claimPurge(guild, purgeAt)).toBe(true);
      expect(await guilds.markInstalled(guild, randomSnowflake(), purgeAt + 1)).toBe('reinstalled');
      expect(await store.releasePurgedGuild(guild, purgeAt + 2)).toBe(false);
      expect(await store.guildBinding(guild)).toMatchObject({ keyHash: license.keyHash });
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 1 });
      expect(await guilds.purge(guild, purgeAt + 3)).toBeNull();
    });

    it('a license-side link left without its guild half (by an earlier failed purge) is repaired by the next ops change and taken over by a re-activation', async () => {
      clock.set(Date.parse('2027-01-10T00:00:00Z'));
      const { key, license } = await issue(3);
      const [kept, lostA, lostB] = [randomSnowflake(), randomSnowflake(), randomSnowflake()];
      for (const g of [kept, lostA, lostB]) await activate(g, key);
      // What the old purge left behind: the guild half deleted with the guild's data, the seat still taken.
      for (const g of [lostA, lostB]) await env.db.send(new DeleteCommand({ TableName: env.resources.tableName, Key: Keys.guildLicense(g) }));
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 3 });

      // A re-added guild activating again takes over its own leftover seat (no second seat, both halves back).
      const again = await activate(lostB, key);
      expect(again).toContain('• Seats: 3 / 3 servers');
      expect(await store.guildBinding(lostB)).toMatchObject({ keyHash: license.keyHash });
      expect((await store.boundGuilds(license.keyHash)).map((g) => g.guildId).sort()).toEqual([kept, lostA, lostB].sort());

      // Ops change the license: done (not BusyError), the leftover link deleted and its seat given back in the same write.
      const extended = await extendLicense(license.id, 30, 'ops:test', admin());
      expect(extended).toMatchObject({ seatsUsed: 2, expiresAt: license.expiresAt + 30 * DAY_MS });
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 2, expiresAt: extended.expiresAt });
      expect((await store.boundGuilds(license.keyHash)).map((g) => g.guildId).sort()).toEqual([kept, lostB].sort());
      for (const g of [kept, lostB]) expect(await store.guildBinding(g)).toMatchObject({ expiresAt: extended.expiresAt });
      const audit = await auditFor(license.id);
      expect(audit).toContainEqual({ action: 'license.release', detail: { guildIds: lostA, reason: 'guild link missing' } });
      expect(audit.map((a) => a.action)).toContain('license.extend');
      // Later changes go through as usual, and the freed seat can be taken.
      await suspendLicense(license.id, null, 'ops:test', admin());
      expect(await store.guildBinding(kept)).toMatchObject({ status: 'suspended' });
    });
  });

  describe('activation racing ops changes', () => {
    it('an ops extension landing between an activation’s reads and its write: the activation retries and copies the new expiry', async () => {
      clock.set(Date.parse('2027-02-01T00:00:00Z'));
      const { key, license } = await issue(2);
      const guild = randomSnowflake();
      let extended: Awaited<ReturnType<typeof extendLicense>> | undefined;
      const racing = new DynamoLicenseAdminStore(
        interceptingClient(env.db, async (cmd) => {
          if (!extended && auditActions(cmd).includes('license.activate')) extended = await extendLicense(license.id, 5, 'ops:test', admin());
        }),
        env.resources.tableName,
      );
      expect(await activate(guild, key, undefined, { ...deps, licenses: racing })).toContain('✅ Deskwire is activated');
      expect(extended!.expiresAt).toBe(license.expiresAt + 5 * DAY_MS);
      expect(await store.guildBinding(guild)).toMatchObject({ expiresAt: extended!.expiresAt, tier: 'pro', status: 'active' });
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 1, expiresAt: extended!.expiresAt });
    });

    it('an activation landing between an ops change’s reads and its write: the change retries and includes the new guild', async () => {
      const { key, license } = await issue(2);
      const guild = randomSnowflake();
      let activated = false;
      const racing = new DynamoLicenseAdminStore(
        interceptingClient(env.db, async (cmd) => {
          if (!activated && auditActions(cmd).includes('license.extend')) {
            activated = true;
            await activate(guild, key);
          }
        }),
        env.resources.tableName,
      );
      const extended = await extendLicense(license.id, 7, 'ops:test', { licenses: racing, clock, graceMs: GRACE });
      expect(activated).toBe(true);
      expect(await store.guildBinding(guild)).toMatchObject({ expiresAt: extended.expiresAt });
      expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 1, expiresAt: license.expiresAt + 7 * DAY_MS });
    });

    it('many activations and extensions at once: every seat counted once, every guild copy matches the license', async () => {
      const { key, license } = await issue(4);
      const gs = Array.from({ length: 4 }, randomSnowflake);
      const results = await Promise.allSettled([...gs.map((g) => activate(g, key)), ...[1, 2].map((d) => extendLicense(license.id, d, 'ops:test', admin()))]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const final = (await store.get(license.keyHash))!;
      expect(final).toMatchObject({ seatsUsed: 4, expiresAt: license.expiresAt + 3 * DAY_MS });
      expect(await store.boundGuilds(license.keyHash)).toHaveLength(4);
      for (const g of gs) expect(await store.guildBinding(g)).toMatchObject({ expiresAt: final.expiresAt });
    });

    it('replacing an inactive license is decided on current state: an extension of the old one meanwhile keeps the guild on it', async () => {
      clock.set(Date.parse('2027-03-01T00:00:00Z'));
      const old = await issue(1, 'standard', 2);
      const guild = randomSnowflake();
      await activate(guild, old.key);
      clock.set(old.license.expiresAt + GRACE + DAY_MS);
      expect(await deps.entitlements.entitlementFor(guild)).toMatchObject({ state: 'inactive', reason: 'expired' });
      const fresh = await issue(1, 'enterprise');
      let extended = false;
      const racing = new DynamoLicenseAdminStore(
        interceptingClient(env.db, async (cmd) => {
          if (!extended && auditActions(cmd).includes('license.activate')) {
            extended = true;
            await extendLicense(old.license.id, 30, 'ops:test', admin());
          }
        }),
        env.resources.tableName,
      );
      await expect(activate(guild, fresh.key, undefined, { ...deps, licenses: racing })).rejects.toThrow(`This server already has a Standard license (\`${old.license.id}\`). Run \`/license deactivate\` first`);
      expect(extended).toBe(true);
      expect(await store.guildBinding(guild)).toMatchObject({ keyHash: old.license.keyHash });
      expect(await deps.entitlements.entitlementFor(guild)).toMatchObject({ state: 'active', licenseId: old.license.id });
      expect(await store.get(fresh.license.keyHash)).toMatchObject({ seatsUsed: 0 });
      expect(await store.get(old.license.keyHash)).toMatchObject({ seatsUsed: 1 });
    });
  });

  describe('wrong-key limit', () => {
    it('20 parallel wrong keys from one member: exactly the limit are looked up, the rest are refused with the wait', async () => {
      clock.set(Date.parse('2027-04-01T00:07:00Z'));
      const guild = randomSnowflake();
      const user = randomSnowflake();
      const lookups: string[] = [];
      const counting: LicenseStore = Object.assign(Object.create(store) as DynamoLicenseAdminStore, {
        activate: (input: Parameters<LicenseStore['activate']>[0]) => (lookups.push(input.keyHash), store.activate(input)),
      });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => activate(guild, generateLicenseKey(), user, { ...deps, licenses: counting })));
      const messages = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'activated'));
      expect(lookups).toHaveLength(ACTIVATION_ATTEMPTS.limits.user);
      expect(messages.filter((m) => m === INVALID_KEY_MESSAGE)).toHaveLength(5);
      // The window of 15 minutes started at 00:00; 8 minutes are left.
      expect(messages.filter((m) => m === 'Too many attempts with keys that are not valid. Try again in 8 minutes.')).toHaveLength(15);
      const windowStart = clock.now() - (clock.now() % ACTIVATION_ATTEMPTS.windowMs);
      expect(await item(Keys.attempts('user', user, 'license-activate', windowStart))).toMatchObject({ count: 5 });
      // The member's count stopped the rest before they reached the guild's: only the 5 lookups are on it.
      expect(await item(Keys.attempts('guild', guild, 'license-activate', windowStart))).toMatchObject({ count: 5 });
    });

    it('only wrong keys count: a successful activation and a full license give their attempt back', async () => {
      clock.set(Date.parse('2027-04-01T01:00:00Z'));
      const full = await issue(1);
      await activate(randomSnowflake(), full.key);
      const good = await issue(1);
      const guild = randomSnowflake();
      const user = randomSnowflake();
      for (let i = 0; i < 4; i++) await expect(activate(guild, generateLicenseKey(), user)).rejects.toThrow(INVALID_KEY_MESSAGE);
      await expect(activate(guild, full.key, user)).rejects.toThrow('That license is already used by all of its 1 server.');
      expect(await activate(guild, good.key, user)).toContain('✅ Deskwire is activated');
      const windowStart = clock.now() - (clock.now() % ACTIVATION_ATTEMPTS.windowMs);
      expect(await item(Keys.attempts('user', user, 'license-activate', windowStart))).toMatchObject({ count: 4 });
      // One wrong key left before the pause.
      await expect(activate(randomSnowflake(), generateLicenseKey(), user)).rejects.toThrow(INVALID_KEY_MESSAGE);
      await expect(activate(randomSnowflake(), good.key, user)).rejects.toThrow('Too many attempts');
    });
  });

  it('the gate reads the activation consistently (right after an activation or an extension)', async () => {
    const gets: Array<{ key: unknown; consistent: unknown }> = [];
    const recording = interceptingClient(env.db, async (cmd) => {
      if (cmd instanceof GetCommand) gets.push({ key: cmd.input.Key, consistent: cmd.input.ConsistentRead });
    });
    const guild = randomSnowflake();
    const { key, license } = await issue(1);
    await activate(guild, key);
    const entitlement = await new LicenseEntitlements(new DynamoLicenseAdminStore(recording, env.resources.tableName), clock, GRACE).entitlementFor(guild);
    expect(entitlement).toMatchObject({ state: 'active', licenseId: license.id });
    expect(gets).toEqual([{ key: Keys.guildLicense(guild), consistent: true }]);
  });
});
