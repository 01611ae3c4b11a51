import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAttemptLimiter } from '../../lambdas/shared/adapters/dynamo-attempt-limiter';
import { DynamoGuildStore } from '../../lambdas/shared/adapters/dynamo-guild-store';
import { purgeSweep } from '../../lambdas/shared/domain/sweeps';
import { DynamoJobLedger } from '../../lambdas/shared/adapters/dynamo-job-ledger';
import { DynamoLicenseAdminStore } from '../../lambdas/shared/adapters/dynamo-license-admin-store';
import { DynamoTicketStore } from '../../lambdas/shared/adapters/dynamo-ticket-store';
import { DueKind, Keys } from '../../lambdas/shared/adapters/keys';
import { DAY_MS } from '../../lambdas/shared/clock';
import type { WorkJob } from '../../lambdas/shared/contracts/work-job';
import { activateLicense, deactivateLicense, INVALID_KEY_MESSAGE, licenseStatus, TYPO_MESSAGE, type LicensingDeps } from '../../lambdas/shared/licensing/activation';
import { extendLicense, issueLicense, reactivateLicense, revokeLicense, suspendLicense } from '../../lambdas/shared/licensing/admin';
import { LicenseEntitlements } from '../../lambdas/shared/licensing/entitlements';
import { generateLicenseKey } from '../../lambdas/shared/licensing/license-key';
import type { Tier } from '../../lambdas/shared/licensing/features';
import { licenseSweep } from '../../lambdas/shared/licensing/sweep';
import type { DiscordApi } from '../../lambdas/shared/ports/discord';
import type { Telemetry, TelemetryEvent } from '../../lambdas/shared/ports/telemetry';
import type { WorkQueue } from '../../lambdas/shared/ports/work-queue';
import { DEFAULT_SETTINGS } from '../../lambdas/shared/tickets/model';
import { licenseNotice } from '../../lambdas/worker/jobs/license-notice';
import type { WorkerDeps } from '../../lambdas/worker/types';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';

const GRACE = 3 * DAY_MS;

class RecordingQueue implements WorkQueue {
  jobs: WorkJob[] = [];
  async enqueue(job: WorkJob) {
    this.jobs.push(job);
  }
  take() {
    const all = this.jobs;
    this.jobs = [];
    return all;
  }
}

describe('licensing on DynamoDB Local: activation, seats, rate limits, expiry sweep', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let store: DynamoLicenseAdminStore;
  let deps: LicensingDeps;
  let admin: { licenses: DynamoLicenseAdminStore; clock: ManualClock; graceMs: number };
  const clock = new ManualClock();
  const queue = new RecordingQueue();
  const log = { warn: jest.fn(), error: jest.fn(), info: jest.fn() };

  beforeAll(async () => {
    env = await provisionForTest('licensing');
    store = new DynamoLicenseAdminStore(env.db, env.resources.tableName);
    deps = { licenses: store, entitlements: new LicenseEntitlements(store, clock, GRACE), attempts: new DynamoAttemptLimiter(env.db, env.resources.tableName), workQueue: queue, clock, log };
    admin = { licenses: store, clock, graceMs: GRACE };
  });
  afterAll(() => env.destroy());
  beforeEach(() => queue.take());

  const issue = (seats: number, tier: Tier = 'pro', days = 30) => issueLicense({ tier, seats, days, contact: 'buyer@example.com', actor: 'ops:test' }, admin);
  const activate = (guildId: string, key: string, userId = randomSnowflake()) => activateLicense({ guildId, userId, key }, deps);
  const item = async (key: Record<string, string>) => (await env.db.send(new GetCommand({ TableName: env.resources.tableName, Key: key, ConsistentRead: true }))).Item;
  const auditFor = async (licenseId: string, at = clock.now()) => {
    const res = await env.db.send(
      new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', FilterExpression: 'target = :t', ExpressionAttributeValues: { ':pk': `AUDIT#${new Date(at).toISOString().slice(0, 7)}`, ':t': `license:${licenseId}` } }),
    );
    return (res.Items ?? []).map((i) => String(i.action));
  };

  it('10 concurrent activations of a 1-seat license from 10 guilds: exactly one wins, nine are told why, one seat used', async () => {
    const { key, license } = await issue(1);
    const guilds = Array.from({ length: 10 }, randomSnowflake);
    const results = await Promise.allSettled(guilds.map((g) => activate(g, key)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r.reason.message).toBe('That license is already used by all of its 1 server. Run `/license deactivate` in a server that no longer needs it, or ask the license holder for more seats.');
    expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 1, seats: 1 });
    const bound = await store.boundGuilds(license.keyHash);
    expect(bound).toHaveLength(1);
    const bindings = await Promise.all(guilds.map((g) => store.guildBinding(g)));
    expect(bindings.filter(Boolean).map((b) => b!.guildId)).toEqual([bound[0].guildId]);
    expect((won[0] as PromiseFulfilledResult<string>).value).toContain('✅ Deskwire is activated in this server: **Pro** license');
  });

  it('activate → deactivate → activate elsewhere keeps every count true, with telemetry and audit entries', async () => {
    const { key, license } = await issue(2, 'standard');
    const [g1, g2, g3] = [randomSnowflake(), randomSnowflake(), randomSnowflake()];
    await activate(g1, key);
    await activate(g2, key);
    await expect(activate(g3, key)).rejects.toThrow('already used by all of its 2 servers');
    await expect(activate(g1, key)).rejects.toThrow('This server already uses that license.');
    expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 2 });

    expect(await deactivateLicense({ guildId: g1, userId: randomSnowflake() }, deps)).toBe(
      `Deactivated: this server's seat on license \`${license.id}\` is free again (1 / 2 seats now used). Opening tickets is paused until a license is activated here; existing tickets can still be closed.`,
    );
    expect(await item(Keys.guildLicense(g1))).toBeUndefined();
    expect(await item(Keys.licenseGuild(license.keyHash, g1))).toBeUndefined();
    await expect(deactivateLicense({ guildId: g1, userId: randomSnowflake() }, deps)).rejects.toThrow('This server has no license to deactivate.');
    expect((await deps.entitlements.entitlementFor(g1)).state).toBe('inactive');

    await activate(g3, key);
    expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 2 });
    expect((await store.boundGuilds(license.keyHash)).map((g) => g.guildId).sort()).toEqual([g2, g3].sort());
    expect(await deps.entitlements.entitlementFor(g3)).toMatchObject({ state: 'active', tier: 'standard', features: ['tickets', 'transcripts'], licenseId: license.id });

    const events = queue.take().flatMap((j) => (j.type === 'telemetry.capture' ? j.events : []));
    expect(events.map((e) => [e.event, e.guildId, e.properties])).toEqual([
      ['license_activated', g1, { tier: 'standard' }],
      ['license_activated', g2, { tier: 'standard' }],
      ['license_deactivated', g1, { tier: 'standard' }],
      ['license_activated', g3, { tier: 'standard' }],
    ]);
    expect((await auditFor(license.id)).sort()).toEqual(['license.activate', 'license.activate', 'license.activate', 'license.deactivate', 'license.issue']);

    const status = await licenseStatus(g3, deps);
    expect(status).toContain('• State: Standard license, active until <t:');
    expect(status).toContain(`• Tier: Standard · license ID \`${license.id}\``);
    expect(status).toContain('• Seats: 2 / 2 servers');
    expect(status).toContain('• Features here: Tickets, Transcripts');
  });

  it('a suspended or revoked key cannot activate (the same answer as an unknown key); a guild on a dead license can switch keys', async () => {
    const suspended = await issue(3);
    await suspendLicense(suspended.license.id, 'chargeback', 'ops:test', admin);
    await expect(activate(randomSnowflake(), suspended.key)).rejects.toThrow(INVALID_KEY_MESSAGE);
    await reactivateLicense(suspended.license.id, 'ops:test', admin);
    const g = randomSnowflake();
    await activate(g, suspended.key);

    const revoked = await issue(3);
    const onRevoked = randomSnowflake();
    await activate(onRevoked, revoked.key);
    await revokeLicense(revoked.key, 'refund', 'ops:test', admin);
    await expect(activate(randomSnowflake(), revoked.key)).rejects.toThrow(INVALID_KEY_MESSAGE);
    // The guild on the revoked license is gated at once, and can move to a working key.
    expect(await deps.entitlements.entitlementFor(onRevoked)).toMatchObject({ state: 'inactive', reason: 'revoked' });
    await expect(activate(g, revoked.key)).rejects.toThrow(INVALID_KEY_MESSAGE);
    const fresh = await issue(1, 'enterprise');
    expect(await activate(onRevoked, fresh.key)).toContain(`It replaces the inactive license \`${revoked.license.id}\`, whose seat is free again.`);
    expect(await store.get(revoked.license.keyHash)).toMatchObject({ seatsUsed: 0, status: 'revoked' });
    expect(await deps.entitlements.entitlementFor(onRevoked)).toMatchObject({ state: 'active', tier: 'enterprise' });
    // A guild with a working license is not switched silently.
    await expect(activate(g, fresh.key)).rejects.toThrow(`This server already has a Pro license (\`${suspended.license.id}\`). Run \`/license deactivate\` first`);
  });

  it('typos are caught without a lookup or a counted failure; wrong keys are rate-limited per user and per guild', async () => {
    const { key } = await issue(5);
    const guild = randomSnowflake();
    const user = randomSnowflake();
    const typo = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    for (let i = 0; i < 8; i++) await expect(activate(guild, typo, user)).rejects.toThrow(TYPO_MESSAGE);
    for (let i = 0; i < 5; i++) await expect(activate(guild, generateLicenseKey(), user)).rejects.toThrow(INVALID_KEY_MESSAGE);
    // Sixth try in the window, even with the right key: paused, with how long.
    const windowLeft = Math.ceil((15 * 60_000 - (clock.now() % (15 * 60_000))) / 60_000);
    await expect(activate(guild, key, user)).rejects.toThrow(`Too many attempts with keys that are not valid. Try again in ${windowLeft} minute${windowLeft === 1 ? '' : 's'}.`);
    // Other members of the guild have their own count, up to the guild's limit of 10.
    for (let i = 0; i < 5; i++) await expect(activate(guild, generateLicenseKey())).rejects.toThrow(INVALID_KEY_MESSAGE);
    await expect(activate(guild, key)).rejects.toThrow('Too many attempts');
    // The next window starts fresh; the counters carry the table's TTL.
    const counter = await item(Keys.attempts('user', user, 'license-activate', clock.now() - (clock.now() % (15 * 60_000))));
    expect(counter).toMatchObject({ count: 5, expiresAt: expect.any(Number) });
    clock.advance(15 * 60_000);
    expect(await activate(guild, key, user)).toContain('✅ Deskwire is activated');
  });

  it('a removed guild purged after 30 days gives its seat back', async () => {
    const { key, license } = await issue(1, 'standard', 365);
    const guild = randomSnowflake();
    const guilds = new DynamoGuildStore(env.db, env.resources.tableName);
    await guilds.markInstalled(guild, randomSnowflake(), clock.now());
    await activate(guild, key);
    const purgeAt = clock.now() + 30 * DAY_MS;
    await guilds.markRemoved(guild, clock.now(), purgeAt);
    const telemetry = { capture: () => undefined, captureException: () => undefined, flush: async () => undefined };
    const result = await purgeSweep({ guilds, licenses: store, telemetry, log }).run(purgeAt);
    expect(result.failed).toBe(0);
    expect(await store.guildBinding(guild)).toBeNull();
    expect(await store.get(license.keyHash)).toMatchObject({ seatsUsed: 0 });
    expect(await store.boundGuilds(license.keyHash)).toEqual([]);
    expect(await auditFor(license.id, purgeAt)).toContain('license.release');
    // The seat is free for another server.
    expect(await activate(randomSnowflake(), key)).toContain('• Seats: 1 / 1 servers');
  });

  describe('expiry: warnings, expiry, grace, gating — with an injected clock', () => {
    const posts: Array<{ channelId: string; content: string }> = [];
    const telemetryEvents: TelemetryEvent[] = [];
    let worker: WorkerDeps;
    beforeAll(() => {
      const discord = { postMessage: async (channelId: string, body: { content: string }) => (posts.push({ channelId, content: body.content }), { id: randomSnowflake() }) } as unknown as DiscordApi;
      const telemetry: Telemetry = { capture: (e) => void telemetryEvents.push(e), captureException: () => undefined, flush: async () => undefined };
      worker = { discord, licenses: store, tickets: new DynamoTicketStore(env.db, env.resources.tableName), ledger: new DynamoJobLedger(env.db, env.resources.tableName), telemetry, clock, log } as unknown as WorkerDeps;
    });

    it('warns 7 days and 1 day before, expires into grace, gates after grace; each sweep twice changes nothing; extending lifts the gate at once', async () => {
      clock.set(Date.parse('2027-03-01T00:00:00Z'));
      const sweep = licenseSweep({ licenses: store, workQueue: queue, graceMs: GRACE, log });
      // Earlier licenses in this table are due at other times; this test follows its own.
      const { key, license } = await issue(2, 'pro', 10);
      const guild = randomSnowflake();
      const logChannel = randomSnowflake();
      const tickets = new DynamoTicketStore(env.db, env.resources.tableName);
      await tickets.saveSettings(guild, { ...DEFAULT_SETTINGS, staffRoleIds: [], mode: 'thread', supportChannelId: null, ticketCategoryId: null, logChannelId: logChannel, transcriptChannelId: null, updatedAt: clock.now() });
      await activate(guild, key);
      queue.take();
      const exp = license.expiresAt;

      const step = async (at: number) => {
        clock.set(at);
        const first = await sweep.run(at);
        const jobs = queue.take().filter((j) => j.type === 'license.notice' && j.keyHash === license.keyHash);
        const second = await sweep.run(at);
        expect(queue.take().filter((j) => j.type === 'license.notice' && j.keyHash === license.keyHash)).toEqual([]);
        expect(second.due).toBe(0);
        for (const job of jobs) await licenseNotice(job as never, worker);
        // A redelivered job posts nothing more (ledger).
        for (const job of jobs) await licenseNotice(job as never, worker);
        return { first, steps: jobs.map((j) => (j.type === 'license.notice' ? j.step : '')) };
      };
      const ourPosts = () => posts.splice(0).filter((p) => p.channelId === logChannel).map((p) => p.content);

      expect((await step(exp - 7 * DAY_MS - 1)).steps).toEqual([]);
      expect((await step(exp - 7 * DAY_MS)).steps).toEqual(['warn7']);
      expect(ourPosts()).toEqual([`⚠️ This server's Deskwire Pro license (\`${license.id}\`) expires <t:${exp / 1000}:R> (<t:${exp / 1000}:f>). Ask the license holder to extend it. Tickets keep working until then and for a grace period after.`]);
      expect((await step(exp - DAY_MS)).steps).toEqual(['warn1']);
      expect(ourPosts()).toHaveLength(1);
      expect((await deps.entitlements.entitlementFor(guild)).state).toBe('active');

      expect((await step(exp)).steps).toEqual(['expire']);
      expect(ourPosts()[0]).toContain(`has expired. Everything keeps working during a grace period that ends <t:${(exp + GRACE) / 1000}:R>`);
      expect(await store.get(license.keyHash)).toMatchObject({ status: 'expired', dueStep: 'grace-end', dueAt: exp + GRACE });
      expect(telemetryEvents.filter((e) => e.guildId === guild)).toEqual([{ event: 'license_expired', guildId: guild, properties: { tier: 'pro' }, at: exp }]);
      expect(await deps.entitlements.entitlementFor(guild)).toMatchObject({ state: 'grace', graceEndsAt: exp + GRACE, features: ['tickets', 'transcripts', 'callouts'] });
      await expect(activate(randomSnowflake(), key)).rejects.toThrow(INVALID_KEY_MESSAGE);

      expect((await step(exp + GRACE)).steps).toEqual(['grace-end']);
      expect(ourPosts()[0]).toContain('expired and its grace period is over: opening tickets is paused.');
      expect(await deps.entitlements.entitlementFor(guild)).toMatchObject({ state: 'inactive', reason: 'expired', features: [] });
      const after = await item(Keys.license(license.keyHash));
      expect(after).not.toHaveProperty('dueKind');
      expect((await step(exp + 30 * DAY_MS)).steps).toEqual([]);

      // Extending lifts the gate at once (the guild's copy is rewritten in the same transaction).
      const extended = await extendLicense(license.id, 30, 'ops:test', admin);
      expect(extended).toMatchObject({ status: 'active', expiresAt: clock.now() + 30 * DAY_MS, dueStep: 'warn7' });
      expect(await deps.entitlements.entitlementFor(guild)).toMatchObject({ state: 'active', expiresAt: extended.expiresAt });
      expect(await item(Keys.license(license.keyHash))).toMatchObject({ dueKind: DueKind.license, dueAt: extended.expiresAt - 7 * DAY_MS });
      expect(await auditFor(license.id)).toContain('license.extend');
    });

    it('an extension between the sweep and the worker cancels the stale notice', async () => {
      clock.set(Date.parse('2027-06-01T00:00:00Z'));
      const { key, license } = await issue(1, 'standard', 2);
      const guild = randomSnowflake();
      const tickets = new DynamoTicketStore(env.db, env.resources.tableName);
      await tickets.saveSettings(guild, { ...DEFAULT_SETTINGS, staffRoleIds: [], mode: 'thread', supportChannelId: null, ticketCategoryId: null, logChannelId: randomSnowflake(), transcriptChannelId: null, updatedAt: clock.now() });
      await activate(guild, key);
      queue.take();
      clock.set(license.expiresAt - DAY_MS);
      await licenseSweep({ licenses: store, workQueue: queue, graceMs: GRACE, log }).run(clock.now());
      const jobs = queue.take().filter((j) => j.type === 'license.notice' && j.keyHash === license.keyHash);
      expect(jobs.map((j) => (j.type === 'license.notice' ? j.step : null))).toEqual(['warn1']);
      await extendLicense(key, 365, 'ops:test', admin);
      posts.splice(0);
      await licenseNotice(jobs[0] as never, worker);
      expect(posts).toEqual([]);
    });
  });
});
