import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIMessage } from 'discord-api-types/v10';
import { deduplicationId, GatewayEvent, messageGroupId } from '../lambdas/shared/contracts/gateway-event';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws/provision';
import { commandInteraction, componentInteraction, option, pingInteraction, type DiscordEmulator, type OptionInput, type SeededGuild } from './discord';
import { issueLocalLicense } from './licensing';
import { describeCommands, registerCommands, registerHqCommands } from './register-commands';
import type { LocalStack } from './stack';

export interface SandboxWorld {
  guild: SeededGuild;
  /** The guild owner (an admin): runs /setup and /status. */
  userId: string;
  /** A plain member: opens tickets. */
  memberId: string;
  /** #support: where ticket threads live. */
  channelId: string;
}

/** The contract variables that point the functions at the emulator (it plays Discord for them). */
export function emulatorEnv(emulator: DiscordEmulator): Record<string, string> {
  return {
    DISCORD_APPLICATION_ID: emulator.applicationId,
    DISCORD_PUBLIC_KEY: emulator.publicKeyHex,
    DISCORD_BOT_TOKEN: emulator.botToken,
    DISCORD_CLIENT_SECRET: emulator.clientSecret,
    DISCORD_API_BASE_URL: emulator.apiBaseUrl,
    DISCORD_CDN_BASE_URL: `${emulator.url}/cdn`,
  };
}

/** Seeds the emulator with a guild that looks like a fresh community server with Deskwire added. */
export function seedSandboxGuild(emulator: DiscordEmulator): SandboxWorld {
  const owner = emulator.createUser({ username: 'sandbox-owner', globalName: 'Sandbox Owner' });
  const guild = emulator.createGuild({ name: 'Deskwire Sandbox', ownerId: owner.id });
  const support = emulator.createChannel(guild.id, { name: 'support', parentId: guild.textCategoryId });
  const member = emulator.createUser({ username: 'sandbox-member', globalName: 'Sandbox Member' });
  emulator.addMember(guild.id, member.id, []);
  emulator.setOAuthUser(owner.id);
  return { guild, userId: owner.id, memberId: member.id, channelId: support.id };
}

/** The vendor's HQ guild in the emulator: a callout channel, an agent and a member of each enforcement tier. */
export interface SandboxHq {
  guild: SeededGuild;
  calloutChannelId: string;
  agentRoleId: string;
  tierRoleIds: { standard: string; elevated: string; sudo: string };
  /** A vendor agent (agent role + standard enforcement). */
  agentId: string;
  /** One member per enforcement tier. */
  tierUserIds: { standard: string; elevated: string; sudo: string };
  /** The HQ variables the functions need (`HQ_*`, a local `ENFORCEMENT_KEY`). */
  env: Record<string, string>;
}

/**
 * Seeds the vendor HQ guild so a callout can be tried end to end without Discord: the sandbox
 * world's `/callout` alerts land in its #callouts channel.
 */
export function seedSandboxHq(emulator: DiscordEmulator): SandboxHq {
  const owner = emulator.createUser({ username: 'vendor-lead', globalName: 'Vendor Lead' });
  const guild = emulator.createGuild({ name: 'Deskwire HQ', ownerId: owner.id });
  const callouts = emulator.createChannel(guild.id, { name: 'callouts', parentId: guild.textCategoryId });
  const role = (name: string) => emulator.createRole(guild.id, { name, permissions: 0n }).id;
  const agentRoleId = role('Agent');
  const tierRoleIds = { standard: role('Trust & Safety'), elevated: role('T&S Elevated'), sudo: role('T&S Sudo') };
  const member = (username: string, roles: string[]) => {
    const user = emulator.createUser({ username });
    emulator.addMember(guild.id, user.id, roles);
    return user.id;
  };
  const agentId = member('vendor-agent', [agentRoleId, tierRoleIds.standard]);
  const tierUserIds = { standard: member('ts-standard', [tierRoleIds.standard]), elevated: member('ts-elevated', [tierRoleIds.elevated]), sudo: member('ts-sudo', [tierRoleIds.sudo]) };
  return {
    guild,
    calloutChannelId: callouts.id,
    agentRoleId,
    tierRoleIds,
    agentId,
    tierUserIds,
    env: {
      HQ_GUILD_ID: guild.id,
      HQ_CALLOUT_CHANNEL_ID: callouts.id,
      HQ_AGENT_ROLE_IDS: agentRoleId,
      HQ_ENFORCE_STANDARD_ROLE_IDS: tierRoleIds.standard,
      HQ_ENFORCE_ELEVATED_ROLE_IDS: tierRoleIds.elevated,
      HQ_ENFORCE_SUDO_ROLE_IDS: tierRoleIds.sudo,
      // A fresh key per sandbox run: its enforcement records are only readable while it runs.
      ENFORCEMENT_KEY: randomBytes(32).toString('base64'),
    },
  };
}

/** Publishes a gateway event the way the gateway task does (same contract, group and dedup ids). */
export async function publishGatewayEvent(stack: LocalStack, event: GatewayEvent): Promise<void> {
  const sqs = new SQSClient({ endpoint: stack.endpoints.sqsS3, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const body = GatewayEvent.parse(event);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queues.events.url, MessageBody: JSON.stringify(body), MessageGroupId: messageGroupId(body), MessageDeduplicationId: deduplicationId(body) }),
    );
  } finally {
    sqs.destroy();
  }
}

/**
 * Sends a slash command (`"ticket open"` = command + subcommand) as the sandbox owner or member,
 * signed like Discord, and waits for its final answer (inline, or the worker's edit).
 */
export async function runSandboxCommand(emulator: DiscordEmulator, world: SandboxWorld, command: string, opts: { as?: 'owner' | 'member'; options?: OptionInput[]; timeoutMs?: number } = {}) {
  const [name, sub] = command.split(' ');
  const userId = opts.as === 'member' ? world.memberId : world.userId;
  const options = sub ? [option.subcommand(sub, opts.options ?? [])] : (opts.options ?? []);
  const payload = commandInteraction({ ...emulator.interactionContext({ guildId: world.guild.id, channelId: world.channelId, userId }), name, options });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const sent = await emulator.sendInteraction(payload);
  const deferred = (sent.body as { type?: number } | undefined)?.type === 5;
  const final: APIMessage | undefined = deferred
    ? await emulator.waitFor(() => {
        const m = emulator.originalMessage(payload.id);
        return m && !(m.flags !== undefined && (m.flags & 128) === 128) ? m : undefined; // 128 = Loading ("thinking…")
      }, timeoutMs)
    : emulator.originalMessage(payload.id);
  return { status: sent.status, ackMs: sent.latencyMs, deferred, message: final };
}

/** Renders a message as plain text for the terminal. */
export function describeMessage(m: APIMessage | undefined): string {
  if (!m) return '(no message)';
  const lines: string[] = [];
  if (m.content) lines.push(m.content);
  for (const e of m.embeds ?? []) {
    if (e.title) lines.push(`┃ ${e.title}`);
    if (e.description) lines.push(`┃ ${e.description}`);
    for (const f of e.fields ?? []) lines.push(`┃ ${f.name}: ${f.value.replace(/\n/g, '\n┃   ')}`);
  }
  return lines.join('\n');
}

/**
 * The scripted round trip `npm start` plays without Discord credentials: the gateway sees the
 * guild, Discord pings the endpoint, a member runs an inline command and a deferred one that goes
 * through the work queue and the worker, which edits the original response.
 */
export async function playSandboxScript(stack: LocalStack, emulator: DiscordEmulator, world: SandboxWorld, print: (line: string) => void, hq?: SandboxHq): Promise<void> {
  const registered = await registerCommands({ apiBaseUrl: emulator.apiBaseUrl, botToken: emulator.botToken, applicationId: emulator.applicationId, guildId: world.guild.id });
  print(`  ✓ registered ${describeCommands(registered)} in "${world.guild.guild.name}"`);

  const now = Date.now();
  await publishGatewayEvent(stack, { type: 'guild.create', guildId: world.guild.id, ownerId: world.userId, joinedAt: new Date(now).toISOString(), at: now });
  print('  ✓ gateway event guild.create → events.fifo → events λ');

  const ping = await emulator.sendInteraction(pingInteraction({ applicationId: emulator.applicationId }));
  print(`  ✓ PING → ${JSON.stringify(ping.body)} in ${ping.latencyMs.toFixed(1)} ms (signature verified)`);

  const help = await runSandboxCommand(emulator, world, 'help');
  print(`  ✓ /help answered inline in ${help.ackMs.toFixed(1)} ms`);

  const status = await runSandboxCommand(emulator, world, 'status');
  print(`  ✓ /status deferred in ${status.ackMs.toFixed(1)} ms → work queue → worker λ edited the reply:`);
  print(describeMessage(status.message).replace(/^/gm, '      '));

  const support = emulator.state.guilds.get(world.guild.id)!.roles.find((r) => r.id === world.guild.supportRoleId)!;
  const setup = await runSandboxCommand(emulator, world, 'setup', {
    options: [option.role('staff_role', support), option.channel('support_channel', { id: world.channelId, type: 0, name: 'support' })],
  });
  print(`  ✓ /setup (owner) answered inline in ${setup.ackMs.toFixed(1)} ms: ${describeMessage(setup.message).split('\n')[0]}`);

  const { key } = await issueLocalLicense(stack);
  print(`  ✓ ops issued a license key (npm run ops -- license issue): ${key}`);
  const activate = await runSandboxCommand(emulator, world, 'license activate', { options: [option.string('key', key)] });
  print(`  ✓ /license activate (owner) answered inline in ${activate.ackMs.toFixed(1)} ms: ${describeMessage(activate.message).split('\n')[0]}`);

  const ticket = await runSandboxCommand(emulator, world, 'ticket open', { as: 'member' });
  const threadId = /<#(\d+)>/.exec(ticket.message?.content ?? '')?.[1];
  const thread = threadId ? emulator.state.channels.get(threadId) : undefined;
  print(`  ✓ /ticket open (member) deferred in ${ticket.ackMs.toFixed(1)} ms → worker created private thread #${thread?.name ?? '?'} and posted:`);
  print(describeMessage(threadId ? emulator.messagesIn(threadId)[0] : undefined).replace(/^/gm, '      '));

  if (hq) await playCallout(emulator, world, hq, print);
}

/** `/callout` by the owner, the terms accepted, and the alert the vendor's agents see in the HQ. */
async function playCallout(emulator: DiscordEmulator, world: SandboxWorld, hq: SandboxHq, print: (line: string) => void): Promise<void> {
  await registerHqCommands({ apiBaseUrl: emulator.apiBaseUrl, botToken: emulator.botToken, applicationId: emulator.applicationId, hqGuildId: hq.guild.id });
  const terms = await runSandboxCommand(emulator, world, 'callout', { options: [option.string('reason', 'Trying Interactive Support from the sandbox')] });
  const ctx = emulator.interactionContext({ guildId: world.guild.id, channelId: world.channelId, userId: world.userId });
  const acceptId = /dw1:callout-accept:[\w.-]+/.exec(JSON.stringify(terms.message?.components ?? []))?.[0];
  if (!acceptId) throw new Error(`/callout did not show the terms: ${describeMessage(terms.message)}`);
  const accept = componentInteraction({ ...ctx, customId: acceptId, message: terms.message });
  await emulator.sendInteraction(accept);
  const alert = await emulator.waitFor(() => emulator.messagesIn(hq.calloutChannelId).find((m) => m.embeds?.length), 10_000);
  print(`  ✓ /callout (owner) → terms accepted → worker made a single-use invite and alerted #callouts in "${hq.guild.guild.name}":`);
  print(describeMessage(alert).replace(/^/gm, '      '));
}

/** `POST /sandbox/command {"name":"status"}` — drive the sandbox from curl. */
export function sandboxCommandRoute(emulator: DiscordEmulator, world: SandboxWorld) {
  return async (_req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    let request: { name?: unknown; as?: unknown } = {};
    try {
      request = JSON.parse(body.toString('utf8') || '{}') as typeof request;
    } catch {
      /* handled below */
    }
    const { name, as } = request;
    if (typeof name !== 'string' || !/^[\w-]{1,32}( [\w-]{1,32})?$/.test(name) || (as !== undefined && as !== 'owner' && as !== 'member')) {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'bad_request', message: 'Send {"name":"<command> [subcommand]","as":"owner"|"member"}, e.g. {"name":"ticket open","as":"member"}.' }));
      return;
    }
    const result = await runSandboxCommand(emulator, world, name, { as });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...result, text: describeMessage(result.message) }, null, 2));
  };
}
