import { SparkImage, SparkImageFacts, SparkImageProps } from '../../src';

/** The repository of the test images that carry hadoop-aws (built FROM apache/spark, as users build theirs). */
export const S3_IMAGE_REPOSITORY = 'registry.example.com/data/spark-s3';

/**
 * A Spark image built FROM an official apache/spark image with hadoop-aws
 * and the AWS SDK bundle added: what s3a:// stores and paths need (the
 * apache/spark images do not carry them).
 */
export function s3Image(version: string = '4.0.4', props: SparkImageProps = {}): SparkImage {
  return SparkImage.of({
    repository: S3_IMAGE_REPOSITORY,
    tag: version,
    facts: SparkImageFacts.fromApacheImage({ hadoopAws: true }),
    ...props,
  });
}
