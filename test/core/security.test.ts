import { SecurityDefaults } from '../../src';

describe('SecurityDefaults', () => {
  test('defaults', () => {
    expect({ pod: SecurityDefaults.restrictedPod(), container: SecurityDefaults.restrictedContainer() }).toMatchSnapshot();
  });

  test('restricted Pod Security Standard fields', () => {
    const container = SecurityDefaults.restrictedContainer({ runAsUser: 185 });
    expect(container).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 185,
      runAsGroup: 185,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.capabilities?.add).toBeUndefined();
    expect(SecurityDefaults.restrictedPod({ runAsUser: 185 })).toEqual({
      runAsNonRoot: true,
      runAsUser: 185,
      runAsGroup: 185,
      fsGroup: 185,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('overridable within the standard', () => {
    const container = SecurityDefaults.restrictedContainer({
      runAsUser: 1000, runAsGroup: 2000, readOnlyRootFilesystem: false, addCapabilities: ['NET_BIND_SERVICE'],
    });
    expect(container.runAsGroup).toBe(2000);
    expect(container.readOnlyRootFilesystem).toBe(false);
    expect(container.capabilities?.add).toEqual(['NET_BIND_SERVICE']);
    expect(SecurityDefaults.restrictedPod({ runAsUser: 1000, fsGroup: 3000 }).fsGroup).toBe(3000);
  });

  test.each([
    [{ runAsUser: 0 }, 'invalid runAsUser 0'],
    [{ runAsGroup: -1 }, 'invalid runAsGroup -1'],
    [{ fsGroup: 1.5 }, 'invalid fsGroup 1.5'],
    [{ addCapabilities: ['NET_ADMIN'] }, 'invalid addCapabilities "NET_ADMIN": only NET_BIND_SERVICE'],
  ])('rejects %j', (options, message) => {
    expect(() => SecurityDefaults.restrictedContainer(options)).toThrow(`SecurityDefaults: ${message}`);
    expect(() => SecurityDefaults.restrictedPod(options)).toThrow(message);
  });
});
