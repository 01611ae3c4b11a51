import { DAY_MS } from '../../lambdas/shared/clock';
import { LicenseRequiredError } from '../../lambdas/shared/errors';
import { FEATURES, hasFeature, requireFeature, TIER_FEATURES, TIERS, type Feature } from '../../lambdas/shared/licensing/features';
import { generateLicenseKey, hashLicenseKey, KEY_ALPHABET, licenseIdOf, parseLicenseKey } from '../../lambdas/shared/licensing/license-key';
import { entitlementOf, scheduleFrom, stepToRun, type GuildLicense } from '../../lambdas/shared/licensing/model';

const T0 = Date.parse('2026-11-01T12:00:00Z');
const GRACE = 3 * DAY_MS;

describe('license keys', () => {
  it('look like DW-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX in Crockford base32, 100 random bits, never repeating', () => {
    const keys = Array.from({ length: 2000 }, generateLicenseKey);
    for (const k of keys) expect(k).toMatch(/^DW(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
    expect(new Set(keys).size).toBe(keys.length);
    // Every symbol of the alphabet shows up in the random part (uniform draw over 32 symbols).
    expect(new Set(keys.flatMap((k) => [...k.slice(3, 26).replace(/-/g, '')])).size).toBe(KEY_ALPHABET.length);
    expect(Math.log2(KEY_ALPHABET.length) * 20).toBeGreaterThanOrEqual(100);
  });

  it('read as people type them: any case, spaces, missing hyphens, O for 0, I and L for 1', () => {
    const key = generateLicenseKey();
    expect(parseLicenseKey(key)).toBe(key);
    expect(parseLicenseKey(` ${key.toLowerCase()} `)).toBe(key);
    expect(parseLicenseKey(key.replace(/-/g, ''))).toBe(key);
    expect(parseLicenseKey(key.slice(3).replace(/-/g, ' '))).toBe(key);
    expect(parseLicenseKey(key.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(key);
  });

  it('catch every single-symbol typo and every swap of neighbours before any lookup', () => {
    // Fixed keys: the check group is 25 bits of a hash, so a check over random keys could (very rarely) differ run to run.
    for (const key of ['DW-GCYX1-GD372-M804P-DJ0CR-QX3KK', 'DW-JFQ3G-W52DF-ER0SC-3HCD7-5VGMJ', 'DW-2VR6A-DV25Y-7JYYJ-FE30P-3C2Z3', 'DW-YMYHS-11Y0T-9BNRY-CAAKS-VRX35']) {
      expect(parseLicenseKey(key)).toBe(key);
      const symbols = key.slice(3).replace(/-/g, '');
      for (let i = 0; i < symbols.length; i++) {
        for (const c of KEY_ALPHABET) {
          if (c === symbols[i]) continue;
          expect(parseLicenseKey(symbols.slice(0, i) + c + symbols.slice(i + 1))).toBeNull();
        }
        if (i + 1 < symbols.length && symbols[i] !== symbols[i + 1]) {
          expect(parseLicenseKey(symbols.slice(0, i) + symbols[i + 1] + symbols[i] + symbols.slice(i + 2))).toBeNull();
        }
      }
      expect(parseLicenseKey(symbols.slice(1))).toBeNull();
      expect(parseLicenseKey(`${symbols}0`)).toBeNull();
    }
    expect(parseLicenseKey('DW-HELLO-WORLD')).toBeNull();
    expect(parseLicenseKey('')).toBeNull();
  });

  it('are stored as a SHA-256 hash; the short id is the start of the hash, not of the key', () => {
    const key = generateLicenseKey();
    const hash = hashLicenseKey(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashLicenseKey(parseLicenseKey(key.toLowerCase())!));
    expect(licenseIdOf(hash)).toBe(hash.slice(0, 12));
  });
});

describe('tiers and features (one place decides)', () => {
  const binding = (tier: GuildLicense['tier'], over: Partial<GuildLicense> = {}): GuildLicense => ({
    guildId: '1',
    keyHash: 'h',
    licenseId: 'abc',
    tier,
    status: 'active',
    expiresAt: T0 + 10 * DAY_MS,
    activatedAt: T0,
    activatedBy: 'discord:2',
    ...over,
  });

  it('standard = tickets + transcripts, pro adds callouts, enterprise adds AI', () => {
    expect(TIER_FEATURES).toEqual({ standard: ['tickets', 'transcripts'], pro: ['tickets', 'transcripts', 'callouts'], enterprise: ['tickets', 'transcripts', 'callouts', 'ai'] });
  });

  it.each(TIERS)('%s: each feature is granted or refused with a message naming the tier to get', (tier) => {
    const e = entitlementOf(binding(tier), T0, GRACE);
    for (const feature of FEATURES as readonly Feature[]) {
      const granted = (TIER_FEATURES[tier] as readonly Feature[]).includes(feature);
      expect(hasFeature(e, feature)).toBe(granted);
      if (granted) expect(requireFeature(e, feature)).toEqual({ graceWarning: null });
      else expect(() => requireFeature(e, feature)).toThrow(/need the (Pro|Enterprise) tier or higher; this server's license is (Standard|Pro)\. A server admin can run `\/license activate`/);
    }
  });

  it('without a license every feature is refused with how to activate', () => {
    const e = entitlementOf(null, T0, GRACE);
    expect(e).toEqual({ state: 'inactive', tier: null, features: [], expiresAt: null, graceEndsAt: null, reason: 'none', licenseId: null });
    for (const f of FEATURES) {
      expect(hasFeature(e, f)).toBe(false);
      expect(() => requireFeature(e, f)).toThrow(LicenseRequiredError);
    }
    expect(() => requireFeature(e, 'tickets')).toThrow('Deskwire is not activated in this server yet, so Tickets are not available. A server admin can run `/license activate` with a license key.');
  });

  it('active until expiry, in grace (works, warns) for the grace period, then inactive; suspended and revoked are inactive', () => {
    const b = binding('pro');
    expect(entitlementOf(b, b.expiresAt - 1, GRACE)).toMatchObject({ state: 'active', features: TIER_FEATURES.pro, graceEndsAt: b.expiresAt + GRACE });
    const grace = entitlementOf(b, b.expiresAt, GRACE);
    expect(grace).toMatchObject({ state: 'grace', features: TIER_FEATURES.pro });
    expect(requireFeature(grace, 'tickets').graceWarning).toContain(`grace period ends <t:${Math.floor((b.expiresAt + GRACE) / 1000)}:R>`);
    const over = entitlementOf(b, b.expiresAt + GRACE, GRACE);
    expect(over).toMatchObject({ state: 'inactive', features: [], reason: 'expired' });
    expect(() => requireFeature(over, 'tickets')).toThrow(/license expired <t:\d+:R> and its grace period is over, so Tickets are paused\. A server admin can run `\/license activate`/);
    for (const status of ['suspended', 'revoked'] as const) {
      const e = entitlementOf(binding('enterprise', { status }), T0, GRACE);
      expect(e).toMatchObject({ state: 'inactive', reason: status });
      expect(() => requireFeature(e, 'ai')).toThrow(`license is ${status}`);
    }
  });
});

describe('the expiry schedule', () => {
  const exp = T0 + 30 * DAY_MS;
  it('starts at the first step, or at the latest one already reached', () => {
    expect(scheduleFrom(exp, GRACE, T0)).toEqual({ dueStep: 'warn7', dueAt: exp - 7 * DAY_MS });
    expect(scheduleFrom(exp, GRACE, exp - 3 * DAY_MS)).toEqual({ dueStep: 'warn7', dueAt: exp - 7 * DAY_MS });
    expect(scheduleFrom(exp, GRACE, exp - DAY_MS / 2)).toEqual({ dueStep: 'warn1', dueAt: exp - DAY_MS });
    expect(scheduleFrom(exp, GRACE, exp + GRACE + 1)).toEqual({ dueStep: 'grace-end', dueAt: exp + GRACE });
  });

  it('runs the latest step reached (a late sweep skips stale warnings) and names the next', () => {
    expect(stepToRun('warn7', exp, GRACE, exp - 8 * DAY_MS)).toBeNull();
    expect(stepToRun('warn7', exp, GRACE, exp - 7 * DAY_MS)).toEqual({ run: 'warn7', next: { step: 'warn1', at: exp - DAY_MS } });
    expect(stepToRun('warn7', exp, GRACE, exp - DAY_MS / 2)).toEqual({ run: 'warn1', next: { step: 'expire', at: exp } });
    expect(stepToRun('expire', exp, GRACE, exp)).toEqual({ run: 'expire', next: { step: 'grace-end', at: exp + GRACE } });
    expect(stepToRun('grace-end', exp, GRACE, exp + GRACE)).toEqual({ run: 'grace-end', next: null });
  });
});

describe('LICENSE_GRACE_DAYS', () => {
  it('defaults to 3 days and refuses anything but 0–60 whole days, naming the variable', async () => {
    const z = await import('zod/mini');
    const { CommonConfig, parseConfig } = await import('../../lambdas/shared/config');
    const grace = z.pick(CommonConfig, { LICENSE_GRACE_DAYS: true });
    expect(parseConfig(grace, {})).toEqual({ LICENSE_GRACE_DAYS: 3 });
    expect(parseConfig(grace, { LICENSE_GRACE_DAYS: '0' })).toEqual({ LICENSE_GRACE_DAYS: 0 });
    for (const bad of ['61', '2.5', 'three']) expect(() => parseConfig(grace, { LICENSE_GRACE_DAYS: bad })).toThrow('LICENSE_GRACE_DAYS: must be a whole number of days from 0 to 60');
  });
});
