import { VIEW_NAMES } from '../shared/views/index.ts';

/** The release, as package.json names it (the Worker cannot read that file; a test holds the two equal). */
export const API_VERSION = '1.0.0';

/** GET /version; the OpenAPI Version schema is checked against its keys. */
export function versionInfo() {
  return { name: 'activconnect-bridge', version: API_VERSION, api: 'v1', views: VIEW_NAMES.length };
}
