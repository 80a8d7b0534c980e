/**
 * `true` exactly when A and B are the same type (not merely assignable one way): the vocabulary specs
 * compare each Prisma enum with its domain definition with it, so that a value added on one side only
 * fails the type check (`npm run lint`) as well as the spec.
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** A compile-time assertion: `assertType<Equal<A, B>>(true)` does not compile unless A and B are equal. */
export function assertType<T extends true>(value: T): T {
  return value;
}

/** The values of a Prisma enum object (or any string list), sorted, to compare with a domain list. */
export const valuesOf = (vocabulary: Readonly<Record<string, string>> | readonly string[]): string[] =>
  [...(Array.isArray(vocabulary) ? vocabulary : Object.values(vocabulary))].sort();
