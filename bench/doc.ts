/**
 * docs/BENCHMARKS.md is part generated (`npm run bench`) and part written by hand (one-off
 * comparisons, notes on a figure, the history of a number). Regenerating must not lose the hand
 * part, so the doc is merged section by section (a section is a `## ` heading and what follows):
 *
 * - a generated section replaces the section with the same heading; whatever that section held
 *   from a line `<!-- kept -->` on (hand notes about the figure) is carried over below it;
 * - a section the bench does not generate (`## Test suite`, `## History`…) is kept as it is,
 *   after the generated ones, in its own order;
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
  const freshHeadings = new Set(fresh.sections.map((s) => s.heading));
  const oldByHeading = new Map(old.sections.map((s) => [s.heading, s]));
  const out: string[] = [trimEnd(fresh.preamble)];
  for (const s of fresh.sections) {
    const kept = oldByHeading.get(s.heading)?.body;
    const at = kept?.indexOf(KEPT_MARKER) ?? -1;
    out.push(trimEnd(`${s.heading}\n${s.body}`) + (kept && at !== -1 ? `\n\n${trimEnd(kept.slice(at))}` : ''));
  }
  for (const s of old.sections) if (!freshHeadings.has(s.heading)) out.push(trimEnd(`${s.heading}\n${s.body}`));
  return `${out.filter((s) => s !== '').join('\n\n')}\n`;
}
