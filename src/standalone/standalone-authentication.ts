import { ISecret } from 'cdk8s-plus-28';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { secretKey, secretRef } from '../core/validate';


/** Options of {@link StandaloneAuthentication.sharedSecret}. */
export interface StandaloneAuthenticationOptions {
  /**
   * A Secret you own, in the cluster's namespace, holding the shared secret
   * every master, worker, executor and driver of the cluster proves it knows.
   * It reaches the pods only as an environment variable from a `secretKeyRef`.
   */
  readonly secret: ISecret;

  /**
   * The key of the shared secret in the Secret.
   * @default 'secret'
   */
  readonly key?: string;

  /**
   * Encrypt RPC and block-transfer traffic (`spark.network.crypto.enabled`,
   * AES keyed from the shared secret). Shuffle data and task results then
   * cross the pod network encrypted.
   * @default true
   */
  readonly networkEncryption?: boolean;
}

/**
 * Authentication of the cluster's RPC connections, a required choice: a
 * shared secret from a Secret you own ({@link StandaloneAuthentication.sharedSecret}),
 * or the explicit {@link StandaloneAuthentication.none}.
 */
export class StandaloneAuthentication {
  /**
   * Every master, worker, executor and driver proves it knows the shared
   * secret (`spark.authenticate`), and RPC traffic is encrypted by default.
   */
  public static sharedSecret(options: StandaloneAuthenticationOptions): StandaloneAuthentication {
    const where = 'StandaloneAuthentication.sharedSecret';
    secretRef(where, 'secret', options?.secret);
    const key = options.key ?? 'secret';
    secretKey(where, 'key', key);
    const encryption = options.networkEncryption ?? true;
    check(typeof encryption === 'boolean', where, 'networkEncryption', encryption, 'true or false');
    return new StandaloneAuthentication(options.secret, key, encryption);
  }

  /**
   * No RPC authentication: anyone who reaches the master's port can then run
   * code on the workers. Only for throw-away clusters.
   */
  public static none(): StandaloneAuthentication {
    return new StandaloneAuthentication(undefined, undefined, false);
  }

  /** True when `x` is a {@link StandaloneAuthentication} (also from another copy of the library). */
  public static isStandaloneAuthentication(x: any): x is StandaloneAuthentication {
    return isBranded(x, 'StandaloneAuthentication');
  }

  /** True when RPC is authenticated. */
  public readonly enabled: boolean;
  /** The Secret holding the shared secret, when authenticated. */
  public readonly secret?: ISecret;
  /** The key of the shared secret in `secret`, when authenticated. */
  public readonly key?: string;
  /** True when RPC and block-transfer traffic is encrypted. */
  public readonly networkEncryption: boolean;

  private constructor(secret: ISecret | undefined, key: string | undefined, networkEncryption: boolean) {
    brand(this, 'StandaloneAuthentication');
    this.enabled = secret !== undefined;
    this.secret = secret;
    this.key = key;
    this.networkEncryption = networkEncryption;
  }
}
