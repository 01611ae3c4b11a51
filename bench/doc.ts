/**
 * docs/BENCHMARKS.md is part generated (`npm run bench`) and part written by hand (one-off
 * comparisons, notes on a figure, the history of a number). Regenerating must not lose the hand
 * part, so the doc is merged section by section (a section is a `## ` heading and what follows):
 *
 * - a generated section replaces the section with the same heading, in its place; whatever that
 *   section held from a line `<!-- kept -->` on (hand notes about the figure) is carried over below it;
 * - a section the bench did not generate (`## Test suite`, or a part not run by `npm run bench -- ack`)
 *   is kept as it is;
 * - a generated section the doc did not have yet is added at the end;
 * - the preamble (before the first heading) is the generated one.
 */
export const KEPT_MARKER = '<!-- kept -->';

interface Section {
  heading: string;
  body: string;
}

function sections(doc: string): { preamble: string; sections: Section[] } {
  const parts = doc.split(/^(?=## )/m);
  const preamble = parts[0]!.startsWith('## ') ? '' : parts.shift()!;
  return {
    preamble,
    sections: parts.map((p) => {
      const nl = p.indexOf('\n');
      return { heading: nl === -1 ? p : p.slice(0, nl), body: nl === -1 ? '' : p.slice(nl + 1) };
    }),
  };
}

const trimEnd = (s: string) => s.replace(/\s+$/, '');

/** Merges freshly generated bench output into the existing doc (see the module comment). */
export function mergeBenchDoc(existing: string, generated: string): string {
  const old = sections(existing);
  const fresh = sections(generated);
  const oldByHeading = new Map(old.sections.map((s) => [s.heading, s]));
  const freshByHeading = new Map(fresh.sections.map((s) => [s.heading, s]));
  const render = (s: Section) => trimEnd(`${s.heading}\n${s.body}`);
  const withKept = (s: Section) => {
    const kept = oldByHeading.get(s.heading)?.body;
    const at = kept?.indexOf(KEPT_MARKER) ?? -1;
    return render(s) + (kept && at !== -1 ? `\n\n${trimEnd(kept.slice(at))}` : '');
  };
  const out: string[] = [trimEnd(fresh.preamble)];
  for (const s of old.sections) {
    const regenerated = freshByHeading.get(s.heading);
    out.push(regenerated ? withKept(regenerated) : render(s));
  }
  for (const s of fresh.sections) if (!oldByHeading.has(s.heading)) out.push(render(s));
  return `${out.filter((s) => s !== '').join('\n\n')}\n`;
}
