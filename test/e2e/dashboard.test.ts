import { publishGatewayEvent } from '../../local/sandbox';
import { eventually } from '../support/eventually';
import { startE2E, type E2E } from '../support/stack';

/** Follows the OAuth2 login like a browser: /auth/login → Discord authorize → /auth/callback. */
async function logIn(e: E2E): Promise<string> {
  const login = await fetch(`${e.stack.url}/auth/login`, { redirect: 'manual' });
  expect(login.status).toBe(302);
  const stateCookie = login.headers.getSetCookie().find((c) => c.startsWith('dw_oauth_state='))!;
  expect(stateCookie).toMatch(/HttpOnly; SameSite=Lax/);
  const authorize = new URL(login.headers.get('location')!);
  expect(authorize.pathname).toBe('/api/oauth2/authorize');
  expect(authorize.searchParams.get('scope')).toBe('identify guilds');
  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get('location')!);
  expect(callback.pathname).toBe('/auth/callback');
  const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie.split(';')[0] } });
  expect(done.status).toBe(302);
  expect(done.headers.get('location')).toBe('/');
  const session = done.headers.getSetCookie().find((c) => c.startsWith('dw_session='))!;
  expect(session).toMatch(/HttpOnly; SameSite=Lax; Max-Age=604800/);
  return session.split(';')[0];
}

describe('dashboard API through the local stack', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E('dashboard');
  });
  afterAll(() => e.close());

  it('logs in with Discord OAuth2 and lists the guilds the user manages, marking where Deskwire is installed', async () => {
    // The owner also manages a second guild without Deskwire, and is a plain member of a third.
    const other = e.discord.createGuild({ name: 'Other Server', ownerId: e.world.userId });
    const foreign = e.discord.createGuild({ name: 'Not Mine' });
    e.discord.addMember(foreign.id, e.world.userId, []);
    const now = Date.now();
    await publishGatewayEvent(e.stack, { type: 'guild.create', guildId: e.world.guild.id, ownerId: e.world.userId, joinedAt: new Date(now).toISOString(), at: now });

    const cookie = await logIn(e);
    const me = await eventually(async () => {
      const res = await fetch(`${e.stack.url}/api/me`, { headers: { cookie } });
      const body = (await res.json()) as { guilds: Array<{ id: string; installed: boolean }> };
      return body.guilds.find((g) => g.id === e.world.guild.id)?.installed && body;
    }, 5000, 'guild installed');
    expect(me).toEqual({
      user: { id: e.world.userId, username: 'Sandbox Owner', avatar: expect.stringMatching(/^[0-9a-f]{32}$/) },
      guilds: expect.arrayContaining([
        { id: e.world.guild.id, name: 'Deskwire Sandbox', icon: null, installed: true },
        { id: other.id, name: 'Other Server', icon: null, installed: false },
      ]),
    });
    expect(JSON.stringify(me)).not.toContain(foreign.id);
  });

  it('answers 401 JSON without a session, and after logout', async () => {
    const anon = await fetch(`${e.stack.url}/api/me`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ error: 'unauthorized', message: 'Log in with Discord to continue.' });

    const cookie = await logIn(e);
    expect((await fetch(`${e.stack.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${e.stack.url}/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^dw_session=; .*Max-Age=0/);
    expect((await fetch(`${e.stack.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a callback whose state does not match this browser (CSRF)', async () => {
    const res = await fetch(`${e.stack.url}/auth/callback?code=abc&state=forged`, { redirect: 'manual', headers: { cookie: 'dw_oauth_state=other' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('answers unknown endpoints with 404 JSON and wrong methods with 405', async () => {
    const missing = await fetch(`${e.stack.url}/api/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'No such endpoint: /api/nope' });
    const wrong = await fetch(`${e.stack.url}/api/me`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
  });

  it('serves the front end', async () => {
    const res = await fetch(`${e.stack.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('Log in with Discord');
  });
});


describe('dashboard behind CloudFront without DASHBOARD_BASE_URL', () => {
  it('builds the OAuth2 redirect from x-forwarded-host', async () => {
    const { handleDashboardRequest } = await import('../../lambdas/dashboard/app');
    const { noopTelemetry } = await import('../../lambdas/shared/ports/telemetry');
    const res = (await handleDashboardRequest(
      { rawPath: '/auth/login', rawQueryString: '', headers: { 'x-forwarded-host': 'd1234.cloudfront.net' }, requestContext: { http: { method: 'GET' } } } as never,
      {
        baseUrl: undefined,
        oauth: { authorizeUrl: (state: string, redirect: string) => `https://discord.example/authorize?redirect_uri=${encodeURIComponent(redirect)}&state=${state}` } as never,
        sessions: {} as never,
        guilds: {} as never,
        telemetry: noopTelemetry,
        clock: { now: () => 0 },
        log: { error: () => undefined } as never,
      },
    )) as { statusCode: number; headers: Record<string, string>; cookies: string[] };
    expect(res.statusCode).toBe(302);
    expect(decodeURIComponent(res.headers.location)).toContain('redirect_uri=https://d1234.cloudfront.net/auth/callback');
    expect(res.cookies[0]).toMatch(/; Secure$/);
  });
});

describe('dashboard and static files: bad input gets a 4xx JSON answer', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E('dashboard-bad-input');
  });
  afterAll(() => e.close());

  it('ignores a mangled session cookie (401, not 500)', async () => {
    const res = await fetch(`${e.stack.url}/api/me`, { headers: { cookie: 'dw_session=%E0%A4%A; other=1' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('refuses a multi-byte state that differs from the cookie in bytes (401, not 500)', async () => {
    const res = await fetch(`${e.stack.url}/auth/callback?code=abc&state=${encodeURIComponent('éééé')}`, { redirect: 'manual', headers: { cookie: 'dw_oauth_state=abcd' } });
    expect(res.status).toBe(401);
  });

  it('answers malformed and traversing paths without leaking files', async () => {
    const malformed = await fetch(`${e.stack.url}/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'bad_path', message: 'Invalid path encoding.' });
    for (const path of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../package.json']) {
      const res = await fetch(`${e.stack.url}${path}`);
      expect(await res.text()).not.toContain('"devDependencies"');
    }
    const missing = await fetch(`${e.stack.url}/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });
});
