/**
 * Discord snowflake ids: a 64-bit integer, carried as a decimal string, whose top 42 bits are
 * milliseconds since the Discord epoch (2015-01-01T00:00:00Z).
 *
 * Ids made here have the real structure, so code that derives a creation time from an id (message
 * age checks, bulk-delete's 14-day window, `before`/`after` paging) behaves as it would on Discord.
 *
 * @see https://discord.com/developers/docs/reference#snowflakes
 */

/** Milliseconds of 2015-01-01T00:00:00Z, the first second of 2015. */
export const DISCORD_EPOCH = 1420070400000n;

/** The creation time (epoch ms) encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake that could have been made at `epochMs` (useful as a `before`/`after` bound). */
export function snowflakeAt(epochMs: number): string {
  return ((BigInt(Math.max(0, Math.floor(epochMs))) - DISCORD_EPOCH) << 22n).toString();
}

/** Orders two snowflakes numerically (string comparison is wrong once lengths differ). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Makes strictly increasing snowflakes from a clock.
 *
 * The clock may be injected and may stand still or go backwards (tests freeze time); ids still
 * increase because the generator never reuses a (timestamp, increment) pair and carries the
 * timestamp forward when the 12-bit increment would overflow.
 */
export class SnowflakeGenerator {
  private lastTimestamp = -1n;
  private increment = 0n;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly workerId = 1n,
    private readonly processId = 0n,
  ) {}

  /** The next id. */
  next(): string {
    let ts = BigInt(Math.floor(this.now())) - DISCORD_EPOCH;
    if (ts < 0n) ts = 0n;
    if (ts <= this.lastTimestamp) {
      ts = this.lastTimestamp;
      this.increment += 1n;
      if (this.increment > 0xfffn) {
        ts += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastTimestamp = ts;
    return ((ts << 22n) | ((this.workerId & 0x1fn) << 17n) | ((this.processId & 0x1fn) << 12n) | this.increment).toString();
  }
}
