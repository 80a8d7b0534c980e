import { createUserSchema } from './user.schema';

const officer = {
  username: 'wang.wei',
  password: 'correct horse battery',
  displayName: '王伟',
  roles: ['officer'],
  enforcementCertificateNo: 'HN-0431-0012',
};

describe('creating a user', () => {
  it('accepts an officer with an enforcement certificate', () => {
    expect(createUserSchema.parse(officer).roles).toEqual(['officer']);
  });

  it('refuses an officer without a certificate, naming the field and the article', () => {
    const result = createUserSchema.safeParse({ ...officer, enforcementCertificateNo: undefined });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({
        path: ['enforcementCertificateNo'],
        message: expect.stringContaining('Art. 42'),
      }),
    ]);
  });

  it('refuses a legal reviewer without a legal qualification number', () => {
    const result = createUserSchema.safeParse({ ...officer, roles: ['legal_reviewer'] });
    expect(result.error!.issues[0]!.path).toEqual(['legalQualificationNo']);
  });

  it.each([
    ['unknown key', { ...officer, isAdmin: true }],
    ['short password', { ...officer, password: 'short' }],
    ['upper-case username', { ...officer, username: 'Wang' }],
    ['no roles', { ...officer, roles: [] }],
    ['unknown role', { ...officer, roles: ['sheriff'] }],
    ['repeated role', { ...officer, roles: ['officer', 'officer'] }],
  ])('rejects %s', (_name, body) => {
    expect(createUserSchema.safeParse(body).success).toBe(false);
  });
});
