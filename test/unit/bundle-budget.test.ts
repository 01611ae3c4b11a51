import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleFunctions, coldStartProbe } from '../../bench/bundles';

/**
 * Size budgets for the Lambda bundles (the CDK construct's esbuild settings). A size is a fact of
 * the code, not a timing: checking it here keeps an accidental import (all of zod, posthog-node,
 * discord.js) from slipping into a function. `npm run bench` prints the exact figures.
 * Interactions: the foundation's target was 150 KB (it measured 74 KB). The ticket features put
 * ~80 KB of our own code in it (command handlers, validation, the ticket store); command
 * registration bodies are kept out (see commands/definitions.ts). Licensing, transcripts, callouts
 * and enforcement add their commands on top, so the budget is 224 KB: still far below any
 * accidental import (discord-api-types' values alone are ~90 KB, zod classic ~440 KB).
 */
const BUDGET_KB: Record<string, number> = { interactions: 224, worker: 500, events: 500, sweeper: 500, dashboard: 500, transcripts: 500 };

describe('Lambda bundle budgets', () => {
  it('every bundle stays within its budget (interactions ≤ 224 KB, others ≤ 500 KB)', async () => {
    const figures = await bundleFunctions(resolve(__dirname, '..', '..'), mkdtempSync(join(tmpdir(), 'dw-bundles-')));
    const over = figures.filter((f) => f.bytes > BUDGET_KB[f.name] * 1024).map((f) => `${f.name}: ${(f.bytes / 1024).toFixed(1)} KB > ${BUDGET_KB[f.name]} KB`);
    expect(over).toEqual([]);
    expect(figures.map((f) => f.name).sort()).toEqual(Object.keys(BUDGET_KB).sort());

    // The bench's cold-start proxy starts every bundle with its own config: a function that gains a
    // required variable must give the probe one too, or `npm run bench` stops there.
    const probe = await coldStartProbe(resolve(__dirname, '..', '..'), mkdtempSync(join(tmpdir(), 'dw-probe-')));
    for (const f of figures) expect(probe(f)).toEqual({ loadMs: expect.any(Number), firstInvokeMs: expect.any(Number) });
  });
});
