import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { ConfigError, parseConfig } from '../../lambdas/shared/config';
import { ACCESS_TIERS, TIER_FIELDS, tierOf, viewFor, type AccessTier, type EnforcementAction } from '../../lambdas/shared/enforcement/model';
import { parseRelated } from '../../lambdas/shared/enforcement/records';
import { Sealer } from '../../lambdas/shared/enforcement/seal';
import { HqConfig, hqSettingsOf } from '../../lambdas/shared/hq/config';

const action: EnforcementAction = {
  kind: 'user',
  targetId: '123456789012345678',
  actionId: '2026-11-01T12:00:00.000Z#abc123',
  reason: 'Harassment',
  outcome: 'ban',
  createdAt: 1,
  actor: 'ops:jo',
  liftedAt: null,
  liftedBy: null,
  sealed: 'v1.x.y.z',
};
const sensitive = { related: ['alt-1', 'steam:99'], personal: 'jo@example.com' };

describe('enforcement tiers: each tier sees exactly its fields', () => {
  const STANDARD = ['kind', 'targetId', 'reason', 'outcome', 'createdAt', 'actor', 'liftedAt', 'liftedBy'];
  it.each([
    ['standard', STANDARD],
    ['elevated', [...STANDARD, 'related']],
    ['sudo', [...STANDARD, 'related', 'personal']],
  ] as Array<[AccessTier, string[]]>)('%s', (tier, fields) => {
    const view = viewFor(action, sensitive, tier);
    expect(Object.keys(view).sort()).toEqual([...fields].sort());
    expect(TIER_FIELDS[tier]).toEqual(fields);
    // Never the sealed blob itself.
    expect(JSON.stringify(view)).not.toContain('v1.x.y.z');
    expect(JSON.stringify(view).includes('jo@example.com')).toBe(tier === 'sudo');
    expect(JSON.stringify(view).includes('steam:99')).toBe(tier !== 'standard');
  });

  it('the highest tier among a member’s roles wins; no tier role, no access', () => {
    const roles = { standard: ['1'], elevated: ['2'], sudo: ['3'] };
    expect(tierOf(['9'], roles)).toBeNull();
    expect(tierOf(['1'], roles)).toBe('standard');
    expect(tierOf(['1', '2'], roles)).toBe('elevated');
    expect(tierOf(['3', '1'], roles)).toBe('sudo');
    expect(ACCESS_TIERS).toEqual(['standard', 'elevated', 'sudo']);
  });

  it('related identifiers: split on commas, spaces and lines; de-duplicated; bounded', () => {
    expect(parseRelated('a, b\nc  a')).toEqual(['a', 'b', 'c']);
    expect(parseRelated(null)).toEqual([]);
    expect(() => parseRelated(Array.from({ length: 21 }, (_, i) => `x${i}`).join(','))).toThrow('At most 20 related identifiers');
  });
});

describe('AES-256-GCM sealing', () => {
  const sealer = new Sealer(randomBytes(32));
  it('round-trips, with a fresh IV each time', () => {
    const a = sealer.seal('secret', 'user#1#a');
    expect(a).toMatch(/^v1\./);
    expect(a).not.toBe(sealer.seal('secret', 'user#1#a'));
    expect(sealer.open(a, 'user#1#a')).toBe('secret');
  });
  it('refuses another record’s value, a tampered value, or another key', () => {
    const sealed = sealer.seal('secret', 'user#1#a');
    expect(() => sealer.open(sealed, 'user#2#a')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3], 'base64url').toString('latin1'), 'latin1').toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'user#1#a')).toThrow();
    expect(() => new Sealer(randomBytes(32)).open(sealed, 'user#1#a')).toThrow();
    expect(() => new Sealer(randomBytes(16))).toThrow('32 bytes');
  });
});

describe('HQ configuration', () => {
  const parse = (env: Record<string, string>) => hqSettingsOf(parseConfig(z.object(HqConfig), env));
  it('absent: null (commands say the HQ is not configured)', () => {
    expect(parse({})).toBeNull();
  });
  it('role lists, minutes and defaults', () => {
    expect(parse({ HQ_GUILD_ID: '100000000000000001', HQ_AGENT_ROLE_IDS: '100000000000000002, 100000000000000003', CALLOUT_ESCALATE_MINUTES: '5' })).toMatchObject({
      agentRoleIds: ['100000000000000002', '100000000000000003'],
      escalateMs: 5 * 60_000,
      expireMs: 60 * 60_000,
      cooldownMs: 30 * 60_000,
      termsVersion: '1',
      calloutChannelId: null,
    });
  });
  it('names the malformed variable', () => {
    expect(() => parse({ HQ_GUILD_ID: '1', HQ_AGENT_ROLE_IDS: 'abc' })).toThrow(ConfigError);
    let issues: string[] = [];
    try {
      parse({ HQ_GUILD_ID: '100000000000000001', HQ_AGENT_ROLE_IDS: 'abc', CALLOUT_EXPIRE_MINUTES: '0' });
    } catch (err) {
      issues = (err as ConfigError).issues;
    }
    expect(issues).toEqual(['HQ_AGENT_ROLE_IDS: must be role ids (17–20 digits) separated by commas', 'CALLOUT_EXPIRE_MINUTES: must be a whole number of minutes from 2 to 1440']);
  });
});
