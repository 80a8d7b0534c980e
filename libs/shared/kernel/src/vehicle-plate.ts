/**
 * The plate vocabulary every context shares: the station protocol's `plate.color`, the registry's vehicles and
 * permits, screening's checks and the leads. One definition, the values of the Prisma enum `plate_colour`.
 */

/** 号牌颜色 (GA 36-2018 《中华人民共和国机动车号牌》): 蓝、黄、绿（新能源小型车）、黄绿（新能源大型车）、白、黑. */
export const PLATE_COLOURS = ['blue', 'yellow', 'green', 'yellow_green', 'white', 'black'] as const;
export type PlateColour = (typeof PLATE_COLOURS)[number];

/** Plate numbers compared as written on the licence: no spaces or separators, upper case. */
export function normalisePlate(number: string): string {
  return number.replace(/[\s·•.-]/g, '').toUpperCase();
}

/**
 * A readable Chinese plate number (province, issuing-authority letter, serial; 8 characters for 新能源): the
 * default of the screening policy's `platePattern` and the registry's import check.
 */
export const DEFAULT_PLATE_PATTERN =
  '^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[A-HJ-NP-Z0-9]{6})$';
