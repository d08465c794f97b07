/**
 * Which views get which Zapier operations. Triggers need a change column (what /changes and
 * /v1/hooks follow); a view without one can only be searched, and the worker would answer
 * its triggers with a 400 anyway.
 */
import { VIEW_NAMES, VIEWS, type ViewName } from '../../shared/views/index.ts';

/** Views whose definition names a change column, as a union of literals. */
export type FollowableViewName = {
  [N in ViewName]: (typeof VIEWS)[N]['changeColumn'] extends string ? N : never;
}[ViewName];

function isFollowable(name: ViewName): name is FollowableViewName {
  return VIEWS[name].changeColumn !== null;
}

/** Sorted, like VIEW_NAMES, so the app's trigger list is stable. */
export const FOLLOWABLE_VIEW_NAMES: readonly FollowableViewName[] = VIEW_NAMES.filter(isFollowable);
