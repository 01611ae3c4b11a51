import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { DISCORDJS_REST_ALIAS, EXTERNAL_MODULES } from '../lib/constructs/deskwire-function';

export const FUNCTIONS = ['interactions', 'worker', 'events', 'sweeper', 'dashboard', 'transcripts'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface BundleFigure {
  name: FunctionName;
  file: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles each handler with the settings the CDK function construct uses (minified, node22,
 * `@aws-sdk/*` and discord.js external, the @discordjs/rest web alias) and measures it.
 */
export async function bundleFunctions(root: string, outDir: string): Promise<BundleFigure[]> {
  mkdirSync(outDir, { recursive: true });
  const [aliasName, aliasTarget] = DISCORDJS_REST_ALIAS.split('=') as [string, string];
  const figures: BundleFigure[] = [];
  for (const name of FUNCTIONS) {
    const file = join(outDir, `${name}.js`);
    await build({
      entryPoints: [join(root, 'lambdas', name, 'handler.ts')],
      absWorkingDir: root,
      outfile: file,
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      external: EXTERNAL_MODULES,
      alias: { [aliasName]: aliasTarget },
      logLevel: 'silent',
    });
    figures.push({ name, file, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length });
  }
  return figures;
}

/**
 * Builds the cold-start probe (bench/cold-start-probe.ts) and returns a function that runs it in a
 * fresh Node process for one bundle: load, then a first invocation that needs no network. It
 * throws when the bundle cannot start (its config refused, say), so the budget test proves the
 * bench's probe still runs every function.
 */
export async function coldStartProbe(root: string, outDir: string): Promise<(bundle: { name: string; file: string }) => { loadMs: number; firstInvokeMs: number }> {
  mkdirSync(outDir, { recursive: true });
  const probe = join(outDir, 'cold-start-probe.js');
  await build({ entryPoints: [join(root, 'bench', 'cold-start-probe.ts')], outfile: probe, bundle: false, platform: 'node', format: 'cjs', logLevel: 'silent' });
  // The bundles keep `@aws-sdk/*` external (Lambda's runtime has it): resolve it from our node_modules
  // wherever the bundle was written.
  const env = { ...process.env, NODE_PATH: join(root, 'node_modules') };
  return (b) => {
    try {
      return JSON.parse(execFileSync(process.execPath, [probe, b.file, b.name], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '').split('\n').slice(0, 8).join('\n');
      const failure = new Error(`the ${b.name} bundle did not start: ${stderr}`);
      failure.stack = failure.message; // the frames point into minified code
      throw failure;
    }
  };
}
