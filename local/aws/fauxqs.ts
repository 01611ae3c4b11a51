import { join } from 'node:path';
import { packageDir } from './package-dir';
import { freePort, probeHttp, waitUntil } from '../net';
import { spawnManaged } from './child-process';

export interface SqsS3Emulator {
  /** One endpoint serves both SQS and S3 (path-style). */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the fauxqs SQS/S3 emulator in its own Node process. It is an ESM-only package; running
 * it as a child keeps our CommonJS code (and jest's module system) out of its way.
 */
export async function startSqsS3Emulator(opts: { port?: number } = {}): Promise<SqsS3Emulator> {
  const port = opts.port ?? (await freePort());
  const cli = join(packageDir('fauxqs'), 'dist', 'cli.js');
  const proc = spawnManaged(process.execPath, [cli], {
    FAUXQS_PORT: String(port),
    FAUXQS_HOST: 'localhost',
    FAUXQS_LOGGER: 'false',
    FAUXQS_DEFAULT_REGION: 'us-east-1',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(async () => (await probeHttp(`${endpoint}/health`)) === 200, 15_000, 'SQS/S3 emulator');
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  return { endpoint, stop: () => proc.stop() };
}
