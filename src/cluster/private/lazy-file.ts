import { Construct } from 'constructs';
import { GeneratedFile } from '../../core/generated-file';

/**
 * A GeneratedFile whose content is produced when it is read, i.e. when the
 * app synthesizes and writes it: the node scripts then hold nodes, mirrors and
 * steps added after their construct. GeneratedFile keeps its content in a
 * field; here that field is replaced by a getter on the instance.
 */
export class LazyFile extends GeneratedFile {
  constructor(scope: Construct, id: string, filePath: string, mode: number, produce: () => string) {
    super(scope, id, { path: filePath, content: '', mode });
    Object.defineProperty(this, 'content', { get: produce, enumerable: true, configurable: true });
  }
}
