import { describe, expect, it } from 'vitest';
import { app } from '../../../zapier/src/app.ts';
import { CHECKS, runChecks, type CheckedApp, type CheckedOperation } from '../../../zapier/src/checks.ts';

// The app from source: the checks read plain data, so no build is needed to test them.
const source = app as unknown as CheckedApp;

/** The app with one trigger replaced (or removed, with `undefined`). */
function withTrigger(key: string, trigger: CheckedOperation | undefined): CheckedApp {
  const triggers = { ...source.triggers };
  if (trigger === undefined) delete triggers[key];
  else triggers[key] = trigger;
  return { ...source, triggers };
}

const events = source.triggers!.new_events!;
const op = events.operation!;

describe('named checks on the app definition', () => {
  it('all pass on the app', () => {
    expect(runChecks(source)).toEqual([]);
    for (const [name, check] of Object.entries(CHECKS)) expect(check(source), name).toEqual([]);
  });

  it('everyOperationIsDescribed names what an operation lacks', () => {
    const broken = withTrigger('new_events', {
      ...events,
      noun: '',
      display: { label: 'New Events Row' },
      operation: { ...op, sample: {} },
    });
    expect(CHECKS.everyOperationIsDescribed(broken)).toEqual(['trigger new_events lacks a noun, a display description, a sample']);
    expect(CHECKS.everyOperationIsDescribed(withTrigger('new_events', { ...events, key: 'other' }))).toEqual([
      'trigger new_events lacks a key equal to its name',
    ]);
  });

  it('labelsAreUnique finds two triggers a user could not tell apart', () => {
    const clash = withTrigger('new_events_instant', { ...source.triggers!.new_events_instant!, display: events.display! });
    expect(CHECKS.labelsAreUnique(clash)).toEqual(['new_events and new_events_instant share the label "New Events Row"']);
  });

  it('operationsCoverTheViews finds a missing trigger and one for a view without a change column', () => {
    expect(CHECKS.operationsCoverTheViews(withTrigger('new_events_instant', undefined))).toEqual(['trigger new_events_instant is missing']);
    expect(CHECKS.operationsCoverTheViews(withTrigger('new_users', events))).toEqual([
      'trigger new_users matches no view that can have one',
    ]);
  });

  it('hooksAreComplete finds an instant trigger that cannot be unsubscribed', () => {
    const instant = source.triggers!.new_events_instant!;
    const broken = withTrigger('new_events_instant', { ...instant, operation: { ...instant.operation, performUnsubscribe: undefined } });
    expect(CHECKS.hooksAreComplete(broken)).toEqual(['hook trigger new_events_instant has no performUnsubscribe']);
  });

  it('samplesMatchOutputFields finds a missing value, a value of the wrong type and an unlisted key', () => {
    const sample = { ...op.sample!, duration_sec: '12', extra: 1 } as Record<string, unknown>;
    delete sample.user_name;
    const problems = CHECKS.samplesMatchOutputFields(withTrigger('new_events', { ...events, operation: { ...op, sample } }));
    expect(problems).toEqual([
      'trigger new_events: sample duration_sec = "12" is not of type integer',
      'trigger new_events: the sample has no user_name',
      "trigger new_events: the sample's extra is not an output field",
    ]);
  });

  it('samplesMatchOutputFields reads nested record fields by their __ keys', () => {
    expect(CHECKS.samplesMatchOutputFields({ searches: { find_users: source.searches!.find_users! } })).toEqual([]);
  });

  it('outputFieldsAreTheColumns finds output fields that drifted from the definition', () => {
    const fields = op.outputFields!.slice(0, -1);
    expect(CHECKS.outputFieldsAreTheColumns(withTrigger('new_events', { ...events, operation: { ...op, outputFields: fields } }))).toEqual([
      'trigger new_events: output fields are not id and the events columns in definition order',
    ]);
  });
});
