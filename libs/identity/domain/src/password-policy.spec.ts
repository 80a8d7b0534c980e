import { passwordProblem } from './password-policy';
import { createUserSchema } from './user.schema';

describe('password policy', () => {
  it.each([
    ['a listed password', 'qwerty123456'],
    ['a listed password in capitals', 'QWERTY123456'],
    ['a common word with digits and symbols around it', 'password2024!!'],
    ['letter-for-symbol substitutions', 'P@ssw0rd12345'],
    ['a common password repeated', 'iloveyouiloveyou'],
    ['one common here', 'Woaini1314!!'],
  ])('refuses %s', (_what, password) => {
    expect(passwordProblem(password, 'wang.wei')).toBe('common');
  });

  it('refuses a password containing the username, in any case or reversed', () => {
    expect(passwordProblem('my-Wang.Wei-secret', 'wang.wei')).toBe('contains_username');
    expect(passwordProblem('xx-iew.gnaw-secret', 'wang.wei')).toBe('contains_username');
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('correct horse battery staple', 'wang.wei')).toBeNull();
    expect(passwordProblem('湘F12345-超限检测-口令', 'wang.wei')).toBeNull();
  });

  it('is applied when a user is created, naming the field', () => {
    const result = createUserSchema.safeParse({
      username: 'li.na',
      password: 'li.na-is-my-name',
      displayName: '李娜',
      roles: ['auditor'],
    });
    expect(result.error!.issues).toEqual([
      expect.objectContaining({ path: ['password'], message: 'must not contain the username' }),
    ]);
  });
});
