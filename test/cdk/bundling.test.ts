import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DISCORDJS_REST_ALIAS, EXTERNAL_MODULES } from '../../lib/constructs/deskwire-function';

const ROOT = path.resolve(__dirname, '../..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.(ts|js|mjs|cjs)$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );

describe('Lambda bundling settings', () => {
  test('no Lambda source imports discord.js (it belongs to the gateway task)', () => {
    const offenders = sourceFiles(path.join(ROOT, 'lambdas')).filter((f) =>
      /(from\s+|import\s*\(\s*|require\s*\(\s*)['"]discord\.js['"]/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  test('the @discordjs/rest alias bundles its fetch-based web build, without undici', async () => {
    const [name, target] = DISCORDJS_REST_ALIAS.split('=') as [string, string];
    const result = await build({
      stdin: { contents: "import { REST } from '@discordjs/rest'; export const rest = new REST();", resolveDir: ROOT, loader: 'ts' },
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      target: 'node22',
      write: false,
      metafile: true,
      external: EXTERNAL_MODULES,
      alias: { [name]: target },
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.endsWith('node_modules/@discordjs/rest/dist/web.js'))).toHaveLength(1);
    expect(inputs.filter((i) => i.includes('node_modules/undici/'))).toEqual([]);
  });
});
