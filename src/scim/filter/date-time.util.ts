/**
 * XML Schema 1.0 dateTime (RFC 7643 §2.3.5): `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm)?`, with the
 * field ranges checked, since `Date.parse` accepts forms and dates xsd:dateTime does not.
 */
const XSD_DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))?$/;

export function isXsdDateTime(text: string): boolean {
  const match = XSD_DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, zoneHour, zoneMinute] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return false;
  // xsd 1.0 §3.2.7: 24:00:00 is the first instant of the next day.
  const endOfDay = hour === 24 && minute === 0 && second === 0;
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    (endOfDay || inRange(hour, 23)) &&
    inRange(minute, 59) &&
    inRange(second, 59) &&
    inRange(zoneHour, 14) &&
    inRange(zoneMinute, 59)
  );
}

function inRange(value: number | undefined, max: number): boolean {
  return value !== undefined && value >= 0 && value <= max;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The instant an xsd:dateTime names, as the fixed-width UTC string the database
 * stores (`YYYY-MM-DDThh:mm:ss.sssZ`), so that text order is time order. A value
 * without a zone is taken as UTC, never as the server's local time. Years outside
 * 0000–9999 have no such form: undefined.
 */
export function toUtcInstant(text: string): string | undefined {
  if (!isXsdDateTime(text)) return undefined;
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const time = Date.parse(zoned);
  if (Number.isNaN(time)) return undefined;
  const iso = new Date(time).toISOString();
  return /^\d{4}-/.test(iso) ? iso : undefined;
}
