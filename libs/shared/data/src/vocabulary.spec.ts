import {
  assertType,
  EVIDENCE_KINDS,
  PLATE_COLOURS,
  valuesOf,
  type Equal,
  type EvidenceKind as DomainEvidenceKind,
  type PlateColour as DomainPlateColour,
} from '@ecc/shared-kernel';
import { EvidenceKind, PlateColour } from './generated/prisma/client';

/** One vocabulary (issue 12): each enum of the schema is its domain definition, value for value. */
describe('the schema enums of the shared kernel’s vocabularies', () => {
  it('plate_colour is PLATE_COLOURS', () => {
    assertType<Equal<PlateColour, DomainPlateColour>>(true);
    expect(valuesOf(PlateColour)).toEqual(valuesOf(PLATE_COLOURS));
  });

  it('evidence_kind is EVIDENCE_KINDS (the station protocol’s kinds and a document scan)', () => {
    assertType<Equal<EvidenceKind, DomainEvidenceKind>>(true);
    expect(valuesOf(EvidenceKind)).toEqual(valuesOf(EVIDENCE_KINDS));
  });
});
