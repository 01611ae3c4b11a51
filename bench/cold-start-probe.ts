/**
 * Runs in a fresh Node process: loads one bundle and makes its first invocation with an event that
 * needs no network (signed PING, empty SQS batch, health route), printing the milliseconds.
 * A proxy for Lambda's init + first invoke; the real figure adds the runtime's own start.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const [, , bundle, name] = process.argv;

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { publicKeyHex: Buffer.from(raw).toString('hex'), privateKey };
}

function eventFor(fn: string, kp: ReturnType<typeof keyPair>): unknown {
  if (fn === 'interactions') {
    const body = JSON.stringify({ id: '1', application_id: '100000000000000001', type: 1, token: 't', version: 1 });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = sign(null, Buffer.from(ts + body), kp.privateKey).toString('hex');
    return { rawPath: '/interactions', headers: { 'x-signature-ed25519': sig, 'x-signature-timestamp': ts }, body, isBase64Encoded: false, requestContext: { http: { method: 'POST' } } };
  }
  if (fn === 'dashboard') return { rawPath: '/api/health', rawQueryString: '', headers: {}, requestContext: { http: { method: 'GET' } } };
  return { Records: [] };
}

async function main() {
  const kp = keyPair();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'SILENT',
    TABLE_NAME: 't',
    WORK_QUEUE_URL: 'http://127.0.0.1:9/q',
    EVENTS_QUEUE_URL: 'http://127.0.0.1:9/e',
    TRANSCRIPTS_QUEUE_URL: 'http://127.0.0.1:9/t',
    ARCHIVE_BUCKET: 'b',
    ARCHIVE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    TRANSCRIPT_VIEWER_URL: 'http://127.0.0.1:3000',
    DASHBOARD_SESSION_SECRET: Buffer.alloc(32, 9).toString('base64url'),
    DISCORD_APPLICATION_ID: '100000000000000001',
    DISCORD_PUBLIC_KEY: kp.publicKeyHex,
    DISCORD_BOT_TOKEN: 'x',
    DISCORD_CLIENT_SECRET: 'x',
    DASHBOARD_BASE_URL: 'http://127.0.0.1:3000',
  });
  const context = { functionName: name, awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 };
  const t0 = performance.now();
  const mod = require(bundle!) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
  const loaded = performance.now();
  let invoked = loaded;
  if (name !== 'sweeper') {
    await mod.handler(eventFor(name!, kp), context);
    invoked = performance.now();
  }
  process.stdout.write(JSON.stringify({ loadMs: loaded - t0, firstInvokeMs: invoked - loaded }));
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
