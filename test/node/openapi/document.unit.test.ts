// Unit: the served /openapi.json against the OpenAPI 3.1 specification's own JSON Schema, with
// @seriousme/openapi-schema-validator. It runs in Node because it reads its schemas from disk.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { docs } from '../../../worker/routes/docs.ts';

const app = new Hono().route('/', docs);

async function served(): Promise<Record<string, unknown>> {
  const res = await app.request('https://bridge.example.com/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('the served OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(await served());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has a target for every $ref', async () => {
    const validator = new Validator();
    await validator.validate(await served());
    // resolveRefs throws on a $ref that points nowhere.
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('fails the validator when broken, so the checks above can fail', async () => {
    const broken = await served();
    const paths = broken.paths as Record<string, Record<string, { responses: Record<string, Record<string, unknown>> }>>;
    // A response object must have a description.
    delete paths['/version']!.get!.responses['200']!.description;
    expect((await new Validator().validate(broken)).valid).toBe(false);

    const dangling = await served();
    (dangling.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)['/version']!.get!.responses['200'] = {
      $ref: '#/components/responses/NoSuchResponse',
    };
    const validator = new Validator();
    await validator.validate(dangling);
    expect(() => validator.resolveRefs()).toThrow();
  });
});
