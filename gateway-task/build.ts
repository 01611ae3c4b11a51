/**
 * Bundles the gateway task into one file, `gateway-task/dist/main.js` (+ source map), so the
 * runtime image needs no node_modules. Run from anywhere: `npx tsx gateway-task/build.ts [outdir]`.
 * The Dockerfile runs it in its build stage; a test runs it to prove the bundle builds and starts.
 */
import { build, type BuildOptions } from 'esbuild';
import { join, resolve } from 'node:path';

/**
 * Optional native add-ons that discord.js / ws / @discordjs/ws `require` inside try/catch and do
 * without: left out so esbuild does not fail on them and the image stays pure JS (arm64 or x86).
 */
export const OPTIONAL_NATIVE_MODULES = ['zlib-sync', 'bufferutil', 'utf-8-validate', 'erlpack', '@discordjs/voice'];

export interface BundleResult {
  outfile: string;
  bytes: number;
}

/** Bundles `gateway-task/src/main.ts` into `<outdir>/main.js` (CommonJS, Node 20+, minified, source map). */
export async function bundleGatewayTask(outdir: string = join(__dirname, 'dist')): Promise<BundleResult> {
  const outfile = join(resolve(outdir), 'main.js');
  const options: BuildOptions = {
    entryPoints: [join(__dirname, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    // Runs on node:22 in the image; node20 keeps the bundle loadable on the dev machine too.
    target: 'node20',
    format: 'cjs',
    minify: true,
    // Error class names appear in logs.
    keepNames: true,
    sourcemap: true,
    external: OPTIONAL_NATIVE_MODULES,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
  const result = await build(options);
  const bytes = result.metafile!.outputs[Object.keys(result.metafile!.outputs).find((f) => f.endsWith('main.js'))!].bytes;
  return { outfile, bytes };
}

if (require.main === module) {
  bundleGatewayTask(process.argv[2]).then(
    ({ outfile, bytes }) => console.log(`bundled ${outfile} (${(bytes / 1024).toFixed(0)} KB)`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
