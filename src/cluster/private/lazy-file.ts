import { Construct } from 'constructs';
import { GeneratedFile } from '../../core/generated-file';

/**
 * A GeneratedFile whose content is produced when the app writes it, so the
 * node scripts hold nodes, mirrors and steps added after their construct.
 */
export class LazyFile extends GeneratedFile {
  constructor(scope: Construct, id: string, filePath: string, mode: number, private readonly produce: () => string) {
    super(scope, id, { path: filePath, content: '', mode });
  }

  protected renderContent(): string {
    return this.produce();
  }
}
