/** Quay's three spellings of a time, read as ISO 8601. */

/**
 * A Quay time as ISO 8601. Quay sends RFC 2822 strings (`Tue, 14 Nov 2023 22:13:20 -0000`: tags, robots, logs),
 * Unix seconds (`start_ts`, repository `last_modified`) or ISO 8601 (mirror dates) depending on the endpoint.
 */
export function parseQuayTime(v: string | number | null | undefined): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  // Whole Unix seconds (every timestamp of a tag listing) are formatted by hand: several times faster than Date.
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_ISO_SECONDS) return isoFromSeconds(v);
  const ms = typeof v === 'number' ? v * 1000 : /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) * 1000 : Date.parse(v);
  // Date's range is ±8.64e15 ms; toISOString() throws outside it.
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

const MAX_ISO_SECONDS = 253402300799; // 9999-12-31T23:59:59Z

/** "00" … "59": two-digit fields without padStart per call. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

/** The last day formatted: the tags of a page are mostly pushed on few days. */
let lastDay = NaN;
let lastDayText = '';

/** `new Date(seconds * 1000).toISOString()` for whole seconds from 1970 to 9999 (days to civil date, H. Hinnant). */
export function isoFromSeconds(t: number): string {
  const days = Math.floor(t / 86400);
  let rem = t - days * 86400;
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mm = Math.floor(rem / 60);
  const ss = rem - mm * 60;
  if (days !== lastDay) {
    lastDayText = civilDate(days);
    lastDay = days;
  }
  return `${lastDayText}T${TWO_DIGITS[hh]}:${TWO_DIGITS[mm]}:${TWO_DIGITS[ss]}.000Z`;
}

function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
}
