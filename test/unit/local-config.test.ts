import { loadLocalConfig } from '../../local/local-config';

describe('npm start configuration', () => {
  it('defaults to the sandbox on port 3000', () => {
    expect(loadLocalConfig({})).toMatchObject({ PORT: 3000, LOCAL_GATEWAY: 'on', LOCAL_SWEEP_INTERVAL_SECONDS: 60, DISCORD_API_BASE_URL: 'https://discord.com/api' });
  });

  it('needs the application id and public key once a bot token is set, naming both', () => {
    expect(() => loadLocalConfig({ DISCORD_BOT_TOKEN: 'x' })).toThrow(/DISCORD_APPLICATION_ID: is required when DISCORD_BOT_TOKEN is set[\s\S]*DISCORD_PUBLIC_KEY: is required/);
  });

  it('rejects a bad port and gateway switch with the variable named', () => {
    expect(() => loadLocalConfig({ PORT: 'eighty' })).toThrow(/PORT: must be a port number/);
    expect(() => loadLocalConfig({ LOCAL_GATEWAY: 'maybe' })).toThrow(/LOCAL_GATEWAY: must be on or off/);
  });
});
