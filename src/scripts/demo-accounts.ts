/**
 * What the demo's accounts share, apart from the code that seeds them (demo-data.ts loads the whole
 * application; demo-walk.ts, a plain client, must not).
 */

/** The password of every demo account (documented in the README; demo data only). */
export const DEMO_PASSWORD = 'demo-password-2026';
