/**
 * Every function Apps Script calls by name, and nothing else: custom functions, simple
 * triggers, menu items, time-driven triggers and google.script.run callbacks. The build
 * (apps-script/build.ts) declares one top-level function per export, because Sheets only
 * sees top-level functions; the sidebar's client is typed from this module.
 */
import { activtrak, activtrakColumns, activtrakViews } from '../functions/custom-functions.ts';
import type { InsertRequest, InsertResult } from '../refresh/insert.ts';
import { scriptMode } from '../runtime/mode.ts';
import type { CellValue, OpenEvent, TimeDrivenEvent } from '../types/apps-script.ts';
import { addMenu, continueRefresh, refreshNow, scheduledRefresh, showSidebar } from '../ui/menu.ts';
import * as sidebar from '../ui/sidebar.ts';
import { appsScriptServices as services } from './services.ts';

// --- Custom functions (help text: functions/catalog.ts) --------------------------------

export function ACTIVTRAK(
  view: unknown,
  columns?: unknown,
  from?: unknown,
  to?: unknown,
  filters?: unknown,
  options?: unknown,
): CellValue[][] {
  return activtrak(services(), { view, columns, from, to, filters, options });
}

export function ACTIVTRAK_VIEWS(): CellValue[][] {
  return activtrakViews(services());
}

export function ACTIVTRAK_COLUMNS(view: unknown): CellValue[][] {
  return activtrakColumns(services(), view);
}

// --- Simple triggers -------------------------------------------------------------------

export function onOpen(event?: OpenEvent): void {
  const s = services();
  addMenu(s.SpreadsheetApp.getUi(), scriptMode(s.ScriptApp, event?.authMode));
}

export function onInstall(event?: OpenEvent): void {
  onOpen(event);
}

// --- Menu items ------------------------------------------------------------------------

export function activtrakShowConnect(): void {
  showSidebar(services(), 'connect');
}

export function activtrakShowInsert(): void {
  showSidebar(services(), 'insert');
}

export function activtrakShowSchedules(): void {
  showSidebar(services(), 'schedules');
}

export function activtrakRefreshNow(): string {
  return refreshNow(services());
}

// --- Time-driven triggers (refresh/scheduler.ts names them) ----------------------------

export function activtrakScheduledRefresh(event?: TimeDrivenEvent): void {
  scheduledRefresh(services(), event);
}

export function activtrakContinueRefresh(event?: TimeDrivenEvent): void {
  continueRefresh(services(), event);
}

// --- Sidebar (google.script.run) -------------------------------------------------------

export function sidebarState(): sidebar.SidebarState {
  return sidebar.sidebarState(services());
}

export function sidebarConnect(url: string, key: string): sidebar.SidebarState {
  return sidebar.sidebarConnect(services(), url, key);
}

export function sidebarDisconnect(): sidebar.SidebarState {
  return sidebar.sidebarDisconnect(services());
}

export function sidebarColumns(view: string): ReturnType<typeof sidebar.sidebarColumns> {
  return sidebar.sidebarColumns(services(), view);
}

export function sidebarPreview(request: InsertRequest): sidebar.PreviewResult {
  return sidebar.sidebarPreview(services(), request);
}

export function sidebarInsert(request: InsertRequest): InsertResult {
  return sidebar.sidebarInsert(services(), request);
}

export function sidebarRanges(): sidebar.RangeInfo[] {
  return sidebar.sidebarRanges(services());
}

export function sidebarUpdateRange(id: string, settings: sidebar.RangeSettings): sidebar.RangeInfo[] {
  return sidebar.sidebarUpdateRange(services(), id, settings);
}

export function sidebarRemoveRange(id: string): sidebar.RangeInfo[] {
  return sidebar.sidebarRemoveRange(services(), id);
}

export function sidebarRefreshRange(id: string): sidebar.RangeInfo[] {
  return sidebar.sidebarRefreshRange(services(), id);
}

export function sidebarContinue(): sidebar.ContinueResult {
  return sidebar.sidebarContinue(services());
}
