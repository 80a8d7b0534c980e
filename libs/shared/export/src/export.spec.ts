import ExcelJS from 'exceljs';
import { csvField, csvStream, UTF8_BOM } from './csv';
import { neutralise } from './neutralise';
import type { ExportTable } from './table';
import { attachmentDisposition } from './table';
import { sheetName, xlsxStream } from './xlsx';

interface Row {
  text: string;
  count: number;
  amount: string;
  day: string;
  at: Date;
}

async function* pages(...list: Row[][]): AsyncGenerator<Row[]> {
  for (const page of list) yield page;
}

const table = (list: Row[][]): ExportTable<Row> => ({
  title: '清单',
  columns: [
    { header: '文字', type: 'text', value: (r) => r.text },
    { header: '数量', type: 'integer', value: (r) => r.count },
    { header: '金额(元)', type: 'money', value: (r) => r.amount },
    { header: '日期', type: 'date', value: (r) => r.day },
    { header: '时间', type: 'datetime', value: (r) => r.at },
  ],
  pages: pages(...list),
});

const rows: Row[] = [
  {
    text: '=HYPERLINK("http://x")',
    count: 3,
    amount: '2000.50',
    day: '2025-03-01',
    at: new Date('2025-02-28T16:00:00Z'),
  },
  {
    text: '张三, "李四"\n王五',
    count: 0,
    amount: '0',
    day: '2025-03-31',
    at: new Date('2025-03-31T15:59:59Z'),
  },
  { text: '-1+2', count: 12, amount: '12345678.9', day: '2025-12-31', at: new Date('2025-06-30T04:00:00Z') },
];
const options = { timeZone: 'Asia/Shanghai' };

const read = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

describe('formula injection', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises %j with an apostrophe', (text) => {
    expect(neutralise(text)).toBe(`'${text}`);
  });
  it.each(['湘F12345', '1+1', "'=1", ''])('leaves %j as it is', (text) => {
    expect(neutralise(text)).toBe(text);
  });
});

describe('CSV', () => {
  it('quotes a field only when it holds a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  it('writes a BOM, the headers, every page, local times and neutralised text', async () => {
    const text = (await read(csvStream(table([rows.slice(0, 2), rows.slice(2)]), options))).toString('utf8');
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      '文字,数量,金额(元),日期,时间',
      `"'=HYPERLINK(""http://x"")",3,2000.50,2025-03-01,2025-03-01 00:00:00`,
      '"张三, ""李四""\n王五",0,0.00,2025-03-31,2025-03-31 23:59:59',
      "'-1+2,12,12345678.90,2025-12-31,2025-06-30 12:00:00",
      '',
    ]);
  });
});

describe('XLSX', () => {
  it('opens back with the same numbers, real dates in local time, number formats and neutralised text', async () => {
    const bytes = await read(xlsxStream([table([rows.slice(0, 1), rows.slice(1)])], options));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('清单');
    expect(sheet.getRow(1).values).toEqual([undefined, '文字', '数量', '金额(元)', '日期', '时间']);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(`'=HYPERLINK("http://x")`);
    expect(first.getCell(2).value).toBe(3);
    expect(first.getCell(3).value).toBe(2000.5);
    expect(first.getCell(3).numFmt).toBe('#,##0.00');
    expect(first.getCell(4).value).toEqual(new Date('2025-03-01T00:00:00Z'));
    expect(first.getCell(4).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(5).value).toEqual(new Date('2025-03-01T00:00:00Z'));
    expect(first.getCell(5).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.getRow(3).getCell(1).value).toBe('张三, "李四"\n王五');
    expect(sheet.getRow(4).getCell(3).value).toBe(12345678.9);
    expect(sheet.rowCount).toBe(4);
  });

  it('writes one sheet per table with names Excel accepts', async () => {
    const other: ExportTable<Row> = { ...table([rows]), title: 'a/b:c*d?[e]f' + 'x'.repeat(40) };
    const bytes = await read(xlsxStream([table([rows]), other], options));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['清单', sheetName(other.title)]);
    expect(sheetName(other.title)).toHaveLength(31);
  });

  it('fails the stream when a page cannot be read (no truncated file passes for a whole one)', async () => {
    async function* broken(): AsyncGenerator<Row[]> {
      yield rows;
      throw new Error('connection lost');
    }
    await expect(read(xlsxStream([{ ...table([]), pages: broken() }], options))).rejects.toThrow(
      'connection lost',
    );
  });
});

describe('download name', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('统计_2025', 'xlsx')).toBe(
      `attachment; filename="___2025.xlsx"; filename*=UTF-8''%E7%BB%9F%E8%AE%A1_2025.xlsx`,
    );
  });
});
