import { DynamoCalloutStore } from '../../lambdas/shared/adapters/dynamo-callout-store';
import { DynamoEnforcementStore } from '../../lambdas/shared/adapters/dynamo-enforcement-store';
import { DynamoTicketStore } from '../../lambdas/shared/adapters/dynamo-ticket-store';
import { respondToCallout } from '../../lambdas/shared/callouts/agent';
import { announceResponder, finishCallout } from '../../lambdas/shared/callouts/delivery';
import { calloutSweep } from '../../lambdas/shared/callouts/sweep';
import { acceptTermsAndRequest, requestCallout, type CalloutRequestDeps } from '../../lambdas/shared/callouts/request';
import type { WorkJob } from '../../lambdas/shared/contracts/work-job';
import { addEnforcement, liftEnforcement, lookupEnforcement } from '../../lambdas/shared/enforcement/records';
import { Sealer } from '../../lambdas/shared/enforcement/seal';
import { hqSettingsOf, HqConfig } from '../../lambdas/shared/hq/config';
import { parseConfig } from '../../lambdas/shared/config';
import type { Entitlement } from '../../lambdas/shared/licensing/model';
import type { DiscordApi } from '../../lambdas/shared/ports/discord';
import type { TelemetryEvent } from '../../lambdas/shared/ports/telemetry';
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { provisionForTest, randomSnowflake } from '../support/aws';
import { ManualClock } from '../support/clock';

const MINUTE = 60_000;
const hqFor = (version: string, cooldownMinutes = 30) =>
  hqSettingsOf(
    parseConfig(z.object(HqConfig), {
      HQ_GUILD_ID: '100000000000000001',
      HQ_CALLOUT_CHANNEL_ID: '100000000000000002',
      HQ_AGENT_ROLE_IDS: '100000000000000003',
      CALLOUT_TERMS_VERSION: version,
      CALLOUT_COOLDOWN_MINUTES: String(cooldownMinutes),
    }),
  );

describe('callouts and enforcement on DynamoDB Local with a manual clock', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let callouts: DynamoCalloutStore;
  let tickets: DynamoTicketStore;
  const clock = new ManualClock();
  const pro: Entitlement = { state: 'active', tier: 'pro', features: ['tickets', 'transcripts', 'callouts'], expiresAt: null, graceEndsAt: null, reason: null } as unknown as Entitlement;
  const jobs: WorkJob[] = [];
  const events: TelemetryEvent[] = [];
  const deps = (version = '1'): CalloutRequestDeps & { workQueue: { enqueue(j: WorkJob): Promise<void> } } => ({
    callouts,
    tickets,
    entitlements: { entitlementFor: async () => pro, of: () => pro },
    clock,
    hq: hqFor(version),
    appeal: 'Appeal at example.',
    workQueue: { enqueue: async (j: WorkJob) => void jobs.push(j) },
  });
  const ask = (guildId: string, userId: string, d = deps()) => requestCallout({ guildId, userId, channelId: null, reason: 'The bot stopped answering our panel', isStaff: () => true }, d);

  beforeAll(async () => {
    env = await provisionForTest('callouts');
    callouts = new DynamoCalloutStore(env.db, env.resources.tableName);
    tickets = new DynamoTicketStore(env.db, env.resources.tableName);
  });
  afterAll(() => env.destroy());

  it('the terms are asked once per staff member and terms version; a version bump asks again', async () => {
    const guildId = randomSnowflake();
    const userId = randomSnowflake();
    expect(await ask(guildId, userId)).toMatchObject({ kind: 'terms', version: '1' });
    // An old terms message after a bump is refused and asks to start over.
    await expect(acceptTermsAndRequest({ guildId, userId, version: '0', isStaff: () => true }, deps())).rejects.toThrow('The Interactive Support Terms changed');
    expect(await acceptTermsAndRequest({ guildId, userId, version: '1', isStaff: () => true }, deps())).toMatchObject({ kind: 'reserved' });
    expect(await callouts.hasAcceptedTerms(userId, '1')).toBe(true);

    const other = randomSnowflake();
    clock.advance(31 * MINUTE);
    expect(await ask(other, userId)).toMatchObject({ kind: 'reserved' });
    expect(await ask(randomSnowflake(), userId, deps('2'))).toMatchObject({ kind: 'terms', version: '2' });
    expect(await callouts.hasAcceptedTerms(userId, '2')).toBe(false);
  });

  it('a lapsed draft asks to start again (15 minutes)', async () => {
    const guildId = randomSnowflake();
    const userId = randomSnowflake();
    await ask(guildId, userId);
    clock.advance(16 * MINUTE);
    await expect(acceptTermsAndRequest({ guildId, userId, version: '1', isStaff: () => true }, deps())).rejects.toThrow('This callout request expired. Run `/callout` again.');
  });

  it('one open callout per guild, then the cooldown; after the cooldown a new one is accepted', async () => {
    const guildId = randomSnowflake();
    const userId = randomSnowflake();
    await callouts.acceptTerms(userId, '1', guildId, clock.now());
    const first = await ask(guildId, userId);
    if (first.kind !== 'reserved') throw new Error('expected a reservation');
    await expect(ask(guildId, userId)).rejects.toThrow('This server already has an open callout.');
    await callouts.markOpen(guildId, first.callout.calloutId, clock.now() + 15 * MINUTE);
    clock.advance(5 * MINUTE);
    await callouts.close(guildId, first.callout.calloutId, { status: 'resolved', by: randomSnowflake(), note: 'done' }, clock.now());
    await expect(ask(guildId, userId)).rejects.toThrow(`You can call out again <t:${Math.floor((first.callout.createdAt + 30 * MINUTE) / 1000)}:R>.`);
    clock.advance(25 * MINUTE);
    expect(await ask(guildId, userId)).toMatchObject({ kind: 'reserved' });
  });

  it('a reservation whose delivery never ran (its job never queued) is released by the sweep after 10 minutes, and the guild can call out again', async () => {
    const sweep = calloutSweep({ callouts, workQueue: deps().workQueue, expireMs: 60 * MINUTE, log: { error: jest.fn() } });
    const guildId = randomSnowflake();
    const userId = randomSnowflake();
    await callouts.acceptTerms(userId, '1', guildId, clock.now());
    const lost = await ask(guildId, userId);
    if (lost.kind !== 'reserved') throw new Error('expected a reservation');
    // Another guild's callout that the worker delivered in time is not touched.
    const otherGuild = randomSnowflake();
    const delivered = await ask(otherGuild, userId);
    if (delivered.kind !== 'reserved') throw new Error('expected a reservation');
    await callouts.markOpen(otherGuild, delivered.callout.calloutId, clock.now() + 15 * MINUTE);

    clock.advance(9 * MINUTE);
    await sweep.run(clock.now());
    expect(await callouts.get(guildId, lost.callout.calloutId)).toMatchObject({ status: 'opening', dueStep: 'deliver' });
    await expect(ask(guildId, userId)).rejects.toThrow('This server already has an open callout.');

    clock.advance(1 * MINUTE);
    jobs.length = 0;
    await sweep.run(clock.now());
    expect(await callouts.get(guildId, lost.callout.calloutId)).toBeNull();
    expect(await callouts.get(otherGuild, delivered.callout.calloutId)).toMatchObject({ status: 'open', dueStep: 'escalate' });
    expect(jobs.filter((j) => 'guildId' in j && (j.guildId === guildId || j.guildId === otherGuild))).toEqual([]);
    // Slot and cooldown are given back: nothing reached the vendor.
    expect(await ask(guildId, userId)).toMatchObject({ kind: 'reserved' });
  });

  it('a stuck reservation that already made its invite: the sweep hands it to the worker, which deletes the invite and frees the slot', async () => {
    const sweep = calloutSweep({ callouts, workQueue: deps().workQueue, expireMs: 60 * MINUTE, log: { error: jest.fn() } });
    const guildId = randomSnowflake();
    const userId = randomSnowflake();
    await callouts.acceptTerms(userId, '1', guildId, clock.now());
    const stuck = await ask(guildId, userId);
    if (stuck.kind !== 'reserved') throw new Error('expected a reservation');
    await callouts.saveProgress(guildId, stuck.callout.calloutId, { inviteCode: 'stuckInvite', inviteChannelId: randomSnowflake(), inviteExpiresAt: clock.now() + 60 * MINUTE });

    clock.advance(10 * MINUTE);
    jobs.length = 0;
    await sweep.run(clock.now());
    // (Earlier tests' callouts share the table and the clock: only this guild's jobs are looked at.)
    const mine = () => jobs.filter((j) => 'guildId' in j && j.guildId === guildId);
    expect(mine()).toEqual([{ type: 'callout.close', guildId, calloutId: stuck.callout.calloutId }]);
    // Claimed: a second sweep meanwhile does not queue it again.
    await sweep.run(clock.now());
    expect(mine()).toHaveLength(1);

    const deleted: string[] = [];
    const discord = new Proxy({} as DiscordApi, { get: (_t, name) => (name === 'deleteInvite' ? async (code: string) => void deleted.push(code) : undefined) });
    await finishCallout(guildId, stuck.callout.calloutId, { callouts, tickets, discord, clock, hq: hqFor('1'), telemetry: { capture: () => undefined } });
    expect(deleted).toEqual(['stuckInvite']);
    expect(await callouts.get(guildId, stuck.callout.calloutId)).toBeNull();
    expect(await ask(guildId, userId)).toMatchObject({ kind: 'reserved' });
  });

  it('ten agents pressing Respond at once: one responder; callout_responded carries seconds to respond and no user ids', async () => {
    const guildId = randomSnowflake();
    const userId = randomSnowflake();
    await callouts.acceptTerms(userId, '1', guildId, clock.now());
    const r = await ask(guildId, userId);
    if (r.kind !== 'reserved') throw new Error('expected a reservation');
    await callouts.markOpen(guildId, r.callout.calloutId, clock.now() + 15 * MINUTE);
    clock.advance(90_000);
    jobs.length = 0;
    const agents = Array.from({ length: 10 }, randomSnowflake);
    const outcomes = await Promise.allSettled(agents.map((agentId) => respondToCallout({ guildId, calloutId: r.callout.calloutId, agentId }, deps())));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && /already took this callout/.test(String(o.reason)))).toHaveLength(9);
    expect(jobs).toEqual([{ type: 'callout.responded', guildId, calloutId: r.callout.calloutId }]);

    const discord = new Proxy({} as DiscordApi, { get: () => async () => true });
    await announceResponder(guildId, r.callout.calloutId, { callouts, tickets, discord, clock, hq: hqFor('1'), telemetry: { capture: (e: TelemetryEvent) => void events.push(e) } });
    expect(events).toEqual([{ event: 'callout_responded', guildId, properties: { seconds_to_respond: 90 }, at: clock.now() }]);
  });

  it('enforcement telemetry counts actions without the target’s id; history and lookups are audited', async () => {
    const enforcement = new DynamoEnforcementStore(env.db, env.resources.tableName);
    const seen: TelemetryEvent[] = [];
    const d = { enforcement, sealer: new Sealer(randomBytes(32)), clock, telemetry: { capture: (e: TelemetryEvent) => void seen.push(e) } };
    const target = randomSnowflake();
    await addEnforcement({ kind: 'user', targetId: target, reason: 'Spam', outcome: 'ban', actor: 'ops:test', related: [], personal: null }, d);
    await lookupEnforcement({ kind: 'user', targetId: target, tier: 'standard', actor: 'ops:test', justification: null, mode: 'history' }, d);
    await liftEnforcement({ kind: 'user', targetId: target, actor: 'ops:test', reason: null }, d);
    expect(seen.map((e) => [e.event, e.properties])).toEqual([
      ['enforcement_action', { action: 'add', kind: 'user', outcome: 'ban' }],
      ['enforcement_action', { action: 'history', kind: 'user', tier: 'standard' }],
      ['enforcement_action', { action: 'lift', kind: 'user' }],
    ]);
    expect(JSON.stringify(seen)).not.toContain(target);
    await expect(lookupEnforcement({ kind: 'user', targetId: target, tier: 'sudo', actor: 'ops:test', justification: '', mode: 'lookup' }, d)).rejects.toThrow('needs a written justification');
  });
});
