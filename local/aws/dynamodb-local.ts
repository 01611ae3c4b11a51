import { execFileSync } from 'node:child_process';
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

/** Throws a message a newcomer can act on when Java 17+ is missing. */
export function assertJava(): void {
  let out: string;
  try {
    out = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('DynamoDB Local needs Java 17 or newer and `java` is not on PATH. Install it (e.g. `apt-get install openjdk-17-jre-headless`) and retry.');
    }
    out = e.stderr ?? '';
  }
  const match = /version "(\d+)/.exec(out);
  if (match && Number(match[1]) < 17) {
    throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${match[1]}.`);
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
