/** Parameters of /changes itself; everything else is a /rows filter or `select`. */
export const OWN_PARAMS = ['since', 'shape', 'limit', 'poller', 'start'] as const;
/** Values of `shape`: the default first. */
export const SHAPES = ['object', 'array'] as const;
