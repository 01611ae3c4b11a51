import { signLink } from '../../lambdas/shared/transcripts/links';
import { startE2E, type E2E } from '../support/stack';

describe('dashboard without DISCORD_CLIENT_SECRET (bot-token mode, no OAuth login)', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E('dash-no-login', { env: { DISCORD_CLIENT_SECRET: '' } });
  });
  afterAll(() => e.close());

  const get = async (path: string) => {
    const res = await fetch(`${e.stack.url}${path}`, { redirect: 'manual' });
    return [res.status, await res.json()];
  };

  it('answers /auth/* with 503 and what to set, and everything else as usual', async () => {
    const notConfigured = { error: 'not_configured', message: 'dashboard login is not configured: set DISCORD_CLIENT_SECRET' };
    expect(await get('/auth/login')).toEqual([503, notConfigured]);
    expect(await get('/auth/callback?code=x&state=y')).toEqual([503, notConfigured]);
    expect(await get('/api/health')).toEqual([200, { ok: true }]);
    expect((await get('/api/me'))[0]).toBe(401);
    // A signed transcript link is checked and answered (here: no such transcript), not a 500.
    const secret = e.stack.functionEnv.DASHBOARD_SESSION_SECRET!;
    const token = signLink(secret, { guildId: e.world.guild.id, number: 1, userId: e.world.userId, expiresAt: Math.floor(Date.now() / 1000) + 600 });
    const [status, body] = await get(`/transcripts/${e.world.guild.id}/1/${token}/`);
    expect([status, body]).toEqual([404, { error: 'not_found', message: expect.any(String) }]);
  });
});
