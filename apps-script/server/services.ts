import type { Services } from '../types/apps-script.ts';

/**
 * The Apps Script services, read from the globals once per call at the edge; everything
 * below takes them as a parameter so it runs in Node against stand-ins.
 */
export function appsScriptServices(): Services {
  const g = globalThis as unknown as Services;
  return {
    SpreadsheetApp: g.SpreadsheetApp,
    UrlFetchApp: g.UrlFetchApp,
    PropertiesService: g.PropertiesService,
    CacheService: g.CacheService,
    ScriptApp: g.ScriptApp,
    HtmlService: g.HtmlService,
    Utilities: g.Utilities,
    Session: g.Session,
    LockService: g.LockService,
  };
}
