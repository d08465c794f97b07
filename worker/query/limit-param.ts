import { readLimit, type LimitRange } from '../../shared/query-vocabulary.ts';
import { ApiError } from '../http/errors.ts';

export interface LimitParamOptions extends LimitRange {
  /** The limit's name in a limit-exceeded problem, so a client can tell which one it met. */
  readonly name: string;
  /** The sentence for a limit above the maximum, when the endpoint has advice to add. */
  readonly tooLarge?: (given: string) => string;
}

/**
 * A `limit` query parameter read by the shared rule (shared/query-vocabulary.ts readLimit),
 * as an ApiError when refused: 400 invalid-parameter for anything but 1 to max in plain
 * digits, 400 limit-exceeded naming the limit and its maximum above that. /rows, /changes
 * and /hooks/{id}/deliveries all read theirs here, each with its own range.
 * @example limitParam(c.req.query('limit'), { ...DELIVERIES_LIMIT, name: 'deliveriesMaxLimit' }).limit
 */
export function limitParam(raw: string | undefined, options: LimitParamOptions): { limit: number; defaulted: boolean } {
  const reading = readLimit(raw, options);
  if (reading.ok) return { limit: reading.limit, defaulted: reading.defaulted };
  if (!reading.tooLarge) throw new ApiError(400, 'invalid-parameter', reading.detail);
  throw new ApiError(400, 'limit-exceeded', options.tooLarge?.(reading.given) ?? reading.detail, {
    limit: options.name,
    maximum: options.max,
  });
}
