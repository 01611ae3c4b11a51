import { ForbiddenError, UnauthorizedError } from '../../lambdas/shared/errors';
import { handleDashboardRequest } from '../../lambdas/dashboard/app';
import { TtlCache } from '../../lambdas/shared/ttl-cache';
import { redactViewerPath, signLink } from '../../lambdas/shared/transcripts/links';
import { escapeHtml } from '../../lambdas/shared/transcripts/markdown';
import { RATING_SLOT } from '../../lambdas/shared/transcripts/render-html';
import { authorizeViewer, readTranscriptFile, type ViewerDeps } from '../../lambdas/shared/transcripts/viewer';

const guildId = '100000000000000001';
const opener = '200000000000000001';
const outsider = '200000000000000009';
const now = Date.parse('2026-11-01T12:00:00Z');

function viewerDeps(refused: unknown[]): ViewerDeps {
  const ticket = { guildId, number: 7, openerId: opener, categoryId: 'general', status: 'closed', closedAt: now - 1000 };
  const record = { guildId, number: 7, closedAt: now - 1000, prefix: 'p/', openerId: opener };
  return {
    tickets: { getTicket: async () => ticket, getSettings: async () => ({ staffRoleIds: ['300000000000000001'] }), getCategory: async () => null } as never,
    records: { latest: async () => record } as never,
    archive: {} as never,
    linkSecret: 'secret',
    members: { getMember: async (_g: string, userId: string) => ({ roles: userId === outsider ? [] : ['300000000000000001'], nick: null, user: { id: userId, username: 'x' } }) },
    now: () => now,
    onRefused: (r) => refused.push(r),
  };
}

describe('who may read a transcript', () => {
  it('logs every refusal with who, which ticket and why', async () => {
    const refused: unknown[] = [];
    const d = viewerDeps(refused);
    const expired = signLink('secret', { guildId, number: 7, userId: opener, expiresAt: now / 1000 - 1 });
    await expect(authorizeViewer(guildId, 7, { kind: 'link', token: expired }, d)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeViewer(guildId, 7, { kind: 'link', token: `${expired}x` }, d)).rejects.toBeInstanceOf(ForbiddenError);
    const session = (userId: string) => ({ kind: 'session' as const, session: { id: 's', userId, username: 'x', avatar: null, guilds: [], createdAt: now, expiresAt: now + 1000 } });
    await expect(authorizeViewer(guildId, 7, session(outsider), d)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeViewer(guildId, 7, { kind: 'session', session: null }, d)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(refused).toEqual([
      { guildId, number: 7, userId: null, reason: 'link-expired' },
      { guildId, number: 7, userId: null, reason: 'link-invalid' },
      { guildId, number: 7, userId: outsider, reason: 'not-staff' },
      { guildId, number: 7, userId: null, reason: 'no-session' },
    ]);
    // The opener and staff by role pass.
    await expect(authorizeViewer(guildId, 7, session(opener), d)).resolves.toMatchObject({ via: 'opener', userId: opener });
    await expect(authorizeViewer(guildId, 7, session('200000000000000002'), d)).resolves.toMatchObject({ via: 'staff' });
  });
});

describe('the page with a rating given after it was stored', () => {
  const page = `<html><body><dl><dt>Rating</dt><dd>${RATING_SLOT}</dd></dl><p>log</p></body></html>`;
  const access = (feedback: string) =>
    ({
      userId: opener,
      via: 'opener',
      ticket: { guildId, number: 7, closedAt: now - 1000, rating: 4, feedback },
      record: { guildId, number: 7, closedAt: now - 1000, prefix: 'p/' },
    }) as never;
  const archive = { get: async () => ({ data: Buffer.from(page), contentType: 'text/html' }) } as never;

  it.each(["$' and $` and $& and $$", "<b>$'</b>"])('shows the feedback %j literally, once', async (feedback) => {
    const out = await readTranscriptFile(access(feedback), { kind: 'html' }, { archive });
    const html = out.data.toString('utf8');
    expect(html).toBe(page.replace(RATING_SLOT, () => `<b>★★★★☆</b> — ${escapeHtml(feedback)}`));
    expect(html.split('<html>')).toHaveLength(2);
    expect(html).toContain(`— ${escapeHtml(feedback)}</dd>`);
  });
});

describe('viewer paths in logs and answers', () => {
  const token = signLink('secret', { guildId, number: 7, userId: opener, expiresAt: now / 1000 + 3600 });
  const event = (method: string, rawPath: string) => ({ rawPath, rawQueryString: '', headers: {}, cookies: [], requestContext: { http: { method } } }) as never;
  const logged: unknown[] = [];
  const deps = (archive: unknown) =>
    ({
      log: { error: (...args: unknown[]) => logged.push(args), warn: () => undefined },
      telemetry: { capture: () => undefined, captureException: () => undefined, flush: async () => undefined },
      clock: { now: () => now },
      sessions: { get: async () => null },
      baseUrl: 'https://dash.example',
      viewer: { ...viewerDeps([]), archive },
    }) as never;

  it('never logs or echoes the signed link in a transcript path', () => {
    expect(redactViewerPath(`/transcripts/${guildId}/7/${token}/attachments/1/a.png`)).toBe(`/transcripts/${guildId}/7/…`);
    expect(redactViewerPath(`/transcripts/${guildId}/7`)).toBe(`/transcripts/${guildId}/7`);
    expect(redactViewerPath('/api/me')).toBe('/api/me');
  });

  it('a refused method answers 404 without the token; an unexpected failure is logged without it', async () => {
    const notFound = (await handleDashboardRequest(event('POST', `/transcripts/${guildId}/7/${token}/`), deps({ get: async () => null }))) as { statusCode: number; body: string };
    expect(notFound.statusCode).toBe(404);
    expect(String(notFound.body)).not.toContain(token);
    expect(JSON.parse(String(notFound.body)).message).toBe(`No such endpoint: /transcripts/${guildId}/7/…`);

    const broken = (await handleDashboardRequest(event('GET', `/transcripts/${guildId}/7/${token}/`), deps({ get: async () => { throw new Error('S3 is down'); } }))) as { statusCode: number };
    expect(broken.statusCode).toBe(500);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain(token);
    expect(JSON.stringify(logged)).toContain(`/transcripts/${guildId}/7/…`);
  });
});

describe('staff checks are kept a minute per container', () => {
  it('reads the member from Discord once per minute for a page and its files', async () => {
    let reads = 0;
    let clock = now;
    const d: ViewerDeps = {
      ...viewerDeps([]),
      members: { getMember: async (_g: string, userId: string) => (reads++, { roles: userId === outsider ? [] : ['300000000000000001'], nick: null, user: { id: userId, username: 'x' } }) as never },
      staffChecks: new TtlCache<boolean>(60_000),
      now: () => clock,
    };
    const staff = { kind: 'session' as const, session: { id: 's', userId: '200000000000000002', username: 'x', avatar: null, guilds: [], createdAt: now, expiresAt: now + 3_600_000 } };
    for (let i = 0; i < 5; i++) await expect(authorizeViewer(guildId, 7, staff, d)).resolves.toMatchObject({ via: 'staff' });
    expect(reads).toBe(1);
    clock += 60_000;
    await authorizeViewer(guildId, 7, staff, d);
    expect(reads).toBe(2);
    // A refusal is not kept: the next request asks Discord again.
    const refused = { ...staff, session: { ...staff.session, userId: outsider } };
    await expect(authorizeViewer(guildId, 7, refused, d)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authorizeViewer(guildId, 7, refused, d)).rejects.toBeInstanceOf(ForbiddenError);
    expect(reads).toBe(4);
  });
});
