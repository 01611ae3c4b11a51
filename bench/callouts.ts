/**
 * Callout and enforcement latencies on the 3-second path: `/callout` (terms already accepted: entitlement,
 * settings, terms and ticket reads in parallel, then the reservation transaction, then defer), an HQ agent's
 * Respond (the one conditional write, answered inline with the invite), `/help` in a guild (an inline reply
 * behind the enforcement gate's BatchGet), and the gate's BatchGet alone. Run alone with
 * `npx tsx bench/callouts.ts`, or as part of `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';

const N = Number(process.env.BENCH_CALLOUTS ?? 200);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1]! };
};
export type CalloutBench = Record<'callout' | 'respond' | 'help' | 'gate', ReturnType<typeof summary>>;

export async function calloutBench(): Promise<CalloutBench> {
  const { startDiscordEmulator, generateInteractionKeyPair, commandInteraction, componentInteraction, option } = await import('../local/discord');
  const { startLocalStack } = await import('../local/stack');
  const { emulatorEnv, seedSandboxGuild, seedSandboxHq } = await import('../local/sandbox');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../local/aws/provision');
  const { DynamoCalloutStore } = await import('../lambdas/shared/adapters/dynamo-callout-store');
  const { DynamoEnforcementStore } = await import('../lambdas/shared/adapters/dynamo-enforcement-store');
  const { Keys } = await import('../lambdas/shared/adapters/keys');
  const discord = await startDiscordEmulator({ keyPair: generateInteractionKeyPair() });
  const hq = seedSandboxHq(discord);
  const stack = await startLocalStack({ prefix: 'bench-callouts', sweepIntervalMs: null, onError: () => undefined, env: { ...emulatorEnv(discord), ...hq.env, CALLOUT_COOLDOWN_MINUTES: '0' } });
  discord.interactionsUrl = `${stack.url}/interactions`;
  const world = seedSandboxGuild(discord);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), { marshallOptions: { removeUndefinedValues: true } });
  const table = stack.resources.tableName;
  const callouts = new DynamoCalloutStore(db, table);
  try {
    await (await import('../local/licensing')).grantLocalLicense(stack, world.guild.id);
    await callouts.acceptTerms(world.userId, '1', world.guild.id, Date.now());
    // The worker would make invites and alerts meanwhile; on AWS it is its own λ.
    await stack.pollers.work.stop();
    const ctx = (guildId: string, channelId: string, userId: string) => discord.interactionContext({ guildId, channelId, userId });
    const calloutAcks: number[] = [];
    const respondAcks: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await discord.sendInteraction(commandInteraction({ ...ctx(world.guild.id, world.channelId, world.userId), name: 'callout', options: [option.string('reason', `Bench callout number ${i}`)] }));
      if ((r.body as { type?: number }).type !== 5) throw new Error(`/callout answered ${JSON.stringify(r.body)}`);
      calloutAcks.push(r.latencyMs);
      // Play the worker's part without Discord, then an agent responds.
      const state = await callouts.list({ openOnly: true, limit: 1 });
      const c = state[0]!;
      await callouts.markOpen(c.guildId, c.calloutId, Date.now() + 60_000);
      const press = await discord.sendInteraction(componentInteraction({ ...ctx(hq.guild.id, hq.calloutChannelId, hq.agentId), customId: `dw1:callout-respond:${c.guildId}:${c.calloutId}` } as never));
      if (!String((press.body as { data?: { content?: string } }).data?.content).startsWith('You are the responder')) throw new Error(`Respond answered ${JSON.stringify(press.body)}`);
      respondAcks.push(press.latencyMs);
      await callouts.close(c.guildId, c.calloutId, { status: 'resolved', by: hq.agentId, note: 'bench' }, Date.now());
      await db.send(new DeleteCommand({ TableName: table, Key: Keys.callout(c.guildId, c.calloutId) }));
    }
    const help: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await discord.sendInteraction(commandInteraction({ ...ctx(world.guild.id, world.channelId, world.memberId), name: 'help' }));
      if ((r.body as { type?: number }).type !== 4) throw new Error(`/help answered ${JSON.stringify(r.body)}`);
      help.push(r.latencyMs);
    }
    const enforcement = new DynamoEnforcementStore(db, table);
    const gate: number[] = [];
    for (let i = 0; i < N; i++) {
      const started = performance.now();
      await enforcement.states(world.guild.id, world.memberId);
      gate.push(performance.now() - started);
    }
    return { callout: summary(calloutAcks), respond: summary(respondAcks), help: summary(help), gate: summary(gate) };
  } finally {
    db.destroy();
    await stack.close();
    await discord.close();
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const row = (name: string, s: ReturnType<typeof summary>) => `| ${name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`;

export const calloutBenchLines = (b: CalloutBench): string[] => [
  '## Callouts and the enforcement gate (ACK latency, DynamoDB Local)',
  '',
  'Sequential, signed by the Discord emulator, the worker paused. Every interaction in a customer guild first',
  'reads the guild’s and the user’s enforcement state in one BatchGet (last row: that read alone). Target: p99 ≤ 50 ms.',
  '',
  '| interaction | n | p50 | p95 | p99 | max |',
  '|---|---|---|---|---|---|',
  row('/callout (terms accepted: reads + reservation + defer)', b.callout),
  row('Respond in the HQ (conditional write, invite inline)', b.respond),
  row('/help in a guild (gate + inline reply)', b.help),
  row('enforcement gate BatchGet alone', b.gate),
  '',
];

if (require.main === module) {
  (async () => {
    console.log(calloutBenchLines(await calloutBench()).join('\n'));
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
