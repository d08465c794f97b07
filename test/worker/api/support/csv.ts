/**
 * A strict RFC 4180 reader, written for the tests so the CSV encoder is checked against the
 * standard rather than against itself: records end in CRLF, a field is either bare (no
 * quote, comma, CR or LF) or wholly quoted with `""` for a quote inside. Anything else is a
 * thrown error naming the offset, so a sloppy encoder fails loudly instead of parsing "close
 * enough". Runs in Node and workerd (test/node/api/csv-reader.unit.test.ts checks the reader).
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`invalid CSV at offset ${i}: ${why} (near ${JSON.stringify(text.slice(Math.max(0, i - 10), i + 10))})`);
  };
  if (text === '') return records;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote inside an unquoted field');
        field += text[i];
        i++;
      }
    }
    record.push(field);
    if (i >= text.length) {
      records.push(record);
      return records;
    }
    const ch = text[i]!;
    if (ch === ',') {
      i++;
      continue;
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      if (i >= text.length) return records;
      continue;
    }
    fail(ch === '\n' ? 'bare LF; records end in CRLF' : ch === '\r' ? 'bare CR outside quotes' : 'text after a closing quote');
  }
}
