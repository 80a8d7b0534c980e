/**
 * Page and type of the printed documents. The transport enforcement document forms
 * (交通运输行政执法文书式样) are printed on A4 in the layout of the national standard for official documents,
 * GB/T 9704-2012 §5.2: top margin 37 mm, binding (left) margin 28 mm, a type area of 156 × 225 mm. Type
 * sizes in Chinese points (号): the authority and the document's name in 二号 (22 pt) bold Song, running
 * text in 四号 (14 pt) — the forms' size for narrative documents — cells of a form in 小四 (12 pt), remarks
 * in 五号 (10.5 pt), the footer in 小五 (9 pt). The standard's 仿宋 body face is replaced by Noto Serif SC
 * (a Song face), the only Chinese serif published as a package.
 */
export const MM = 72 / 25.4;

export const PAGE = {
  width: 210 * MM,
  height: 297 * MM,
  top: 37 * MM,
  left: 28 * MM,
  /** the type area */
  bodyWidth: 156 * MM,
  bodyHeight: 225 * MM,
} as const;

export const TYPE = {
  title: 22,
  number: 14,
  body: 14,
  /** line pitch of running text: 1.75 lines (GB/T 9704 sets 22 lines of 三号 in 225 mm; 26 of 四号 here) */
  bodyPitch: 14 * 1.75,
  cell: 12,
  cellPitch: 12 * 1.55,
  cellPadding: 4,
  remark: 10.5,
  remarkPitch: 10.5 * 1.6,
  footer: 9,
  /** the cover and catalogue of a case file */
  coverTitle: 26,
} as const;

/** Footer geometry (below the type area, in the bottom margin of 35 mm). */
export const FOOTER = {
  /** top of the page-number line */
  pageNumberY: PAGE.top + PAGE.bodyHeight + 8 * MM,
  /** the QR code's side; it sits at the right of the type area */
  qrSize: 16 * MM,
  qrY: PAGE.top + PAGE.bodyHeight + 6 * MM,
  lineWidth: 0.5,
  frameWidth: 1,
} as const;
