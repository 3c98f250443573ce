import type { NotificationKind } from './notification-events';

/**
 * What the worker's relay (notification-relay.ts) and the API processes (api/live-feed.ts) agree
 * on: one Redis pub/sub channel per deployment, each message a batch of notifications as stored.
 * Nothing here needs type-graphql or the schema.
 */

/** The channel, under the BullMQ prefix: test runs and deployments sharing a Redis do not hear each other. */
export function notificationChannel(prefix: string): string {
  return `${prefix}:live:notifications`;
}

/** The Redis key of the relay's lease: one relay publishes per deployment. */
export function relayLeaseKey(prefix: string): string {
  return `${prefix}:live:relay-lease`;
}

/** The subscription's topic in the API's pub/sub; each subscriber listens under their user id. */
export const NOTIFICATION_ADDED = 'NOTIFICATION_ADDED';

/** One notification row as published (JSON: timestamps as ISO strings), with the user it is for. */
export interface LiveNotification {
  id: string;
  userId: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface LiveNotificationBatch {
  notifications: LiveNotification[];
}

/** A message from the channel, or null when it is not one (a stray publish is ignored, not fatal). */
export function parseBatch(message: string): LiveNotificationBatch | null {
  try {
    const parsed = JSON.parse(message) as Partial<LiveNotificationBatch>;
    return Array.isArray(parsed?.notifications) ? (parsed as LiveNotificationBatch) : null;
  } catch {
    return null;
  }
}
