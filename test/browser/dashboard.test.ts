import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { publishGatewayEvent } from '../../local/sandbox';
import { startE2E, type E2E } from '../support/stack';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('dashboard in headless Chromium', () => {
  let e: E2E;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`);
    e = await startE2E('browser');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  });

  it('logs in with Discord and lists the servers the user manages, with user content shown as text', async () => {
    const now = Date.now();
    await publishGatewayEvent(e.stack, { type: 'guild.create', guildId: e.world.guild.id, ownerId: e.world.userId, joinedAt: new Date(now).toISOString(), at: now });
    const hostile = e.discord.createGuild({ name: '<img src=x onerror="document.title=\'pwned\'">', ownerId: e.world.userId });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(e.stack.url);
    await page.getByRole('link', { name: 'Log in with Discord' }).click();
    // Discord's consent (the emulator answers at once) → /auth/callback → back to the dashboard.
    await page.waitForURL(`${e.stack.url}/`);
    await page.locator('#guilds li').first().waitFor();

    const installedBadge = page.locator(`li[data-guild-id="${e.world.guild.id}"] .badge.installed`);
    if ((await installedBadge.count()) === 0) {
      // The install event may land just after the first load: reload once, as a user would.
      await page.reload();
      await installedBadge.waitFor();
    }
    expect(await page.locator('#username').textContent()).toBe('Sandbox Owner');
    expect(await page.locator(`li[data-guild-id="${e.world.guild.id}"] .guild-name`).textContent()).toBe('Deskwire Sandbox');
    expect(await page.locator(`li[data-guild-id="${e.world.guild.id}"] .badge`).textContent()).toBe('Deskwire active');
    expect(await page.locator(`li[data-guild-id="${hostile.id}"] .guild-name`).textContent()).toBe('<img src=x onerror="document.title=\'pwned\'">');
    expect(await page.locator(`li[data-guild-id="${hostile.id}"] .badge`).textContent()).toBe('Not added');
    expect(await page.title()).toBe('Deskwire dashboard');
    expect(errors).toEqual([]);

    mkdirSync(join(__dirname, '..', '..', '.local'), { recursive: true });
    await page.screenshot({ path: join(__dirname, '..', '..', '.local', 'dashboard.png') });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in with Discord' }).waitFor();
  });
});
