import { REST } from '@discordjs/rest';
import { startDiscordEmulator, type DiscordEmulator, type DiscordEmulatorOptions } from '../../local/discord';

/** A controllable clock for the emulator (epoch ms), starting at 2025-06-01T00:00:00Z. */
export function testClock(start = Date.UTC(2025, 5, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** An emulator plus a bot REST client pointed at it, configured to retry fast. */
export async function startWithRest(options: DiscordEmulatorOptions = {}): Promise<{ discord: DiscordEmulator; rest: REST; stop(): Promise<void> }> {
  const discord = await startDiscordEmulator(options);
  const rest = new REST({ api: discord.apiBaseUrl, version: '10', retries: 3, timeout: 5000, offset: 0 }).setToken(discord.botToken);
  return {
    discord,
    rest,
    async stop() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await discord.close();
    },
  };
}

/** Runs `fn` and returns the error it rejects with (fails the test when it resolves). */
export async function rejection(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
