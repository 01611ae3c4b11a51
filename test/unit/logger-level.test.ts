import { createLogger } from '../../lambdas/shared/logger';

/** What a logger writes (Powertools prints one JSON line per entry to stdout/stderr). */
function written(log: (logger: ReturnType<typeof createLogger>) => void, env: Record<string, string | undefined>): string[] {
  const lines: string[] = [];
  const capture = (chunk: unknown) => (lines.push(String(chunk)), true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    log(createLogger('level-test', env));
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.map((l) => (JSON.parse(l) as { message: string }).message);
}

describe('LOG_LEVEL', () => {
  const every = (l: ReturnType<typeof createLogger>) => (l.debug('debug line'), l.info('info line'), l.warn('warn line'), l.error('error line'));
  const saved = process.env.POWERTOOLS_LOG_LEVEL;
  // Set the other way on purpose: LOG_LEVEL must decide, whatever Powertools' own variable says.
  beforeAll(() => (process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'));
  afterAll(() => (saved === undefined ? delete process.env.POWERTOOLS_LOG_LEVEL : (process.env.POWERTOOLS_LOG_LEVEL = saved)));

  it('decides what the functions log, over POWERTOOLS_LOG_LEVEL', () => {
    expect(written(every, { LOG_LEVEL: 'DEBUG' })).toEqual(['debug line', 'info line', 'warn line', 'error line']);
    expect(written(every, { LOG_LEVEL: 'WARN' })).toEqual(['warn line', 'error line']);
    expect(written(every, { LOG_LEVEL: 'SILENT' })).toEqual([]);
  });

  it('unset or empty (a .env copied from .env.example), it leaves the level to the defaults', () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    expect(written(every, { LOG_LEVEL: '' })).toEqual(['error line']);
    expect(written(every, {})).toEqual(['error line']);
  });
});
