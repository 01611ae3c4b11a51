import { randomBytes } from 'node:crypto';
import { option, pingInteraction, type DiscordEmulator, type SeededGuild } from './discord';
import { issueLocalLicense } from './licensing';
import { describeCommands, registerCommands, registerHqCommands } from './register-commands';
import { customIdsOf, describeMessage, linkOf, liveLogCount, pressSandboxComponent, publishGatewayEvent, runSandboxCommand, writeSandboxMessage } from './sandbox-drive';
import { waitUntil } from './net';
import type { LocalStack } from './stack';

export { describeMessage, publishGatewayEvent, runSandboxCommand, sandboxCommandRoute } from './sandbox-drive';

export interface SandboxWorld {
  guild: SeededGuild;
  /** The guild owner (an admin): runs /setup and /status. */
  userId: string;
  /** A plain member: opens tickets. */
  memberId: string;
  /** #support: where ticket threads live. */
  channelId: string;
  /** A member with the Support (staff) role: claims and closes tickets (`seedSandboxStaff`). */
  staffId?: string;
  /** #transcripts: where transcript summaries are posted (`seedSandboxStaff`). */
  transcriptChannelId?: string;
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

/** Adds what a full ticket lifecycle needs to the sandbox world: a staff member and a #transcripts channel. */
export function seedSandboxStaff(emulator: DiscordEmulator, world: SandboxWorld): SandboxWorld {
  const staff = emulator.createUser({ username: 'sandbox-staff', globalName: 'Sandbox Staff' });
  emulator.addMember(world.guild.id, staff.id, [world.guild.supportRoleId!]);
  const transcripts = emulator.createChannel(world.guild.id, { name: 'transcripts', parentId: world.guild.textCategoryId });
  return { ...world, staffId: staff.id, transcriptChannelId: transcripts.id };
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

/**
 * The scripted round trip `npm start` plays without Discord credentials: the gateway sees the
 * guild, Discord pings the endpoint, a member runs an inline command and a deferred one that goes
 * through the work queue and the worker, which edits the original response; then a ticket's whole
 * life (open, talk, claim, close, archive, transcript). Returns the transcript viewer link.
 */
export async function playSandboxScript(stack: LocalStack, emulator: DiscordEmulator, world: SandboxWorld, print: (line: string) => void, hq?: SandboxHq): Promise<{ transcriptUrl?: string }> {
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
  const transcripts = world.transcriptChannelId ? [option.channel('transcript_channel', { id: world.transcriptChannelId, type: 0, name: 'transcripts' })] : [];
  const setup = await runSandboxCommand(emulator, world, 'setup', {
    options: [option.role('staff_role', support), option.channel('support_channel', { id: world.channelId, type: 0, name: 'support' }), ...transcripts],
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

  const transcriptUrl = threadId && world.staffId ? await playTicketLifecycle(stack, emulator, world, threadId, print) : undefined;
  if (hq) await playCallout(emulator, world, hq, print);
  return { transcriptUrl };
}

/**
 * The rest of a ticket's life: the member and staff talk in the thread (gateway MESSAGE_CREATE →
 * events.fifo → live log), staff claim with the welcome's button and close with a reason (the
 * confirmation, then Confirm), the worker archives the thread and builds and posts the transcript,
 * and staff get a viewer link — which is returned.
 */
async function playTicketLifecycle(stack: LocalStack, emulator: DiscordEmulator, world: SandboxWorld, threadId: string, print: (line: string) => void): Promise<string> {
  // Closing archives at once here (the default waits 10 s, so staff can still read the thread).
  await runSandboxCommand(emulator, world, 'config tickets', { options: [option.integer('close_delay_seconds', 0)] });

  const said: Array<['member' | 'staff', string]> = [
    ['member', 'Hi! Exporting my report to CSV fails with "error 42".'],
    ['staff', 'Thanks for the details. That is fixed in today’s release: could you try again?'],
    ['member', 'It works now, thank you!'],
  ];
  const [first, ...rest] = said;
  await writeSandboxMessage(stack, emulator, world, threadId, ...first);
  const welcome = emulator.messagesIn(threadId)[0];
  const claimId = customIdsOf(welcome).find((id) => id.includes('claim'));
  if (!claimId) throw new Error(`the welcome message has no Claim button: ${describeMessage(welcome)}`);
  const claim = await pressSandboxComponent(emulator, world, { customId: claimId, channelId: threadId, message: welcome, as: 'staff' });
  print(`  ✓ Claim pressed (staff) answered in ${claim.ackMs.toFixed(1)} ms: ${describeMessage(claim.message).split('\n')[0]}`);
  for (const line of rest) await writeSandboxMessage(stack, emulator, world, threadId, ...line);
  await waitUntil(async () => (await liveLogCount(stack, world.guild.id, threadId)) >= said.length, 20_000, 'the events λ logging the ticket messages');
  print(`  ✓ ${said.length} messages (member and staff) → gateway message.create → events.fifo → events λ kept them in the live log`);

  const asked = await runSandboxCommand(emulator, world, 'ticket close', { as: 'staff', channelId: threadId, options: [option.string('reason', 'Fixed in today’s release')] });
  const confirmId = customIdsOf(asked.message).find((id) => id.startsWith('dw1:close-confirm:'));
  if (!confirmId) throw new Error(`/ticket close did not ask for confirmation: ${describeMessage(asked.message)}`);
  print(`  ✓ /ticket close reason: (staff) asked for confirmation in ${asked.ackMs.toFixed(1)} ms: ${describeMessage(asked.message).split('\n')[0]}`);
  const confirmed = await pressSandboxComponent(emulator, world, { customId: confirmId, channelId: threadId, message: asked.message, as: 'staff' });
  print(`  ✓ Confirm pressed (staff) deferred in ${confirmed.ackMs.toFixed(1)} ms → worker closed the ticket: ${describeMessage(confirmed.message).split('\n')[0]}`);
  await emulator.waitFor(() => emulator.state.channels.get(threadId)?.thread_metadata?.archived, 20_000);
  print(`  ✓ worker locked and archived #${emulator.state.channels.get(threadId)?.name ?? threadId}`);

  const number = Number(confirmId.split(':')[2]);
  const label = `#${String(number).padStart(4, '0')}`;
  if (world.transcriptChannelId) {
    const post = await emulator.waitFor(() => emulator.messagesIn(world.transcriptChannelId!).find((m) => m.embeds?.[0]?.title === `Transcript of ticket ${label}`), 30_000);
    print('  ✓ transcripts λ built the transcript (sealed in the archive) and posted it in #transcripts:');
    print(describeMessage(post).replace(/^/gm, '      '));
  }
  const link = await runSandboxCommand(emulator, world, 'ticket transcript', { as: 'staff', options: [option.integer('number', number)] });
  const url = linkOf(link.message);
  if (!url) throw new Error(`/ticket transcript gave no link: ${describeMessage(link.message)}`);
  print(`  ✓ /ticket transcript number:${number} (staff) → worker signed a viewer link (one hour)`);
  return url;
}

/** `/callout` by the owner, the terms accepted, and the alert the vendor's agents see in the HQ. */
async function playCallout(emulator: DiscordEmulator, world: SandboxWorld, hq: SandboxHq, print: (line: string) => void): Promise<void> {
  await registerHqCommands({ apiBaseUrl: emulator.apiBaseUrl, botToken: emulator.botToken, applicationId: emulator.applicationId, hqGuildId: hq.guild.id });
  const terms = await runSandboxCommand(emulator, world, 'callout', { options: [option.string('reason', 'Trying Interactive Support from the sandbox')] });
  const acceptId = customIdsOf(terms.message).find((id) => id.startsWith('dw1:callout-accept:'));
  if (!acceptId) throw new Error(`/callout did not show the terms: ${describeMessage(terms.message)}`);
  await pressSandboxComponent(emulator, world, { customId: acceptId, channelId: world.channelId, message: terms.message });
  const alert = await emulator.waitFor(() => emulator.messagesIn(hq.calloutChannelId).find((m) => m.embeds?.length), 10_000);
  print(`  ✓ /callout (owner) → terms accepted → worker made a single-use invite and alerted #callouts in "${hq.guild.guild.name}":`);
  print(describeMessage(alert).replace(/^/gm, '      '));
}
