import { type PenaltyKind } from '@ecc/legal-domain';
import { type DocumentKind } from './case-file.types';

/** The three axes of the province's scoring (完整性、逻辑一致性、法律依据准确性). */
export type EvaluationAxis = 'completeness' | 'consistency' | 'legal_basis';

export interface LocalisedMessage {
  zh: string;
  en: string;
}

/**
 * A scoring rule as data. Completeness rules name the document and its fields, so a new required document
 * is a new row. Consistency and legal-basis rules name a built-in check by their `code`.
 */
export interface EvaluationRule {
  axis: EvaluationAxis;
  code: string;
  message: LocalisedMessage;
  /** Points deducted once when the rule fires, however many documents it finds at fault. */
  deduction: number;
  appliesTo: PenaltyKind[];
  document?: {
    kind: DocumentKind;
    /** Fields that must be filled: the document's own (`number`, `dated`, ...) or names in `fields`. */
    requiredFields: string[];
    /** Further fields required when the case decides a fine (the amount, how to pay). */
    fineFields?: string[];
    /**
     * Further fields required when the case is about one vehicle (its plate): not for a driver's or an
     * enterprise's case, whose trips may be of several vehicles (see `concernsOneVehicle`).
     */
    vehicleFields?: string[];
  };
}

export interface Finding {
  axis: EvaluationAxis;
  code: string;
  message: LocalisedMessage;
  deduction: number;
  /** The first document at fault, or null when the flaw is in the case itself (officers, dates). */
  documentRef: string | null;
  /** Every instance found, for the officer who fixes it. */
  details: string[];
}
