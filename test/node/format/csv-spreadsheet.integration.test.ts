// The CSV encoder against what a spreadsheet does with the file: a field with a separator stays
// one cell, and no cell (whatever separator the import splits on) is read as a formula.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENCODERS } from '../../../worker/format/encoders.ts';
import type { OutputColumn } from '../../../worker/query/model.ts';

const COLUMNS: OutputColumn[] = [
  { name: 'id', type: 'INT64' },
  { name: 'note', type: 'STRING' },
];
/** Text a monitored user could type, each a formula in some cell once a spreadsheet splits it. */
const TEXTS = ['Budget Q4;=2+5', 'a,=1+1', 'x\t@SUM(1)', 'tab\tonly', 'semi;colon', '=3+4', '-2+3', 'plain'];

function csv(texts: readonly string[]): string {
  const csvEncoder = ENCODERS.csv;
  return (
    csvEncoder.head(COLUMNS, 'v') +
    texts.map((t, i) => csvEncoder.row([String(i + 1), t], COLUMNS, i)).join('') +
    csvEncoder.tail({ view: 'v', next: null, nextCursor: null, rowCount: texts.length })
  );
}

/** Splits the way a careless importer does: on the separator, ignoring quotes. */
const naiveCells = (file: string, separator: string) =>
  file
    .split(/\r\n|\r|\n/)
    .flatMap((line) => line.split(separator))
    .map((cell) => cell.replace(/^"+/, ''));

describe('the csv encoder', () => {
  it('quotes every field holding a comma, semicolon, tab, quote or line break', () => {
    const lines = csv(TEXTS).split('\r\n');
    expect(lines[1]).toBe(`1,"Budget Q4;'=2+5"`);
    expect(lines[2]).toBe(`2,"a,'=1+1"`);
    expect(lines[3]).toBe(`3,"x\t'@SUM(1)"`);
    expect(lines[4]).toBe(`4,"tab\tonly"`);
    expect(lines[5]).toBe(`5,"semi;colon"`);
    expect(lines[6]).toBe(`6,'=3+4`);
    expect(lines[8]).toBe('8,plain');
  });

  it.each([',', ';', '\t', '|'])('leaves no cell starting with a formula trigger when split on %j, even ignoring quotes', (separator) => {
    const offending = naiveCells(csv(TEXTS), separator).filter((cell) => /^[=+\-@]/.test(cell));
    expect(offending).toEqual([]);
  });
});

// Calc itself, headless: the file imported with ';' as the only separator (as a semicolon-list
// locale opens it), then written back out as values. A formula that ran shows as its result.
const soffice = ['soffice', 'libreoffice'].find((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0);
const dir = mkdtempSync(join(tmpdir(), 'csv-calc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(soffice === undefined)('LibreOffice Calc opening the file with a ; separator', () => {
  it('keeps each field in one cell and evaluates none of them', () => {
    const input = join(dir, 'export.csv');
    writeFileSync(input, csv(TEXTS));
    // CSV filter options: separator 59 (;), text delimiter 34 ("), charset 76 (UTF-8), from line 1.
    const run = spawnSync(
      soffice!,
      [
        // A profile of its own, so a Calc the user has open (or another run) is not joined.
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--infilter=CSV:59,34,76,1',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):9,34,76,1',
        '--outdir',
        join(dir, 'out'),
        input,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'out', 'export.csv'), 'utf8')
      .trimEnd()
      .split(/\r?\n/)
      .map((line) => line.split('\t'));
    // A formula that ran would be written out as its result, a bare number (=2+5 as 7); as
    // text, every payload is still there, apostrophe and all.
    const cells = rows.flat();
    expect(cells.filter((cell) => /^-?\d+(\.\d+)?$/.test(cell))).toEqual([]);
    for (const payload of ['=2+5', '=1+1', '@SUM(1)', '=3+4']) expect(cells.some((cell) => cell.includes(`'${payload}`))).toBe(true);
  });
});

if (soffice === undefined) {
  describe('LibreOffice Calc', () => {
    it.skip('is not installed (command -v soffice libreoffice finds neither), so the import through Calc is not run; the encoder tests above still run', () => {});
  });
}
