/**
 * The transcript benchmark: render + compress + encrypt of 1,000 and 10,000 synthetic messages,
 * each in a fresh process (peak memory is the process's max RSS), and the same messages rendered
 * by `discord-html-transcripts` (installed on first use in bench/transcripts-compare/, never a
 * dependency of Deskwire). Returns the markdown section for docs/BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { BENCH_CHANNEL, BENCH_GUILD, syntheticMessages } from './data';

const ROOT = resolve(__dirname, '..', '..');
const OUT = join(ROOT, '.local', 'bench');
const COMPARE = join(ROOT, 'bench', 'transcripts-compare');
const SIZES = (process.env.BENCH_TRANSCRIPT_SIZES ?? '1000,10000').split(',').map(Number);

interface Ours { ms: number; htmlBytes: number; jsonBytes: number; sealedHtmlBytes: number; sealedJsonBytes: number; maxRssMb: number }
interface Theirs { ms: number; htmlBytes: number; maxRssMb: number }

const kb = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(2)} MB` : `${(b / 1024).toFixed(0)} KB`);
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

/** The comparison package, installed into its own folder with npm on first use; null when that is not possible. */
function comparisonReady(): boolean {
  if (existsSync(join(COMPARE, 'node_modules', 'discord-html-transcripts'))) return true;
  console.log('Installing the comparison package (bench/transcripts-compare, npm install)…');
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: COMPARE, stdio: 'inherit' });
    return existsSync(join(COMPARE, 'node_modules', 'discord-html-transcripts'));
  } catch {
    console.log('Could not install it; run `npm install` in bench/transcripts-compare to compare. Deskwire\'s own figures follow.');
    return false;
  }
}

export async function transcriptBenchmark(): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  const renderer = join(OUT, 'transcripts-render.js');
  await build({ entryPoints: [join(__dirname, 'deskwire-render.ts')], outfile: renderer, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  const compare = comparisonReady();
  const rows: Array<{ n: number; ours: Ours; theirs: Theirs | null }> = [];
  for (const n of SIZES) {
    const file = join(OUT, `transcript-messages-${n}.json`);
    writeFileSync(file, JSON.stringify(syntheticMessages(n)));
    console.log(`Transcripts: ${n} messages…`);
    const ours = JSON.parse(execFileSync(process.execPath, [renderer, file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 })) as Ours;
    let theirs: Theirs | null = null;
    if (compare) {
      try {
        const out = execFileSync(process.execPath, [join(COMPARE, 'render.cjs'), file, JSON.stringify(BENCH_GUILD), JSON.stringify(BENCH_CHANNEL)], { cwd: COMPARE, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
        // The library logs markdown it cannot render (headings) on stdout: the figures are the last line.
        theirs = JSON.parse(out.slice(out.lastIndexOf('{"ms"'))) as Theirs;
      } catch (err) {
        console.log(`discord-html-transcripts failed at ${n} messages: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
      }
    }
    rows.push({ n, ours, theirs });
  }
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  return [
    '## Transcripts (render + compress + encrypt)',
    '',
    'Synthetic ticket conversations (an opener, two staff and the bot writing in runs of one to three',
    'messages; markdown, mentions, replies, reactions; an image every 10th message, an embed every',
    '25th), rendered to the HTML page and the JSON export, each gzipped and',
    'sealed with AES-256-GCM; median of 3 runs after a warm-up, each size in a fresh process (peak',
    'memory = its max RSS). The same messages, as discord.js `Message` objects, rendered by',
    '`discord-html-transcripts` 3.3.0 (discord.js 14.28.1, React 19.1.1; `saveImages: false`; HTML',
    'string only). Goal at 10,000 messages: ≥ 5× faster, ≤ half the size, ≤ 256 MB.',
    '',
    '| messages | Deskwire time | HTML | JSON | sealed HTML + JSON | peak RSS | discord-html-transcripts time | its HTML | its peak RSS | faster | size ratio |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(({ n, ours, theirs }) =>
      `| ${n.toLocaleString('en')} | ${ms(ours.ms)} | ${kb(ours.htmlBytes)} | ${kb(ours.jsonBytes)} | ${kb(ours.sealedHtmlBytes + ours.sealedJsonBytes)} | ${ours.maxRssMb.toFixed(0)} MB | ${theirs ? ms(theirs.ms) : '—'} | ${theirs ? kb(theirs.htmlBytes) : '—'} | ${theirs ? `${theirs.maxRssMb.toFixed(0)} MB` : '—'} | ${theirs ? ratio(theirs.ms, ours.ms) : '—'} | ${theirs ? `${(ours.htmlBytes / theirs.htmlBytes).toFixed(2)}` : '—'} |`,
    ),
    '',
  ];
}

if (require.main === module) {
  transcriptBenchmark()
    .then((lines) => console.log(`\n${lines.join('\n')}`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
