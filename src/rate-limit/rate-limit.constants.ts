/** The largest per-minute limit a token or directory may set (RATE_LIMIT_PER_MINUTE has the same bound). */
export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

/** Every budget is per minute: a full budget refills over this period. */
export const RATE_WINDOW_MS = 60_000;
