package dev.captioner.spark;

import picocli.CommandLine.Option;

/** The options both jobs take: where the images are, how they are read, how tasks are cut and run. */
final class InputOptions {

    @Option(names = "--master", paramLabel = "URL", description = "the Spark master (default: what spark-submit "
            + "sets; e.g. local[2] for a run without a cluster)")
    String master;

    @Option(names = "--images", paramLabel = "URI", required = true, description = "a folder of images, or a glob "
            + "(file://, hdfs://, s3a://; .jpg, .jpeg, .png, .gif, .bmp, .webp)")
    String images;

    @Option(names = "--captions", paramLabel = "URI", description = "a COCO captions file: only its images, with its "
            + "image ids (matched by file name); default: every image, its id the last number in its file name")
    String captions;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "images per pass through VGG16 "
            + "(default 16, as the caption command)")
    int batch;

    @Option(names = "--images-per-task", paramLabel = "N", defaultValue = "64", description = "images per Spark task: "
            + "what a lost executor's retried task redoes (default 64)")
    int imagesPerTask;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "40000000", description = "largest width x height "
            + "decoded, from the header (default 40000000, the service's)")
    long maxPixels;

    @Option(names = "--max-image-bytes", paramLabel = "N", defaultValue = "10485760", description = "a larger file is "
            + "skipped unread (default 10 MiB, the service's upload limit)")
    long maxImageBytes;

    @Option(names = "--weights-file", paramLabel = "URI", description = "VGG16 ImageNet weights (Keras HDF5 or DL4J "
            + "zip), verified against the known checksums; copied once to each executor unless on a local file system")
    String weightsFile;

    @Option(names = "--weights-checksum", paramLabel = "ALGO:HEX", description = "a checksum --weights-file may "
            + "match besides the known sources' (sha256:..., md5:...)")
    String weightsChecksum;

    void validate() {
        if (batch < 1 || batch > 256) {
            throw new IllegalArgumentException("--batch must be between 1 and 256");
        }
        if (imagesPerTask < 1) {
            throw new IllegalArgumentException("--images-per-task must be at least 1");
        }
        if (maxPixels < 1 || maxImageBytes < 1) {
            throw new IllegalArgumentException("--max-pixels and --max-image-bytes must be positive");
        }
    }

    EncoderSpec encoder(String weights, String layer) {
        if (weightsFile == null && "imagenet".equals(weights)) {
            throw new IllegalArgumentException("ImageNet weights need --weights-file: the executors have no "
                    + "fetch-weights install to find them in");
        }
        return new EncoderSpec(weights, layer, "imagenet".equals(weights) ? weightsFile : null, weightsChecksum,
                batch, maxPixels, maxImageBytes);
    }
}
