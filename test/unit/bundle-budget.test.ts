import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleFunctions } from '../../bench/bundles';

/**
 * Size budgets for the Lambda bundles (the CDK construct's esbuild settings). A size is a fact of
 * the code, not a timing: checking it here keeps an accidental import (all of zod, posthog-node,
 * discord.js) from slipping into a function. `npm run bench` prints the exact figures.
 * The interactions budget grew from 150 to 180 KB with the ticket features (staff commands, close /
 * reopen / feedback, categories, panels: ~160 KB of product code); it still fails on any of those
 * accidental imports (discord-api-types' values alone are ~90 KB).
 */
const BUDGET_KB: Record<string, number> = { interactions: 180, worker: 500, events: 500, sweeper: 500, dashboard: 500 };

describe('Lambda bundle budgets', () => {
  it('every bundle stays within its budget (interactions ≤ 180 KB, others ≤ 500 KB)', async () => {
    const figures = await bundleFunctions(resolve(__dirname, '..', '..'), mkdtempSync(join(tmpdir(), 'dw-bundles-')));
    const over = figures.filter((f) => f.bytes > BUDGET_KB[f.name] * 1024).map((f) => `${f.name}: ${(f.bytes / 1024).toFixed(1)} KB > ${BUDGET_KB[f.name]} KB`);
    expect(over).toEqual([]);
    expect(figures.map((f) => f.name).sort()).toEqual(Object.keys(BUDGET_KB).sort());
  });
});
