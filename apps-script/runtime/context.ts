import { ApiClient, type Connection } from '../api/client.ts';
import { requireConnection } from '../api/connection.ts';
import type { RefreshContext } from '../refresh/engine.ts';
import { RangeStore } from '../refresh/store.ts';
import type { Properties, Services, Spreadsheet, Utilities } from '../types/apps-script.ts';
import type { Scheduling } from '../refresh/scheduler.ts';
import { Deadline, LIMITS } from './deadline.ts';
import { scriptMode } from './mode.ts';
import { MAX_PAGE_SIZE } from '../query/spec.ts';

/** A short, stable, key-safe fingerprint of a text (SHA-256, web-safe base64). */
export function fingerprint(utilities: Pick<Utilities, 'computeDigest' | 'base64EncodeWebSafe' | 'DigestAlgorithm'>, text: string): string {
  return utilities.base64EncodeWebSafe(utilities.computeDigest(utilities.DigestAlgorithm.SHA_256, text)).replace(/=+$/, '').slice(0, 32);
}

export function clientFor(services: Services, connection: Connection, deadline: Deadline): ApiClient {
  return new ApiClient(services.UrlFetchApp, services.Utilities, connection, { mayWait: (ms) => deadline.allows(ms + 5_000) });
}

function documentProperties(services: Services): Properties {
  const properties = services.PropertiesService.getDocumentProperties();
  if (!properties) throw new Error('This add-on runs inside a spreadsheet; open it from Google Sheets.');
  return properties;
}

export function rangeStore(services: Services): RangeStore {
  return new RangeStore(documentProperties(services));
}

/**
 * ScriptProperties `activtrak.page_size`: rows per request for refreshes (100 to the API's
 * largest page, MAX_PAGE_SIZE), smaller for a slow network or a very wide view, so each
 * page fits the time budget.
 */
export function pageSize(services: Services): number | undefined {
  const raw = Number(services.PropertiesService.getScriptProperties().getProperty('activtrak.page_size'));
  return Number.isInteger(raw) && raw >= 100 && raw <= MAX_PAGE_SIZE ? raw : undefined;
}

/** Everything a refresh needs, for one execution (trigger, menu click or sidebar call). */
export function refreshContext(
  services: Services,
  options: { readonly deadline?: Deadline; readonly spreadsheet?: Spreadsheet; readonly toasts?: boolean } = {},
): RefreshContext {
  const now = () => Date.now();
  const deadline = options.deadline ?? new Deadline(now(), LIMITS.executionBudgetMs);
  const spreadsheet = options.spreadsheet ?? services.SpreadsheetApp.getActive();
  const connection = requireConnection(services.PropertiesService.getUserProperties());
  const size = pageSize(services);
  return {
    spreadsheet,
    client: clientFor(services, connection, deadline),
    store: rangeStore(services),
    utilities: services.Utilities,
    timeZone: spreadsheet.getSpreadsheetTimeZone(),
    deadline,
    fingerprint: (text) => fingerprint(services.Utilities, text),
    now,
    ...(size ? { pageSize: size } : {}),
    ...(options.toasts ? { progress: (message: string) => spreadsheet.toast(message, 'ActivTrak', 5) } : {}),
  };
}

/** The triggers of this spreadsheet and the rules they follow (add-on or bound script). */
export function scheduling(services: Services, spreadsheet: Spreadsheet = services.SpreadsheetApp.getActive()): Scheduling {
  return { scriptApp: services.ScriptApp, spreadsheet, mode: scriptMode(services.ScriptApp) };
}
