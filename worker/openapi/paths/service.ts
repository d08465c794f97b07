import { problemAnswer } from '../components/responses.ts';
import { type Json, ref } from '../json.ts';

/** The service paths that need no key, and the catalog. */

export function servicePaths(): Record<string, Json> {
  const open = { security: [] };
  const json = (description: string, schema: string) => ({
    description,
    content: { 'application/json': { schema: ref('schemas', schema) } },
  });
  return {
    '/': {
      get: {
        operationId: 'getServiceInfo',
        summary: 'Service links',
        tags: ['Service'],
        ...open,
        responses: { '200': json('Name and links.', 'ServiceInfo') },
      },
    },
    '/healthz': {
      get: {
        operationId: 'getHealth',
        summary: 'Health check',
        tags: ['Service'],
        ...open,
        responses: {
          '200': json('Up.', 'Health'),
          '503': {
            ...problemAnswer('The control-plane database is not answering (`service-unavailable`), so no API key can be checked.'),
            headers: {
              'X-Request-Id': ref('headers', 'X-Request-Id'),
              'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer' } },
            },
          },
        },
      },
    },
    '/version': {
      get: {
        operationId: 'getVersion',
        summary: 'API version',
        tags: ['Service'],
        ...open,
        responses: { '200': json('Versions.', 'Version') },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        tags: ['Service'],
        ...open,
        responses: {
          '200': {
            description: 'OpenAPI 3.1, generated from the view definitions.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/docs': {
      get: {
        operationId: 'getDocsPage',
        summary: 'Interactive reference',
        tags: ['Service'],
        ...open,
        responses: {
          '200': {
            description: 'An HTML page that reads this document and can try requests.',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/v1/views': {
      get: {
        operationId: 'listViews',
        summary: 'List the views your plan can read',
        tags: ['Catalog'],
        responses: { '200': json('The views your plan can read.', 'ViewList'), '401': ref('responses', 'Unauthorized') },
      },
    },
  };
}
