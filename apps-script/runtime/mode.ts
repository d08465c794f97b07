import type { ScriptApp } from '../types/apps-script.ts';

/** How this code runs: published as an Editor add-on, or bound to one spreadsheet. */
export type ScriptMode = 'addon' | 'bound';

/**
 * Which rules apply. ScriptApp.getInstallationSource() is the documented signal: NONE means
 * "Script is not running as an add-on" (a bound script, or one run from the editor), any
 * other value is an add-on installed from the Marketplace or by a domain administrator
 * (https://developers.google.com/apps-script/reference/script/installation-source).
 * onOpen's AuthMode.NONE only ever reaches an add-on not yet used in this document (a bound
 * script's onOpen runs in LIMITED), so it settles the question without another call
 * (https://developers.google.com/workspace/add-ons/concepts/editor-auth-lifecycle#authorization_modes).
 * When the platform will not say, the add-on's stricter rules are assumed: they hold for a
 * bound script too (one timer per document, menus under Extensions).
 */
export function scriptMode(
  scriptApp: Pick<ScriptApp, 'getInstallationSource' | 'InstallationSource' | 'AuthMode'>,
  authMode?: unknown,
): ScriptMode {
  try {
    if (authMode !== undefined && authMode === scriptApp.AuthMode.NONE) return 'addon';
    return scriptApp.getInstallationSource() === scriptApp.InstallationSource.NONE ? 'bound' : 'addon';
  } catch {
    return 'addon';
  }
}
