import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCalloutStore } from '../../lambdas/shared/adapters/dynamo-callout-store';
import { DynamoEnforcementStore } from '../../lambdas/shared/adapters/dynamo-enforcement-store';
import type { Callout } from '../../lambdas/shared/callouts/model';
import { runOps } from '../../ops/cli';
import { provisionForTest, randomSnowflake } from '../support/aws';

describe('ops CLI: enforcement and callouts on DynamoDB Local', () => {
  let env: Awaited<ReturnType<typeof provisionForTest>>;
  let stackFile: string;
  const key = randomBytes(32).toString('base64');
  beforeAll(async () => {
    env = await provisionForTest('ops-enforce');
    stackFile = join(mkdtempSync(join(tmpdir(), 'dw-ops-enforce-')), 'stack.json');
    writeFileSync(stackFile, JSON.stringify({ endpoints: env.endpoints, resources: env.resources }));
  });
  afterAll(() => env.destroy());

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOps([...argv, '--stack-file', stackFile, '--actor', 'alice'], { out: (l) => out.push(l), err: (l) => err.push(l), env: { ENFORCEMENT_KEY: key } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const audits = async (action: string) => {
    const res = await env.db.send(
      new QueryCommand({ TableName: env.resources.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `AUDIT#${new Date().toISOString().slice(0, 7)}` }, ConsistentRead: true }),
    );
    return (res.Items ?? []).filter((i) => i.action === action && i.actor === 'ops:alice');
  };

  it('add, lookup per tier, lift and history; the same tiers as in Discord; sudo needs a justification, audited first', async () => {
    const user = randomSnowflake();
    expect(await run('enforce', 'add', 'user', user, '--reason', 'Spam', '--outcome', 'ban', '--related', 'alt-9', '--tier', 'standard')).toMatchObject({
      code: 2,
      err: 'This needs elevated enforcement access or higher; --tier is standard.',
    });
    expect(await run('enforce', 'add', 'user', user, '--reason', 'Spam', '--outcome', 'kick', '--tier', 'standard')).toMatchObject({ code: 2, err: '--outcome must be warning or ban.' });
    const added = await run('enforce', 'add', 'user', user, '--reason', 'Spam rings', '--outcome', 'ban', '--related', 'alt-9', '--personal', 'mail: x@example.com', '--tier', 'sudo');
    expect(added).toMatchObject({ code: 0 });
    expect(added.out).toMatch(new RegExp(`^Recorded ban on user ${user} \\(action .+\\)\\.$`));
    expect(await new DynamoEnforcementStore(env.db, env.resources.tableName).state('user', user)).toMatchObject({ targetId: user });

    const standard = await run('enforce', 'lookup', 'user', user, '--tier', 'standard');
    expect(standard.out).toContain('Status: BANNED since');
    expect(standard.out).toContain('BAN by ops:alice: Spam rings');
    expect(standard.out).not.toContain('alt-9');
    const elevated = await run('enforce', 'lookup', 'user', user, '--tier', 'elevated');
    expect(elevated.out).toContain('related: alt-9');
    expect(elevated.out).not.toContain('x@example.com');

    const before = (await audits('enforcement.lookup')).length;
    expect(await run('enforce', 'lookup', 'user', user, '--tier', 'sudo')).toMatchObject({
      code: 2,
      out: '',
      err: 'A sudo read needs a written justification of at least 20 characters; it goes to the audit log. Nothing was shown.',
    });
    expect(await audits('enforcement.lookup')).toHaveLength(before);
    const sudo = await run('enforce', 'lookup', 'user', user, '--tier', 'sudo', '--justification', 'Law enforcement request LE-2211');
    expect(sudo.out).toContain('personal: mail: x@example.com');
    expect((await audits('enforcement.lookup')).find((a) => a.detail.tier === 'sudo')).toMatchObject({ target: `user:${user}`, detail: { justification: 'Law enforcement request LE-2211' } });

    expect(await run('enforce', 'lift', 'user', user, '--tier', 'standard')).toMatchObject({ code: 2, err: 'This needs elevated enforcement access or higher; --tier is standard.' });
    expect(await run('enforce', 'lift', 'user', user, '--tier', 'elevated')).toMatchObject({ code: 0, out: `Lifted the ban on user ${user}: service restored.` });
    expect((await run('enforce', 'history', 'user', user, '--tier', 'standard')).out).toMatch(/Status: in good standing[\s\S]*\(lifted .* by ops:alice\)/);
    expect(await audits('enforcement.add')).toEqual(expect.arrayContaining([expect.objectContaining({ target: `user:${user}` })]));
    expect(await run('enforce', 'lookup', 'member', user, '--tier', 'standard')).toMatchObject({ code: 2, err: 'Name the target: `enforce lookup <user|guild> <id>`.' });
  });

  it('without ENFORCEMENT_KEY, sensitive fields are refused clearly and nothing is written', async () => {
    const user = randomSnowflake();
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOps(['enforce', 'add', 'user', user, '--reason', 'Spam', '--outcome', 'warning', '--related', 'a', '--tier', 'elevated', '--stack-file', stackFile], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toBe('Sensitive enforcement fields cannot be stored or read: ENFORCEMENT_KEY is not configured for this installation.');
    expect(await new DynamoEnforcementStore(env.db, env.resources.tableName).history('user', user)).toEqual([]);
  });

  it('callouts list [--open], newest first', async () => {
    const store = new DynamoCalloutStore(env.db, env.resources.tableName);
    const base = { reason: 'Panel broke after update', requesterId: randomSnowflake(), channelId: null, ticketNumber: null, tier: 'pro', termsVersion: '1', guildName: null, inviteCode: null, inviteChannelId: null, inviteExpiresAt: null, alertChannelId: null, alertMessageId: null, escalatedAt: null, responderId: null, respondedAt: null, closedBy: null, closedAt: null, note: null, dueStep: null, dueAt: null } as const;
    const a: Callout = { ...base, guildId: randomSnowflake(), calloutId: 'aaaa0001', status: 'opening', createdAt: Date.now() - 1000 };
    const b: Callout = { ...base, guildId: randomSnowflake(), calloutId: 'bbbb0002', status: 'opening', createdAt: Date.now() };
    await store.reserve(a, 0);
    await store.reserve(b, 0);
    await store.markOpen(a.guildId, a.calloutId, Date.now());
    await store.markOpen(b.guildId, b.calloutId, Date.now());
    await store.close(a.guildId, a.calloutId, { status: 'resolved', by: randomSnowflake(), note: 'ok done' }, Date.now());
    const all = await run('callouts', 'list');
    expect(all.code).toBe(0);
    expect(all.out.indexOf('bbbb0002')).toBeLessThan(all.out.indexOf('aaaa0001'));
    expect(all.out).toContain('resolved');
    const open = await run('callouts', 'list', '--open');
    expect(open.out).toContain('bbbb0002');
    expect(open.out).toContain('waiting for an agent');
    expect(open.out).not.toContain('aaaa0001');
  });
});
