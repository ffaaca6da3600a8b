// Ports the nodes must open to each other, shared by the CNI (which knows
// them) and the node scripts (which open them).

/** Transport protocol of a {@link FirewallPort}. */
export enum FirewallProtocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
}

/** A port the nodes must accept from each other. */
export interface FirewallPort {
  /** Port number. */
  readonly port: number;
  /** Transport protocol. */
  readonly protocol: FirewallProtocol;
  /** What uses it, for comments in firewall rules. */
  readonly description: string;
}
