/**
 * Names as Zapier users read them, derived from the definitions' snake_case names so a new
 * view or column needs no hand-written label.
 */
import { PLAN_LABELS, type Plan } from '../../shared/plans.ts';

/** Words that read as initialisms; everything else is capitalised. */
const INITIALISMS: Readonly<Record<string, string>> = {
  id: 'ID',
  ids: 'IDs',
  uid: 'UID',
  utc: 'UTC',
  url: 'URL',
  etl: 'ETL',
  ip: 'IP',
  os: 'OS',
};

/**
 * A column or view name as a label; a record field keeps its record's name in front.
 * @example humanise('productive_active_duration_seconds') // 'Productive Active Duration Seconds'
 * humanise('agents.agent_id') // 'Agents: Agent ID'
 */
export function humanise(name: string): string {
  return name
    .split('.')
    .map((part) =>
      part
        .split('_')
        .filter((word) => word !== '')
        .map((word) => INITIALISMS[word] ?? word[0]!.toUpperCase() + word.slice(1))
        .join(' '),
    )
    .join(': ');
}

/** "Professional": the plan name a user sees in ActivTrak today. */
export function planLabel(plan: Plan): string {
  return PLAN_LABELS[plan].label;
}

/**
 * Cuts text to at most `max` characters at a word boundary, with an ellipsis, because Zapier
 * rejects a description or help text over its limit at push time.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
