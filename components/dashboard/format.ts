const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const clock = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** `1,234`. */
export const formatCount = (value: number): string => integer.format(value);

/** `2.5`. */
export const formatDecimal = (value: number): string => decimal.format(value);

/** `0.125` → `12.5%`. */
export const formatRate = (value: number): string => percent.format(value);

/** A duration as `45s`, `3m 20s` or `1h 05m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A response time as `0.4 s`, `45 s`, `1 m 20 s` or `2 h 05 m`. */
export function formatResponseTime(ms: number): string {
  if (ms < 1000) return `${decimal.format(ms / 1000)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
}

/** `2025-11-07` → `7 Nov 2025` (the day is a UTC day). */
export const formatDay = (isoDay: string): string => day.format(new Date(`${isoDay}T00:00:00Z`));

/** `2025-11-07` → `Nov 7`. */
export const formatShortDay = (isoDay: string): string => shortDay.format(new Date(`${isoDay}T00:00:00Z`));

/** `2025-11-01`..`2025-11-07` → `1 Nov 2025 – 7 Nov 2025`. */
export const formatRange = (from: string, to: string): string => `${formatDay(from)} – ${formatDay(to)}`;

/** Local wall-clock time, `14:03:09`. */
export const formatClock = (ms: number): string => clock.format(new Date(ms));

/** How long before `reference` `ms` was: `just now`, `4 min ago`, `2 h ago`. */
export function formatAgo(ms: number, reference: number): string {
  const seconds = Math.max(0, Math.round((reference - ms) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}
