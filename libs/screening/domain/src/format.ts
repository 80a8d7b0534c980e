/**
 * Small helpers on the screening hot path (thousands of detections a second). `toLocaleString` builds an
 * Intl formatter on every call, which dominated the cost of a screening.
 */

/** 58200 → "58,200". */
export const kg = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The local date of an instant (the kernel keeps one formatter per zone). */
export { localDate as dayOf } from '@ecc/shared-kernel';
