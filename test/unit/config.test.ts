import { ConfigError, parseConfig } from '../../lambdas/shared/config';
import { InteractionsConfig } from '../../lambdas/interactions/config';
import { WorkerConfig } from '../../lambdas/worker/config';

const valid = {
  TABLE_NAME: 't',
  DISCORD_APPLICATION_ID: '123456789012345678',
  DISCORD_PUBLIC_KEY: 'a'.repeat(64),
  WORK_QUEUE_URL: 'http://127.0.0.1:1/q',
};

describe('config', () => {
  it('parses a complete environment and applies the documented defaults', () => {
    const cfg = parseConfig(InteractionsConfig, valid);
    expect(cfg.DISCORD_API_BASE_URL).toBe('https://discord.com/api');
    expect(cfg.LOG_LEVEL).toBe('INFO');
    expect(cfg.AWS_REGION).toBe('us-east-1');
  });

  it('fails fast naming each missing variable', () => {
    const { DISCORD_PUBLIC_KEY: _, TABLE_NAME: __, ...rest } = valid;
    expect(() => parseConfig(InteractionsConfig, rest)).toThrow(ConfigError);
    try {
      parseConfig(InteractionsConfig, rest);
    } catch (err) {
      expect((err as ConfigError).issues).toEqual(expect.arrayContaining(['DISCORD_PUBLIC_KEY is required but not set', 'TABLE_NAME is required but not set']));
      expect((err as Error).message).toContain('.env.example');
    }
  });

  it('names a malformed variable and says what shape it needs', () => {
    expect(() => parseConfig(InteractionsConfig, { ...valid, DISCORD_PUBLIC_KEY: 'xyz' })).toThrow(/DISCORD_PUBLIC_KEY: must be 64 hex characters/);
    expect(() => parseConfig(InteractionsConfig, { ...valid, DISCORD_APPLICATION_ID: 'abc' })).toThrow(/DISCORD_APPLICATION_ID: must be a Discord snowflake/);
    expect(() => parseConfig(InteractionsConfig, { ...valid, DISCORD_API_BASE_URL: 'not a url' })).toThrow(/DISCORD_API_BASE_URL/);
  });

  it('treats empty strings from a half-filled .env as unset', () => {
    expect(() => parseConfig(WorkerConfig, { ...valid, DISCORD_BOT_TOKEN: '' })).toThrow(/DISCORD_BOT_TOKEN is required/);
  });
});
