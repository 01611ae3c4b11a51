import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Folder of an installed npm package, found the way Node would look for it. Works for packages
 * whose `exports` hide `package.json` (ESM-only packages such as fauxqs).
 */
export function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package ${name} is not installed; run \`npm ci\``);
}
