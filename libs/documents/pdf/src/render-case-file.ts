import { chineseDate, parseCaseFile, type CaseFile } from '@ecc/documents-domain';
import { DocumentLayout } from './document-layout';
import { documentFonts } from './fonts';
import { linesItem } from './items';
import { paginate, type Item } from './pagination';
import { PAGE, TYPE } from './page-style';
import { PdfTarget } from './pdf-target';
import {
  drawDocument,
  layOutDocument,
  sha256,
  type RenderOptions,
  type RenderedPdf,
} from './render-document';

/** A line of 卷内目录: where a document sits in the case file (pages counted from its first document). */
export interface CaseFileEntry {
  sequence: number;
  name: string;
  documentNumber: string;
  date: string;
  firstPage: number;
  lastPage: number;
}

export interface RenderedCaseFile extends RenderedPdf {
  entries: CaseFileEntry[];
}

/**
 * The whole case file as one PDF: 案卷封面, 卷内目录, then every document in the order given, each with its
 * own page numbers, verification code and QR code, and the case file's page number (卷内页码) in the upper
 * right corner of every document page, as archives number pages. The cover and catalogue are not
 * numbered; the catalogue's page ranges count from the first document.
 */
export async function renderCaseFile(
  input: CaseFile,
  options: RenderOptions = {},
): Promise<RenderedCaseFile> {
  const file = parseCaseFile(input);
  const fonts = documentFonts();
  const documents = file.documents.map((d) => layOutDocument(d, fonts, options));
  let page = 1;
  const entries = documents.map((d, i) => {
    const entry: CaseFileEntry = {
      sequence: i + 1,
      name: d.doc.name,
      documentNumber: d.verification.documentNumber,
      date: chineseDate(new Date(d.doc.createdAt), file.timeZone),
      firstPage: page,
      lastPage: page + d.pages.length - 1,
    };
    page += d.pages.length;
    return entry;
  });
  const layout = new DocumentLayout(fonts);
  const cover = paginate(coverItems(layout, file, entries, page - 1), PAGE.bodyHeight);
  const catalogue = paginate(catalogueItems(layout, file, entries), PAGE.bodyHeight);

  const target = new PdfTarget(fonts, {
    title: `${file.cover.authority} 行政处罚案卷 ${file.cover.caseNumber}`,
    author: file.cover.authority,
    subject: '案卷',
    keywords: file.cover.caseNumber,
    createdAt: new Date(file.createdAt),
  });
  for (const placed of [...cover, ...catalogue]) {
    target.addPage();
    for (const p of placed) p.item.draw(target, PAGE.left, PAGE.top + p.y);
  }
  documents.forEach((d, i) => drawDocument(target, d, (index) => String(entries[i]!.firstPage + index)));
  const pdf = await target.finish();
  return { pdf, sha256: sha256(pdf), pageCount: cover.length + catalogue.length + page - 1, entries };
}

function coverItems(layout: DocumentLayout, file: CaseFile, entries: CaseFileEntry[], pages: number): Item[] {
  const c = file.cover;
  const title = layout.style('bold', TYPE.title, TYPE.title * 1.6, 'center');
  const big = layout.style('bold', TYPE.coverTitle, TYPE.coverTitle * 2.5, 'center');
  return [
    linesItem(layout.lines(c.authority, title, layout.width), title, 0),
    linesItem(layout.lines('行 政 处 罚 案 卷', big, layout.width), big, TYPE.bodyPitch * 2),
    ...layout.fields(
      [
        [{ label: '案号', value: c.caseNumber }],
        [{ label: '案由', value: c.caseCause }],
        [{ label: '当事人', value: c.party }],
        [
          { label: '立案日期', value: c.filedOn },
          { label: '结案日期', value: c.closedOn ?? '' },
        ],
        [{ label: '承办人', value: c.handlers ?? '' }],
        // Only when the party sought a remedy: a file without one prints as before.
        ...(c.remedies?.length ? [[{ label: '复议诉讼', value: c.remedies.join('；') }]] : []),
        [
          { label: '归档日期', value: c.archivedOn ?? '' },
          { label: '保管期限', value: c.retention ?? '' },
        ],
        [{ label: '卷内文件', value: `${entries.length} 件，共 ${pages} 页` }],
      ],
      5,
      TYPE.bodyPitch * 3,
    ),
  ];
}

function catalogueItems(layout: DocumentLayout, file: CaseFile, entries: CaseFileEntry[]): Item[] {
  const title = layout.style('bold', TYPE.title, TYPE.title * 1.6, 'center');
  const pages = (e: CaseFileEntry) =>
    e.firstPage === e.lastPage ? String(e.firstPage) : `${e.firstPage}-${e.lastPage}`;
  return [
    linesItem(layout.lines('卷 内 目 录', title, layout.width), title, 0),
    layout.paragraph(`案号：${file.cover.caseNumber}`, { indent: false, align: 'right' }),
    ...layout.table(
      [
        { title: '序号', width: 6 },
        { title: '文书名称', width: 22 },
        { title: '文书编号', width: 40 },
        { title: '日期', width: 22 },
        { title: '页码', width: 10 },
      ],
      entries.map((e) => [String(e.sequence), e.name, e.documentNumber, e.date, pages(e)]),
      TYPE.bodyPitch * 0.5,
    ),
  ];
}
