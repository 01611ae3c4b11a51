import type { IncomingMessage, ServerResponse } from 'node:http';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIMessage } from 'discord-api-types/v10';
import { deduplicationId, GatewayEvent, messageGroupId } from '../lambdas/shared/contracts/gateway-event';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws/provision';
import { commandInteraction, pingInteraction, type DiscordEmulator, type SeededGuild } from './discord';
import { describeCommands, registerCommands } from './register-commands';
import type { LocalStack } from './stack';

export interface SandboxWorld {
  guild: SeededGuild;
  /** The member who drives the scripted round trip (the guild owner). */
  userId: string;
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
  };
}

/** Seeds the emulator with a guild that looks like a fresh community server with Deskwire added. */
export function seedSandboxGuild(emulator: DiscordEmulator): SandboxWorld {
  const owner = emulator.createUser({ username: 'sandbox-owner', globalName: 'Sandbox Owner' });
  const guild = emulator.createGuild({ name: 'Deskwire Sandbox', ownerId: owner.id });
  const support = emulator.createChannel(guild.id, { name: 'support', parentId: guild.textCategoryId });
  emulator.setOAuthUser(owner.id);
  return { guild, userId: owner.id, channelId: support.id };
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

/** Sends a slash command as the sandbox user and waits for its final answer (inline or the worker's edit). */
export async function runSandboxCommand(emulator: DiscordEmulator, world: SandboxWorld, name: string, timeoutMs = 10_000) {
  const payload = commandInteraction({ ...emulator.interactionContext({ guildId: world.guild.id, channelId: world.channelId, userId: world.userId }), name });
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
export async function playSandboxScript(stack: LocalStack, emulator: DiscordEmulator, world: SandboxWorld, print: (line: string) => void): Promise<void> {
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
}

/** `POST /sandbox/command {"name":"status"}` — drive the sandbox from curl. */
export function sandboxCommandRoute(emulator: DiscordEmulator, world: SandboxWorld) {
  return async (_req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    let name: unknown;
    try {
      name = (JSON.parse(body.toString('utf8') || '{}') as { name?: unknown }).name;
    } catch {
      /* handled below */
    }
    if (typeof name !== 'string' || !/^[\w-]{1,32}$/.test(name)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad_request', message: 'Send {"name":"<command>"}, e.g. {"name":"status"}.' }));
      return;
    }
    const result = await runSandboxCommand(emulator, world, name);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...result, text: describeMessage(result.message) }, null, 2));
  };
}
