import { generateInteractionKeyPair, startDiscordEmulator, type DiscordEmulator } from '../../local/discord';
import { emulatorEnv, seedSandboxGuild, seedSandboxHq, type SandboxHq, type SandboxWorld } from '../../local/sandbox';
import { grantLocalLicense, type LocalLicenseOptions } from '../../local/licensing';
import { registerCommands, registerHqCommands } from '../../local/register-commands';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack';
import { testEndpoints, uniquePrefix } from './aws';

export interface E2E {
  stack: LocalStack;
  discord: DiscordEmulator;
  world: SandboxWorld;
  /** The vendor HQ guild, when started with `{ hq: true }`. */
  hq?: SandboxHq;
  close(): Promise<void>;
}

/**
 * The local stack on the shared emulators with a fresh Discord emulator in front: what `npm start`
 * runs in sandbox mode, isolated by resource prefix so test files can run side by side.
 */
export async function startE2E(
  name: string,
  extra: Partial<LocalStackOptions> & {
    env?: Record<string, string | undefined>;
    /** The world's guild is licensed (enterprise) unless `false`. */ license?: LocalLicenseOptions | false;
    /** Seed the vendor HQ guild and configure it (`HQ_*`). */ hq?: boolean;
  } = {},
): Promise<E2E> {
  const discord = await startDiscordEmulator({ keyPair: generateInteractionKeyPair() });
  const hq = extra.hq ? seedSandboxHq(discord) : undefined;
  const stack = await startLocalStack({
    prefix: uniquePrefix(name),
    endpoints: testEndpoints(),
    sweepIntervalMs: null,
    retryDelaySeconds: 0,
    onError: () => undefined,
    ...extra,
    env: { ...emulatorEnv(discord), ...hq?.env, ...extra.env },
  });
  discord.interactionsUrl = `${stack.url}/interactions`;
  const world = seedSandboxGuild(discord);
  if (extra.license !== false) await grantLocalLicense(stack, world.guild.id, extra.license);
  await registerCommands({ apiBaseUrl: discord.apiBaseUrl, botToken: discord.botToken, applicationId: discord.applicationId, guildId: world.guild.id });
  if (hq) await registerHqCommands({ apiBaseUrl: discord.apiBaseUrl, botToken: discord.botToken, applicationId: discord.applicationId, hqGuildId: hq.guild.id });
  return {
    stack,
    discord,
    world,
    hq,
    async close() {
      await stack.close();
      await discord.close();
    },
  };
}
