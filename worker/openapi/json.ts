/** Json values and references: the small helpers every part of the document builds with. */

export type Json = Record<string, unknown>;

export const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });

export const nullable = (schema: Json & { type: string }): Json => ({ ...schema, type: [schema.type, 'null'] });
