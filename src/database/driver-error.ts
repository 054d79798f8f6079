/** The database's error code (SQLSTATE or SQLite's), whether TypeORM wrapped the driver's error or not. */
export function driverErrorCode(error: unknown): string | undefined {
  const code =
    (error as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ??
    (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** PostgreSQL lock_not_available: a NOWAIT lock found the row held. */
export function isLockNotAvailable(error: unknown): boolean {
  return driverErrorCode(error) === '55P03';
}
