import { DomainError } from '@ecc/shared-kernel';

/** `{name}` placeholders; names are ASCII identifiers so Chinese braces in the text never clash. */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Fills a template. A placeholder without a value is refused rather than left in the text: a notice
 * with `{respondBy}` in it would tell the party nothing.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const missing = placeholdersOf(template).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new DomainError(
      'rule_violation',
      'template_variable_missing',
      `the template uses ${missing.map((m) => `{${m}}`).join(', ')} but no value was given`,
      { missing },
    );
  }
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] as string);
}

/** SMS length as the carriers count it for UCS-2 texts: one per UTF-16 code unit is close enough; we count code points. */
export function smsLength(text: string): number {
  return [...text].length;
}
