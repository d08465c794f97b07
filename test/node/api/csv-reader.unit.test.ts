// Unit: the RFC 4180 reader the API suite checks CSV exports with is itself strict and right.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../worker/api/support/csv.ts';

describe('parseCsv (test support)', () => {
  it.each([
    [
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['a\r\n\r\n', [['a'], ['']]],
    ['"x,y","say ""hi""",z\r\n', [['x,y', 'say "hi"', 'z']]],
    ['"line\r\nbreak","lf\nonly","cr\ronly"\r\n', [['line\r\nbreak', 'lf\nonly', 'cr\ronly']]],
    [',,\r\n', [['', '', '']]],
    ['""\r\n', [['']]],
    ["'=1+1,-5\r\n", [["'=1+1", '-5']]],
  ])('reads %j', (text, records) => {
    expect(parseCsv(text)).toEqual(records);
  });

  it.each([
    ['a,b\n1,2\n', /bare LF/],
    ['a\rb\r\n', /bare CR/],
    ['a"b\r\n', /quote inside an unquoted field/],
    ['"ab"c\r\n', /text after a closing quote/],
    ['"open\r\n', /unterminated/],
  ])('rejects %j', (text, error) => {
    expect(() => parseCsv(text)).toThrow(error);
  });
});
