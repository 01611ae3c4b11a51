/**
 * One measurement in a fresh process: Deskwire renders `n` synthetic messages to HTML + JSON,
 * compresses and encrypts both (AES-256-GCM). Prints JSON: time (median of 3 after a warm-up),
 * sizes, and the process's peak RSS.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { APIMessage } from 'discord-api-types/v10';
import { sealObject } from '../../lambdas/shared/transcripts/archive-crypto';
import { buildDocument, fromApiMessage, mergeHistory } from '../../lambdas/shared/transcripts/collect';
import { renderTranscriptHtml } from '../../lambdas/shared/transcripts/render-html';
import type { Ticket } from '../../lambdas/shared/tickets/model';
import { BENCH_CHANNEL, BENCH_GUILD } from './data';

const raw = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as APIMessage[];
const key = randomBytes(32);
const first = Date.parse(raw[0]!.timestamp);
const last = Date.parse(raw.at(-1)!.timestamp);
const ticket: Ticket & { closedAt: number } = {
  guildId: BENCH_GUILD.id, number: 1, categoryId: 'general', openerId: raw[0]!.author.id, status: 'closed', mode: 'thread', channelId: BENCH_CHANNEL.id,
  welcomeMessageId: null, answers: [], aboutMessageUrl: null, claimedBy: null, priority: 'normal', createdAt: first, lastActivityAt: last, closedAt: last + 1000,
  closedBy: raw[1]!.author.id, closeReason: 'Solved', rating: null, feedback: null,
};

function once() {
  const t0 = performance.now();
  const messages = mergeHistory([], raw.map((m) => fromApiMessage(m, BENCH_GUILD.id)));
  const attachments = Object.fromEntries(messages.flatMap((m) => m.attachments.map((a) => [a.id, { path: `attachments/${a.id}/${encodeURIComponent(a.filename)}`, note: null }])));
  const doc = buildDocument({
    ticket, category: { id: 'general', name: 'General' }, guildName: BENCH_GUILD.name, messages, trail: [], knownUsers: {},
    roleNames: { '940000000000000001': 'Support' }, channelNames: {}, attachments, avatars: {}, generatedAt: last + 2000, historyComplete: true,
  });
  const html = Buffer.from(renderTranscriptHtml(doc, { avatars: {}, images: {} }));
  const json = Buffer.from(JSON.stringify(doc));
  const sealedHtml = sealObject(html, { key, keyId: 'bench', objectKey: 'transcript.html.gz.enc', compress: true }).body;
  const sealedJson = sealObject(json, { key, keyId: 'bench', objectKey: 'transcript.json.gz.enc', compress: true }).body;
  return { ms: performance.now() - t0, htmlBytes: html.length, jsonBytes: json.length, sealedHtmlBytes: sealedHtml.length, sealedJsonBytes: sealedJson.length };
}

once();
const runs = [once(), once(), once()].sort((a, b) => a.ms - b.ms);
const mid = runs[1]!;
process.stdout.write(JSON.stringify({ ...mid, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
