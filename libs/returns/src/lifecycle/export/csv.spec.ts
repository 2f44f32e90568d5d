import { toCsv } from './csv.js';
import type { ExportTable } from './export-document.js';

const table = (rows: ExportTable['rows']): ExportTable => ({
  key: 'metadata',
  sheet: 'M',
  file: 'm.csv',
  header: ['field', 'value'],
  rows,
});

describe('toCsv', () => {
  it.each<[string, ExportTable['rows'][number], string]>([
    ['numbers and booleans as written', ['n', 12.5], 'n,12.5'],
    ['null as an empty field', ['n', null], 'n,'],
    ['a comma, quoted', ['n', 'Dyfed, Powys'], 'n,"Dyfed, Powys"'],
    ['quotes doubled', ['n', 'the "AVI"'], 'n,"the ""AVI"""'],
    ['a line break, quoted', ['n', 'a\nb'], 'n,"a\nb"'],
    ['a formula neutralised', ['n', '=HYPERLINK("x")'], `n,"'=HYPERLINK(""x"")"`],
    ['a leading minus in text neutralised', ['n', '-1+2'], "n,'-1+2"],
    ['a negative number kept as a number', ['n', -1], 'n,-1'],
  ])('writes %s', (_, row, line) => {
    expect(toCsv(table([row]))).toBe(`field,value\r\n${line}\r\n`);
  });
});
