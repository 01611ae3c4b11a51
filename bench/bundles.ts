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
