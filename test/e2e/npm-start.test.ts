import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../support/eventually';

const ROOT = resolve(__dirname, '..', '..');
const running = (pattern: string) => {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
};

describe('npm start (sandbox) as a process', () => {
  it('plays the round trip, says what runs where, and SIGTERM stops everything (no orphan java)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dw-start-'));
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/local.ts'], {
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
      expect(out).not.toContain('✗');
      expect(running(dataDir)).toBe(true); // DynamoDB Local persists under the data dir
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    await eventually(async () => !running(dataDir), 10_000, 'DynamoDB Local to stop');
  }, 90_000);
});
