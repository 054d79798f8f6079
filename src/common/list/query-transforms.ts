/** class-transformer helpers shared by the query-parameter and SearchRequest DTOs. */

export const toInt = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || value.trim() === '') return value;
  return /^[-+]?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
};

export const toLowerString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.toLowerCase() : value;

/** RFC 7643 §2.5: a null value is equivalent to an unassigned one. */
export const nullAsAbsent = ({ value }: { value: unknown }): unknown => (value === null ? undefined : value);
