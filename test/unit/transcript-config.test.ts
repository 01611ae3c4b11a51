import { randomBytes } from 'node:crypto';
import { loadDashboardConfig } from '../../lambdas/dashboard/config';
import { loadWorkerConfig } from '../../lambdas/worker/config';

const base = {
  TABLE_NAME: 't',
  DISCORD_APPLICATION_ID: '100000000000000001',
  DISCORD_BOT_TOKEN: 'token',
  DISCORD_CLIENT_SECRET: 'secret',
  WORK_QUEUE_URL: 'http://127.0.0.1:1/q',
  TRANSCRIPTS_QUEUE_URL: 'http://127.0.0.1:1/t',
  ARCHIVE_BUCKET: 'archive',
  DASHBOARD_SESSION_SECRET: 's',
  TRANSCRIPT_VIEWER_URL: 'https://dash.example.com',
};
const master = randomBytes(32).toString('base64');

describe('transcript configuration fails fast', () => {
  it('needs exactly one master key: KMS on AWS or a local one', () => {
    expect(() => loadWorkerConfig(base)).toThrow(/ARCHIVE_MASTER_KEY: ARCHIVE_KMS_KEY_ID \(AWS\) or ARCHIVE_MASTER_KEY \(local\) is required but not set/);
    expect(() => loadWorkerConfig({ ...base, ARCHIVE_MASTER_KEY: master, ARCHIVE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:1:key/x' })).toThrow(/not both/);
    expect(() => loadWorkerConfig({ ...base, ARCHIVE_MASTER_KEY: 'short' })).toThrow(/ARCHIVE_MASTER_KEY: must be 32 random bytes in base64/);
    expect(() => loadDashboardConfig({ ...base, ARCHIVE_MASTER_KEY: undefined })).toThrow(/ARCHIVE_MASTER_KEY/);
  });

  it('reads the size caps in megabytes, with defaults', () => {
    expect(loadWorkerConfig({ ...base, ARCHIVE_MASTER_KEY: master })).toMatchObject({ TRANSCRIPT_MAX_FILE_MB: 25, TRANSCRIPT_MAX_TICKET_MB: 250, DISCORD_CDN_BASE_URL: 'https://cdn.discordapp.com' });
    expect(loadWorkerConfig({ ...base, ARCHIVE_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:1:key/x', TRANSCRIPT_MAX_FILE_MB: '8', TRANSCRIPT_MAX_TICKET_MB: '' })).toMatchObject({ TRANSCRIPT_MAX_FILE_MB: 8, TRANSCRIPT_MAX_TICKET_MB: 250 });
    expect(() => loadWorkerConfig({ ...base, ARCHIVE_MASTER_KEY: master, TRANSCRIPT_MAX_FILE_MB: '0' })).toThrow(/TRANSCRIPT_MAX_FILE_MB: must be a whole number of megabytes/);
  });
});

describe('KMS wraps guild data keys', () => {
  it('asks for AES-256 data keys bound to the guild (encryption context) and unwraps with the same context', async () => {
    const { KmsKeyWrapper } = await import('../../lambdas/shared/adapters/kms-key-wrapper');
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    const kms = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return command.constructor.name === 'GenerateDataKeyCommand' ? { Plaintext: new Uint8Array(32).fill(7), CiphertextBlob: new Uint8Array([1, 2, 3]) } : { Plaintext: new Uint8Array(32).fill(7) };
      },
    };
    const wrapper = new KmsKeyWrapper(kms as never, 'arn:aws:kms:eu-west-1:111111111111:key/abc');
    const { plaintext, wrapped } = await wrapper.generate('100000000000000001');
    expect([plaintext.length, [...wrapped]]).toEqual([32, [1, 2, 3]]);
    expect((await wrapper.unwrap('100000000000000001', wrapped)).equals(plaintext)).toBe(true);
    expect(sent).toEqual([
      { name: 'GenerateDataKeyCommand', input: { KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/abc', KeySpec: 'AES_256', EncryptionContext: { guild: '100000000000000001' } } },
      { name: 'DecryptCommand', input: { KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/abc', CiphertextBlob: wrapped, EncryptionContext: { guild: '100000000000000001' } } },
    ]);
  });
});
