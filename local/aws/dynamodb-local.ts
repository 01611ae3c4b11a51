import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './package-dir';
import { freePort, probeHttp, waitUntil } from '../net';
import { spawnManaged, type ManagedProcess } from './child-process';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Where the DynamoDB Local jar lives: inside the npm package `amplify-dynamodb-simulator` (never `require` it). */
function jarDirectory(): string {
  return join(packageDir('amplify-dynamodb-simulator'), 'emulator');
}

/**
 * Throws a message a newcomer can act on when Java 17+ is missing. `java -version` prints to
 * stderr (and exits 0), so both streams are read.
 */
export function assertJava(env: NodeJS.ProcessEnv = process.env): void {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('DynamoDB Local needs Java 17 or newer and `java` is not on PATH. Install it (e.g. `apt-get install openjdk-17-jre-headless`) and retry.');
  }
  const out = `${run.stderr ?? ''}${run.stdout ?? ''}`;
  // `version "17.0.2"`, `version "21"`; Java 8 and older print `version "1.8.0_…"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(out);
  const major = match ? (match[1] === '1' ? Number(match[2] ?? 0) : Number(match[1])) : undefined;
  if (major !== undefined && major < 17) {
    throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${major}. Install Java 17+ (e.g. \`apt-get install openjdk-17-jre-headless\`) or put it first on PATH.`);
  }
}

/**
 * Starts DynamoDB Local (AWS's own jar) on a free loopback port.
 *
 * @param dbPath persist under this folder; omit for in-memory (tests).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html
 */
export async function startDynamoDbLocal(opts: { dbPath?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  assertJava();
  const dir = jarDirectory();
  const port = opts.port ?? (await freePort());
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-port', String(port)];
  if (opts.dbPath) {
    mkdirSync(opts.dbPath, { recursive: true });
    args.push('-sharedDb', '-dbPath', opts.dbPath);
  } else {
    args.push('-inMemory', '-sharedDb');
  }
  const proc: ManagedProcess = spawnManaged('java', args, {}, dir);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => {
        // Any answer from the API (even 400 for a missing target) means the server is up.
        const status = await probeHttp(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x' }, body: '{}' });
        return status > 0 && status < 500;
      },
      30_000,
      'DynamoDB Local',
    );
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  return { endpoint, stop: () => proc.stop() };
}
