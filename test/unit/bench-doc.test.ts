import { mergeBenchDoc } from '../../bench/doc';

describe('npm run bench keeps the hand-written parts of docs/BENCHMARKS.md', () => {
  const existing = [
    '# Benchmarks',
    'Last run: yesterday.',
    '',
    '## ACK latency',
    '| p99 | 30 ms |',
    '',
    '<!-- kept -->',
    'Measured against the old router: 45 ms.',
    '',
    '## Test suite',
    '560 tests, 84 s.',
    '',
    '## Bundles',
    '| interactions | 200 KB |',
    '',
  ].join('\n');
  const generated = ['# Benchmarks', 'Last run: today.', '', '## ACK latency', '| p99 | 20 ms |', '', '## Bundles', '| interactions | 190 KB |', '', '## New figure', '| x | 1 |', ''].join('\n');

  it('replaces the generated sections in place, carries their kept notes, keeps the others and appends new ones', () => {
    expect(mergeBenchDoc(existing, generated)).toBe(
      [
        '# Benchmarks',
        'Last run: today.',
        '',
        '## ACK latency',
        '| p99 | 20 ms |',
        '',
        '<!-- kept -->',
        'Measured against the old router: 45 ms.',
        '',
        '## Test suite',
        '560 tests, 84 s.',
        '',
        '## Bundles',
        '| interactions | 190 KB |',
        '',
        '## New figure',
        '| x | 1 |',
        '',
      ].join('\n'),
    );
  });

  it('writes the generated doc as it is when there is none yet', () => {
    expect(mergeBenchDoc('', generated)).toBe(generated);
  });
});
