/**
 * What travels on the `activconnect-deliveries` queue: only the delivery's id. The rows and the
 * exact body are in D1 (hook_deliveries.payload), which keeps messages far below the queue's
 * 128 KB limit and makes every retry send the same bytes.
 */
import { sha256Hex } from '../encoding/sha256.ts';
export interface DeliveryMessage {
  readonly deliveryId: string;
  readonly subscriptionId: string;
}

/**
 * Narrows a queue message body. A body we did not write (a manual send, an old format) is
 * acknowledged and dropped by the consumer rather than retried forever.
 */
export function isDeliveryMessage(body: unknown): body is DeliveryMessage {
  if (typeof body !== 'object' || body === null) return false;
  const { deliveryId, subscriptionId } = body as Record<string, unknown>;
  return typeof deliveryId === 'string' && /^msg_[0-9a-f]{32}$/.test(deliveryId) && typeof subscriptionId === 'string';
}

/** The dead-letter queue's name, as wrangler.toml declares it; the consumer routes on it. */
export const DEAD_LETTER_QUEUE = 'activconnect-deliveries-dlq';

/**
 * The delivery id: the subscription and the batch's first and last row positions, hashed. The
 * same batch read again after a crash gets the same id, hence the same `webhook-id`, which is
 * what Standard Webhooks receivers de-duplicate on. It never contains '.', which the signature
 * scheme forbids.
 */
export async function deliveryId(subscriptionId: string, firstPosition: string, lastPosition: string): Promise<string> {
  return `msg_${await sha256Hex(`${subscriptionId}\n${firstPosition}\n${lastPosition}`, 16)}`;
}
