import { DEVICE_KINDS } from '@ecc/registry-domain';
import { DeviceKind } from '@ecc/shared-data';
import { assertType, valuesOf, type Equal } from '@ecc/shared-kernel';

/** One vocabulary (issue 12): the schema's device_kind is the registry's DEVICE_KINDS. */
describe('the schema enum of the registry', () => {
  it('device_kind is DEVICE_KINDS', () => {
    assertType<Equal<DeviceKind, (typeof DEVICE_KINDS)[number]>>(true);
    expect(valuesOf(DeviceKind)).toEqual(valuesOf(DEVICE_KINDS));
  });
});
