import type { SupportHours } from './model';

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Whether `now` falls inside a category's support hours, evaluated in its time zone with the
 * platform's Intl data (no library needed). `open: null` when the category has no hours.
 */
export function supportHoursState(hours: SupportHours | null, now: number): { open: boolean | null; description: string } {
  if (!hours) return { open: null, description: '' };
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = DAY_NAMES.indexOf(get('weekday'));
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [start, end] = [toMinutes(hours.start), toMinutes(hours.end)];
  const inTime = start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  const days = [...hours.days].sort().map((d) => DAY_NAMES[d]).join(', ');
  return { open: hours.days.includes(weekday) && inTime, description: `Opening hours: ${days}, ${hours.start}–${hours.end} (${hours.timeZone}).` };
}
