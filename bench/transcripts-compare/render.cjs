// One measurement in a fresh process: discord-html-transcripts renders the benchmark's messages.
// Inputs are discord.js Message objects built from the same raw API data, with a client that
// never logs in. Prints JSON: time (median of 3 after a warm-up), HTML size, peak RSS.
const { readFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { Client, Collection } = require('discord.js');
const { generateFromMessages } = require('discord-html-transcripts');

const [, , file, guildJson, channelJson] = process.argv;
const raw = JSON.parse(readFileSync(file, 'utf8'));
const guildData = JSON.parse(guildJson);
const channelData = JSON.parse(channelJson);

const client = new Client({ intents: [] });
const guild = client.guilds._add({ id: guildData.id, name: guildData.name, roles: [{ id: '940000000000000001', name: 'Support', permissions: '0', position: 1, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, managed: false, mentionable: true }], channels: [], members: [] });
const channel = client.channels._add({ id: channelData.id, name: channelData.name, type: 0, guild_id: guild.id }, guild);
const messages = new Collection(raw.map((m) => [m.id, channel.messages._add(m, false)]));

async function once() {
  const t0 = performance.now();
  const html = await generateFromMessages(messages, channel, { returnType: 'string', saveImages: false, poweredBy: false });
  return { ms: performance.now() - t0, htmlBytes: Buffer.byteLength(html) };
}

(async () => {
  await once();
  const runs = [await once(), await once(), await once()].sort((a, b) => a.ms - b.ms);
  process.stdout.write(JSON.stringify({ ...runs[1], maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
