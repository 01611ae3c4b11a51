/**
 * `npm start` — the whole Deskwire stack on this machine (DESIGN §4).
 *
 * Without Discord credentials it runs the sandbox: a local Discord API emulator stands in for
 * Discord and a scripted round trip shows the bot working. With DISCORD_BOT_TOKEN (in .env) it is
 * a real bot: commands registered, gateway connected, interactions verified with your public key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

if (existsSync('.env')) process.loadEnvFile('.env');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The functions' log level, read by their loggers at load (empty in a .env copied from .env.example).
process.env.LOG_LEVEL ||= 'WARN';

async function main() {
  // Imported after the environment is settled: loggers read their level at load time.
  const { ConfigError } = await import('../lambdas/shared/config');
  const { loadLocalConfig } = await import('../local/local-config');
  const { startLocalStack } = await import('../local/stack');
  const { startDiscordEmulator, generateInteractionKeyPair } = await import('../local/discord');
  const sandbox = await import('../local/sandbox');
  const { describeCommands, registerCommands } = await import('../local/register-commands');

  let cfg;
  try {
    cfg = loadLocalConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const mode = cfg.DISCORD_BOT_TOKEN ? 'discord' : 'sandbox';
  const print = (line = '') => console.log(line);
  const stops: Array<() => Promise<void>> = [];
  const shutdown = async (signal: string) => {
    print(`\n${signal}: stopping…`);
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(err));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  print(`Deskwire local stack — ${mode === 'sandbox' ? 'sandbox (no Discord credentials: a local Discord emulator stands in)' : 'connected to Discord'}`);

  const emulator = mode === 'sandbox' ? await startDiscordEmulator({ keyPair: generateInteractionKeyPair() }) : undefined;
  if (emulator) stops.push(() => emulator.close());
  const world = emulator ? sandbox.seedSandboxStaff(emulator, sandbox.seedSandboxGuild(emulator)) : undefined;
  // The vendor HQ, so a callout can be tried end to end (an ENFORCEMENT_KEY from .env wins over the sandbox's random one).
  const hq = emulator ? sandbox.seedSandboxHq(emulator) : undefined;

  const env: Record<string, string | undefined> = {
    ...process.env,
    ...(emulator ? sandbox.emulatorEnv(emulator) : { DISCORD_API_BASE_URL: cfg.DISCORD_API_BASE_URL }),
    ...(hq ? { ...hq.env, ENFORCEMENT_KEY: process.env.ENFORCEMENT_KEY || hq.env.ENFORCEMENT_KEY } : {}),
    // A configured public key always wins for verification.
    ...(cfg.DISCORD_PUBLIC_KEY ? { DISCORD_PUBLIC_KEY: cfg.DISCORD_PUBLIC_KEY } : {}),
    // Wrapped archive data keys persist in DynamoDB Local's data: so must the key that wraps them.
    ARCHIVE_MASTER_KEY: process.env.ARCHIVE_MASTER_KEY || localMasterKey(),
    // Signed transcript links in DMs work for 7 days: the secret they are signed with must outlive a restart.
    DASHBOARD_SESSION_SECRET: process.env.DASHBOARD_SESSION_SECRET || localSecret('session.secret', () => randomBytes(32).toString('base64url')),
  };

  let started: Awaited<ReturnType<typeof startLocalStack>> | undefined;
  const stack = await startLocalStack({
    port: cfg.PORT,
    dataDir: resolve(cfg.LOCAL_DATA_DIR),
    env,
    sweepIntervalMs: cfg.LOCAL_SWEEP_INTERVAL_SECONDS * 1000,
    extraRoutes: emulator && world ? { 'POST /sandbox/command': sandbox.sandboxCommandRoute(emulator, world, () => started) } : undefined,
  });
  stops.push(() => stack.close());
  started = stack;
  if (emulator) emulator.interactionsUrl = `${stack.url}/interactions`;

  // For `npm run ops` against this stack.
  mkdirSync('.local', { recursive: true });
  writeFileSync(join('.local', 'stack.json'), JSON.stringify({ url: stack.url, endpoints: stack.endpoints, resources: stack.resources }, null, 2));

  print('');
  print(`  HTTP          ${stack.url}`);
  print(`    interactions  POST ${stack.url}/interactions`);
  print(`    dashboard     ${stack.url}/  (API under /api, login under /auth)`);
  print(`    health        ${stack.url}/health`);
  print(`  DynamoDB Local ${stack.endpoints.dynamodb}  table ${stack.resources.tableName} (data in ${cfg.LOCAL_DATA_DIR})`);
  print(`  SQS + S3       ${stack.endpoints.sqsS3}  queues ${Object.values(stack.resources.queues).map((q) => q.url.split('/').pop()).join(', ')} (+ DLQs), bucket ${stack.resources.bucketName}`);
  print(`  workers        work queue → worker λ, events.fifo → events λ, sweeper every ${cfg.LOCAL_SWEEP_INTERVAL_SECONDS} s`);
  if (emulator) print(`  Discord        emulator at ${emulator.apiBaseUrl} (application ${emulator.applicationId})`);

  if (mode === 'discord') {
    const registered = await registerCommands({ apiBaseUrl: cfg.DISCORD_API_BASE_URL, botToken: cfg.DISCORD_BOT_TOKEN!, applicationId: cfg.DISCORD_APPLICATION_ID!, guildId: cfg.DISCORD_DEV_GUILD_ID }).catch(
      (err: unknown) => {
        throw new Error(
          `Registering commands with Discord at ${cfg.DISCORD_API_BASE_URL} failed: ${err instanceof Error ? err.message : String(err)}\n` +
            'Check DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_DEV_GUILD_ID: the bot must be in that server), or DISCORD_API_BASE_URL.',
        );
      },
    );
    print(`  commands       ${describeCommands(registered)} registered ${cfg.DISCORD_DEV_GUILD_ID ? `to guild ${cfg.DISCORD_DEV_GUILD_ID}` : 'globally'}`);
    if (cfg.LOCAL_GATEWAY === 'on') {
      const { startLocalGateway } = await import('../local/gateway');
      const gateway = await startLocalGateway(stack, cfg.DISCORD_BOT_TOKEN!, cfg.DISCORD_API_BASE_URL);
      stops.push(() => gateway.stop());
      print('  gateway        connected (discord.js) → events.fifo');
    } else {
      print('  gateway        off (LOCAL_GATEWAY=off)');
    }
    if (!cfg.DISCORD_CLIENT_SECRET) print('  dashboard      login disabled until DISCORD_CLIENT_SECRET is set');
    print('');
    print(`Point your application's Interactions Endpoint URL at a public tunnel to ${stack.url}/interactions (see README).`);
  } else if (emulator && world) {
    if (cfg.DISCORD_PUBLIC_KEY) print('\nNote: DISCORD_PUBLIC_KEY is set, so the emulator-signed sandbox interactions below will be refused (401).');
    print('\nSandbox round trip:');
    let transcriptUrl: string | undefined;
    try {
      ({ transcriptUrl } = await sandbox.playSandboxScript(stack, emulator, world, print, hq));
    } catch (err) {
      print(`  ✗ ${err instanceof Error ? err.message : String(err)}`);
    }
    if (transcriptUrl) print(`\nRead the transcript (signed link, one hour): ${transcriptUrl}`);
    print('');
    print('Drive it further:');
    print(`  curl -s -X POST ${stack.url}/sandbox/command -d '{"name":"status"}'                    # any command, signed like Discord`);
    print(`  curl -s -X POST ${stack.url}/sandbox/command -d '{"name":"ticket open","as":"member"}'  # limits apply: one open ticket per member`);
    print(`  curl -s -X POST ${stack.url}/sandbox/command -d '{"name":"ticket close","as":"staff","channel":"2","options":{"reason":"done"}}'  # in ticket #2`);
    print(`  curl -s -X POST ${stack.url}/sandbox/command -d '{"component":"dw1:close-confirm:2","message":"<id>","channel":"2","as":"staff"}'  # press a button on a message the answer showed`);
    print(`  open ${stack.url}/  → "Log in with Discord" logs you in as the sandbox owner`);
    print('  npm test                                  # the whole suite against the same emulators');
  }
  print('\nCtrl-C stops everything.');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/** The local archive master key, made once and kept in .local/ (git-ignored) unless ARCHIVE_MASTER_KEY is set. */
function localMasterKey(): string {
  return localSecret('archive-master.key', () => randomBytes(32).toString('base64'));
}

/** A secret made once and kept in .local/ (git-ignored, owner-only), so it survives restarts. */
function localSecret(name: string, make: () => string): string {
  const file = join('.local', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  mkdirSync('.local', { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
