import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateInteractionKeyPair, pingInteraction, startDiscordEmulator } from '../../local/discord';
import { eventually } from '../support/eventually';

const ROOT = resolve(__dirname, '..', '..');
/**
 * What `npm start` runs (package.json). tsx is loaded into Node itself rather than through the tsx
 * CLI, whose signal relay SIGKILLs a child that does not acknowledge a signal within 30 ms — too
 * short on a busy machine, and a killed local stack cannot stop its emulators cleanly.
 */
const START_ARGS = ['--import', 'tsx', 'bin/local.ts'];
const running = (pattern: string) => {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
};

describe('npm start (sandbox) as a process', () => {
  it('runs what package.json says npm start runs', () => {
    expect((require(join(ROOT, 'package.json')) as { scripts: { start: string } }).scripts.start).toBe(`node ${START_ARGS.join(' ')}`);
  });

  it('plays the round trip, says what runs where, and SIGTERM stops everything (no orphan java)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dw-start-'));
    const child = spawn(process.execPath, START_ARGS, {
      cwd: ROOT,
      // Sandbox: no Discord credentials, whatever the developer's shell has.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOCAL_DATA_DIR: dataDir, LOCAL_SWEEP_INTERVAL_SECONDS: '3600' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await eventually(async () => out.includes('Ctrl-C stops everything.'), 60_000, `npm start to finish its script:\n${out}`);
      expect(out).toContain('sandbox (no Discord credentials');
      expect(out).toMatch(/interactions {2}POST http:\/\/127\.0\.0\.1:\d+\/interactions/);
      expect(out).toMatch(/DynamoDB Local http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toContain('✓ PING → {"type":1}');
      expect(out).toContain('✓ /help answered inline');
      expect(out).toMatch(/✓ \/status deferred in [\d.]+ ms → work queue → worker λ edited the reply/);
      expect(out).toContain('Deskwire status for Deskwire Sandbox');
      expect(out).toContain('✓ /setup (owner) answered inline');
      expect(out).toMatch(/✓ ops issued a license key \(npm run ops -- license issue\): DW(-[0-9A-Z]{5}){5}/);
      expect(out).toMatch(/✓ \/license activate \(owner\) answered inline in [\d.]+ ms: ✅ Deskwire is activated in this server: \*\*Enterprise\*\* license/);
      expect(out).toMatch(/✓ \/ticket open \(member\) deferred in [\d.]+ ms → worker created private thread #ticket-\d{4} and posted:/);
      // The rest of the ticket's life, and its transcript served by the printed link.
      expect(out).toMatch(/✓ Claim pressed \(staff\) answered in [\d.]+ ms: 🙋 <@\d+> claimed this ticket/);
      expect(out).toContain('✓ 3 messages (member and staff) → gateway message.create → events.fifo → events λ kept them in the live log');
      expect(out).toMatch(/✓ \/ticket close reason: \(staff\) asked for confirmation in [\d.]+ ms: Close ticket #0001\?/);
      expect(out).toMatch(/✓ Confirm pressed \(staff\) deferred in [\d.]+ ms → worker closed the ticket: 🔒 Ticket #0001 is closed\./);
      expect(out).toContain('✓ worker locked and archived #ticket-0001');
      expect(out).toContain('✓ transcripts λ built the transcript (sealed in the archive) and posted it in #transcripts:');
      expect(out).toContain('┃ Close reason: Fixed in today’s release');
      expect(out).toMatch(/✓ \/callout \(owner\) → terms accepted → worker made a single-use invite and alerted #callouts in "Deskwire HQ"/);
      expect(out).not.toContain('✗');
      const transcriptUrl = /Read the transcript \(signed link, one hour\): (\S+)/.exec(out)?.[1];
      expect(transcriptUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/transcripts\/\d+\/1\/[\w.-]+\/$/);
      const page = await fetch(transcriptUrl!);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/html')]);
      const html = await page.text();
      for (const said of ['Exporting my report to CSV fails with &quot;error 42&quot;.', 'That is fixed in today’s release', 'It works now, thank you!']) expect(html).toContain(said);

      // Driving it from curl: a bad body is a 400 that says what to send; a command runs in a ticket by number.
      const base = /HTTP {10}(\S+)/.exec(out)![1];
      const drive = async (body: string) => {
        const res = await fetch(`${base}/sandbox/command`, { method: 'POST', body });
        return [res.status, (await res.json()) as { error?: string; message?: unknown; text?: string }] as const;
      };
      expect(await drive('null')).toEqual([400, { error: 'bad_request', message: expect.stringContaining('The body must be a JSON object. Send {"name"') }]);
      expect(await drive('{"name":"nope"}')).toEqual([400, { error: 'bad_request', message: 'There is no command /nope in the sandbox server.' }]);
      expect(await drive('{"name":"status","channel":"42"}')).toEqual([400, { error: 'bad_request', message: 'There is no ticket #42 with a thread or channel in the sandbox server.' }]);
      expect(await drive('{"name":"status","as":"admin"}')).toEqual([400, { error: 'bad_request', message: '"as" must be "owner", "member" or "staff".' }]);
      const [, reopened] = await drive('{"name":"ticket reopen","as":"staff","channel":"1"}');
      expect(reopened.text).toMatch(/#0001/);
      expect(running(dataDir)).toBe(true); // DynamoDB Local persists under the data dir
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    await eventually(async () => !running(dataDir), 10_000, 'DynamoDB Local to stop');
  }, 90_000);

  it('with a bot token: registers the commands to the dev guild over DISCORD_API_BASE_URL and verifies with DISCORD_PUBLIC_KEY', async () => {
    // The emulator plays the real Discord here: REST base, application, key pair, a dev guild.
    const discord = await startDiscordEmulator({ keyPair: generateInteractionKeyPair() });
    const guild = discord.createGuild({ name: 'Dev Server' });
    const dataDir = mkdtempSync(join(tmpdir(), 'dw-start-'));
    const child = spawn(process.execPath, START_ARGS, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        LOCAL_DATA_DIR: dataDir,
        LOCAL_GATEWAY: 'off',
        DISCORD_BOT_TOKEN: discord.botToken,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_PUBLIC_KEY: discord.publicKeyHex,
        DISCORD_API_BASE_URL: discord.apiBaseUrl,
        DISCORD_DEV_GUILD_ID: guild.id,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await eventually(async () => out.includes('Ctrl-C stops everything.'), 60_000, `npm start to be ready:\n${out}`);
      expect(out).toContain('connected to Discord');
      expect(out).toContain(`/status /help /setup /config /category /panel /ticket “Open a ticket about this message” /license /callout registered to guild ${guild.id}`);
      expect(out).toContain('gateway        off (LOCAL_GATEWAY=off)');
      expect(out).toContain('login disabled until DISCORD_CLIENT_SECRET is set');
      expect([...(discord.state.commands.guild.get(guild.id)?.values() ?? [])].map((c) => c.name).sort()).toEqual(['Open a ticket about this message', 'callout', 'category', 'config', 'help', 'license', 'panel', 'setup', 'status', 'ticket']);
      const url = /interactions {2}POST (\S+)/.exec(out)![1];
      const ping = await discord.sendInteraction(pingInteraction({ applicationId: discord.applicationId }), { url });
      expect(ping).toMatchObject({ status: 200, body: { type: 1 } });
      const forged = await discord.sendInteraction(pingInteraction({ applicationId: discord.applicationId }), { url, forgeSignature: true });
      expect(forged.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await discord.close();
    }
    expect(await exited).toBe(0);
    await eventually(async () => !running(dataDir), 10_000, 'DynamoDB Local to stop');
  }, 90_000);
});
