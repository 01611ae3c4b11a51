/**
 * `npm run bench` — measures and prints; the figures are kept in docs/BENCHMARKS.md.
 *
 * 1. Interaction ACK latency through the local HTTP server (the same handlers as on AWS, signed by
 *    the Discord emulator): PING, and the deferred `/status` (verify + enqueue + type 5).
 * 2. Each Lambda bundle's minified size (the CDK construct's esbuild settings).
 * 3. A cold-start proxy: a fresh Node process loads the bundle and runs its first invocation.
 * 4. The gateway pipeline: forwarding throughput of one task, the events λ's apply rate (bench/gateway.ts).
 * 5. The license expiry sweep over 100,000 licenses, 100 of them due (bench/licensing.ts).
 * 6. `/license activate` per answer: activated, wrong key, paused (bench/license-activation.ts).
 * 7. Transcripts: render + compress + encrypt at 1,000 and 10,000 messages, against discord-html-transcripts.
 * 8. Callouts and the enforcement gate (bench/callouts.ts).
 *
 * `npm run bench -- ack bundles` runs only the parts named (ack, bundles, gateway, sweep, activation,
 * transcripts, callouts) and leaves the other sections of the doc as they are.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = 'SILENT';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, '.local', 'bench');
const WARMUP = 50;
const PINGS = Number(process.env.BENCH_PINGS ?? 1000);
const DEFERRED = Number(process.env.BENCH_DEFERRED ?? 300);
const OPENS = Number(process.env.BENCH_OPENS ?? 100);
const COLD_RUNS = 5;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1] };
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;

async function ackLatency() {
  const { startDiscordEmulator, generateInteractionKeyPair, commandInteraction, componentInteraction, pingInteraction, option } = await import('../local/discord');
  const { ticketStoreFor } = await import('./stores');
  const { newCategory } = await import('../lambdas/shared/tickets/model');
  const { startLocalStack } = await import('../local/stack');
  const { emulatorEnv, seedSandboxGuild } = await import('../local/sandbox');
  const discord = await startDiscordEmulator({ keyPair: generateInteractionKeyPair() });
  const stack = await startLocalStack({
    prefix: 'bench',
    sweepIntervalMs: null,
    onError: () => undefined,
    env: emulatorEnv(discord),
  });
  discord.interactionsUrl = `${stack.url}/interactions`;
  const world = seedSandboxGuild(discord);
  try {
    const ping = async () => {
      const r = await discord.sendInteraction(pingInteraction({ applicationId: discord.applicationId }));
      if (r.status !== 200) throw new Error(`PING answered ${r.status}`);
      return r.latencyMs;
    };
    const status = async () => {
      const payload = commandInteraction({ ...discord.interactionContext({ guildId: world.guild.id, channelId: world.channelId, userId: world.userId }), name: 'status' });
      const r = await discord.sendInteraction(payload);
      if ((r.body as { type?: number }).type !== 5) throw new Error(`/status answered ${JSON.stringify(r.body)}`);
      return r.latencyMs;
    };
    for (let i = 0; i < WARMUP; i++) await ping();
    const pings: number[] = [];
    for (let i = 0; i < PINGS; i++) pings.push(await ping());
    for (let i = 0; i < 10; i++) await status();

    // Tickets: a category without a per-member limit, so one member can open many.
    const tickets = ticketStoreFor(stack);
    await (await import('../local/licensing')).grantLocalLicense(stack, world.guild.id);
    const now = Date.now();
    await tickets.saveSettings(world.guild.id, { staffRoleIds: [world.guild.supportRoleId!], mode: 'thread', supportChannelId: world.channelId, ticketCategoryId: null, logChannelId: null, transcriptChannelId: null, openerCanClose: true, reopenWindowHours: 24, closeDelaySeconds: 10, autoCloseHours: null, autoCloseWarnHours: 12, updatedAt: now });
    await tickets.createCategory(world.guild.id, newCategory({ id: 'bench', name: 'Bench', limits: { perMember: 1_000_000, cooldownMinutes: 0, totalOpen: null }, createdAt: now }));
    const panelClick = async () => {
      const payload = componentInteraction({ ...discord.interactionContext({ guildId: world.guild.id, channelId: world.channelId, userId: world.memberId }), customId: 'dw1:open:bench' } as never);
      const started = performance.now();
      const r = await discord.sendInteraction(payload);
      if ((r.body as { type?: number }).type !== 5) throw new Error(`panel button answered ${JSON.stringify(r.body)}`);
      return { payload, started, ackMs: r.latencyMs };
    };
    // Open-to-ready: interaction sent → the worker has posted the welcome and edited the reply.
    const openToReady: number[] = [];
    const opened: Array<{ number: number; channelId: string }> = [];
    for (let i = 0; i < OPENS; i++) {
      const { payload, started } = await panelClick();
      const ready = await discord.waitFor(() => {
        const m = discord.originalMessage(payload.id);
        return m && ((m.flags ?? 0) & 128) === 0 && m.content?.includes('is ready') ? m : undefined;
      }, 15_000);
      openToReady.push(performance.now() - started);
      const [, n, channelId] = /#(\d+) is ready: <#(\d+)>/.exec(ready.content)!;
      opened.push({ number: Number(n), channelId: channelId! });
    }
    // On AWS the worker is its own λ; here it would share this process's CPU with the endpoint, so
    // the queue is left to fill while the ACK path is measured.
    await stack.pollers.work.stop();
    const deferred: number[] = [];
    for (let i = 0; i < DEFERRED; i++) deferred.push(await status());
    const buttons: number[] = [];
    for (let i = 0; i < DEFERRED; i++) buttons.push((await panelClick()).ackMs);
    // A category with a form: the member's limit, cooldown and the cap are read before the modal.
    await tickets.createCategory(world.guild.id, newCategory({ id: 'bench-form', name: 'Bench form', questions: [{ id: 'q', label: 'Question', style: 'short', required: true }], limits: { perMember: 1_000_000, cooldownMinutes: 0, totalOpen: 1_000_000 }, createdAt: now }));
    const formButtons: number[] = [];
    for (let i = 0; i < DEFERRED; i++) {
      const r = await discord.sendInteraction(componentInteraction({ ...discord.interactionContext({ guildId: world.guild.id, channelId: world.channelId, userId: world.memberId }), customId: 'dw1:open:bench-form' } as never));
      if ((r.body as { type?: number }).type !== 9) throw new Error(`form button answered ${JSON.stringify(r.body)}`);
      formButtons.push(r.latencyMs);
    }
    // `/ticket close` in a ticket thread by staff: ticket + settings + category reads, then the
    // inline confirmation; then its Confirm button: the close transaction (slots released) + defer.
    const inTicket = (channelId: string) => discord.interactionContext({ guildId: world.guild.id, channelId, userId: world.userId });
    const closeCommands: number[] = [];
    for (let i = 0; i < DEFERRED; i++) {
      const payload = commandInteraction({ ...inTicket(opened[i % opened.length]!.channelId), name: 'ticket', options: [option.subcommand('close', [option.string('reason', 'bench')])] });
      const r = await discord.sendInteraction(payload);
      if ((r.body as { type?: number }).type !== 4 || !(r.body as { data: { content: string } }).data.content.startsWith('Close ticket')) throw new Error(`/ticket close answered ${JSON.stringify(r.body)}`);
      closeCommands.push(r.latencyMs);
    }
    const confirms: number[] = [];
    for (const t of opened) {
      const r = await discord.sendInteraction(componentInteraction({ ...inTicket(t.channelId), customId: `dw1:close-confirm:${t.number}` } as never));
      if ((r.body as { type?: number }).type !== 6) throw new Error(`close confirm answered ${JSON.stringify(r.body)}`);
      confirms.push(r.latencyMs);
    }
    return {
      ping: summary(pings),
      deferred: summary(deferred),
      panelButton: summary(buttons),
      formButton: summary(formButtons),
      openToReady: summary(openToReady),
      closeCommand: summary(closeCommands),
      closeConfirm: summary(confirms),
    };
  } finally {
    await stack.close();
    await discord.close();
  }
}

async function coldStarts(bundles: Array<{ name: string; file: string }>) {
  const { coldStartProbe } = await import('./bundles');
  const probe = await coldStartProbe(ROOT, OUT);
  const results: Record<string, { load: number; first: number; total: number }> = {};
  for (const b of bundles) {
    const runs: Array<{ loadMs: number; firstInvokeMs: number }> = [];
    for (let i = 0; i < COLD_RUNS; i++) runs.push(probe(b));
    const med = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)];
    const load = med(runs.map((r) => r.loadMs));
    const first = med(runs.map((r) => r.firstInvokeMs));
    results[b.name] = { load, first, total: med(runs.map((r) => r.loadMs + r.firstInvokeMs)) };
  }
  return results;
}

/** The parts of the bench, each measuring and rendering its own sections of docs/BENCHMARKS.md. */
const PARTS: Record<string, () => Promise<string[]>> = {
  ack: async () => {
    console.log(`ACK latency (${PINGS} PINGs, ${DEFERRED} deferred /status, sequential)…`);
    const ack = await ackLatency();
    return [
      '## Interaction ACK latency (local HTTP server, signed by the Discord emulator)',
      '',
      'Round trip as Discord sees it: sign, POST, verify (Ed25519), route, and for `/status` enqueue the',
      'job on SQS (the emulator) and answer type 5; sequential requests, the worker paused (on AWS it is',
      'a separate function). Target: p99 ≤ 50 ms.',
      '',
      '| interaction | n | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|---|',
      `| PING | ${ack.ping.n} | ${ms(ack.ping.p50)} | ${ms(ack.ping.p95)} | ${ms(ack.ping.p99)} | ${ms(ack.ping.max)} |`,
      `| /status (deferred) | ${ack.deferred.n} | ${ms(ack.deferred.p50)} | ${ms(ack.deferred.p95)} | ${ms(ack.deferred.p99)} | ${ms(ack.deferred.max)} |`,
      `| panel button (reserve ticket + defer) | ${ack.panelButton.n} | ${ms(ack.panelButton.p50)} | ${ms(ack.panelButton.p95)} | ${ms(ack.panelButton.p99)} | ${ms(ack.panelButton.max)} |`,
      `| panel button, category with a form (limits read + modal) | ${ack.formButton.n} | ${ms(ack.formButton.p50)} | ${ms(ack.formButton.p95)} | ${ms(ack.formButton.p99)} | ${ms(ack.formButton.max)} |`,
      `| /ticket close (confirmation, inline) | ${ack.closeCommand.n} | ${ms(ack.closeCommand.p50)} | ${ms(ack.closeCommand.p95)} | ${ms(ack.closeCommand.p99)} | ${ms(ack.closeCommand.max)} |`,
      `| close Confirm button (close + release slots + defer) | ${ack.closeConfirm.n} | ${ms(ack.closeConfirm.p50)} | ${ms(ack.closeConfirm.p95)} | ${ms(ack.closeConfirm.p99)} | ${ms(ack.closeConfirm.max)} |`,
      '',
      '## Open-to-ready (panel button → private thread, welcome message, reply edited)',
      '',
      'Interaction sent → the worker has created the thread, added the opener, posted the welcome and',
      'edited the reply; sequential, everything on this machine.',
      '',
      '| n | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|',
      `| ${ack.openToReady.n} | ${ms(ack.openToReady.p50)} | ${ms(ack.openToReady.p95)} | ${ms(ack.openToReady.p99)} | ${ms(ack.openToReady.max)} |`,
      '',
    ];
  },
  bundles: async () => {
    const { bundleFunctions } = await import('./bundles');
    console.log('Bundling the functions…');
    const bundles = await bundleFunctions(ROOT, OUT);
    console.log('Cold-start proxy…');
    const cold = await coldStarts(bundles);
    return [
      '## Lambda bundles (minified, `@aws-sdk/*` external)',
      '',
      'Budgets (asserted by test/unit/bundle-budget.test.ts): interactions ≤ 224 KB (the foundation target was 150 KB; see docs/DESIGN-NOTES.md), others ≤ 500 KB.',
      '',
      '| function | size | gzip |',
      '|---|---|---|',
      ...bundles.map((b) => `| ${b.name} | ${kb(b.bytes)} | ${kb(b.gzipBytes)} |`),
      '',
      `## Cold-start proxy (fresh Node process, median of ${COLD_RUNS})`,
      '',
      'Load the bundle, then the first invocation with an event needing no network (signed PING,',
      'empty SQS batch, health route; the sweeper is load only). Lambda adds its runtime start.',
      '',
      '| function | load | first invocation | total |',
      '|---|---|---|---|',
      ...Object.entries(cold).map(([n, c]) => `| ${n} | ${ms(c.load)} | ${ms(c.first)} | ${ms(c.total)} |`),
      '',
    ];
  },
  gateway: async () => {
    console.log('Gateway pipeline (forwarding into the SQS emulator, events λ apply rate)…');
    const { gatewayBench, gatewayBenchLines } = await import('./gateway');
    return gatewayBenchLines(await gatewayBench());
  },
  sweep: async () => {
    console.log('License sweep (100,000 licenses, 100 due)…');
    const sweep = await (await import('./licensing')).licenseSweepBench();
    return [
      '## License expiry sweep (DynamoDB Local)',
      '',
      `${sweep.licenses.toLocaleString('en-US')} licenses seeded with BatchWrite (${(sweep.seedMs / 1000).toFixed(1)} s), ${sweep.due} of them due. Items read and capacity`,
      'units are DynamoDB\'s own figures (`ReturnConsumedCapacity: TOTAL`, `ScannedCount`); the sweep Queries the',
      'sparse `ByDue` index (projection ALL: no second read per license), queues one notice job per due license and',
      'moves each to its next step with a conditional write. Goal: items read ≤ 2 × due items.',
      '',
      '| run | due | items read | read units | write units | time |',
      '|---|---|---|---|---|---|',
      `| first sweep | ${sweep.first.done} | ${sweep.first.itemsRead} | ${sweep.first.readUnits} | ${sweep.first.writeUnits} | ${ms(sweep.first.ms)} |`,
      `| second sweep (same time) | ${sweep.second.done} | ${sweep.second.itemsRead} | ${sweep.second.readUnits} | ${sweep.second.writeUnits} | ${ms(sweep.second.ms)} |`,
      '',
    ];
  },
  activation: async () => {
    console.log('/license activate (200 each: activated, wrong key, paused)…');
    const { licenseActivationBench, licenseActivationLines } = await import('./license-activation');
    return licenseActivationLines(await licenseActivationBench());
  },
  transcripts: async () => (await import('./transcripts/run')).transcriptBenchmark(),
  callouts: async () => {
    console.log('Callouts and the enforcement gate…');
    const { calloutBench, calloutBenchLines } = await import('./callouts');
    return calloutBenchLines(await calloutBench());
  },
};

/** `npm run bench` runs every part; `npm run bench -- ack callouts` runs those and keeps the rest of the doc. */
async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(a in PARTS));
  if (unknown.length > 0) {
    console.error(`Unknown bench part: ${unknown.join(', ')}. Parts: ${Object.keys(PARTS).join(', ')}.`);
    process.exit(2);
  }
  const parts = asked.length > 0 ? asked : Object.keys(PARTS);
  const sections: string[] = [];
  for (const part of parts) sections.push(...(await PARTS[part]!()));

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const lines = [
    '# Benchmarks',
    '',
    'Measured with `npm run bench` on one machine; the numbers move with the machine and its load.',
    `Last run: ${new Date().toISOString().slice(0, 10)} on ${machine}${asked.length > 0 ? ` (parts: ${parts.join(', ')})` : ''}.`,
    '',
    ...sections,
  ];
  const { mergeBenchDoc } = await import('./doc');
  const path = join(ROOT, 'docs', 'BENCHMARKS.md');
  const doc = mergeBenchDoc(existsSync(path) ? readFileSync(path, 'utf8') : '', lines.join('\n'));
  writeFileSync(path, doc);
  console.log(`\n${doc}`);
  console.log('Written to docs/BENCHMARKS.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
