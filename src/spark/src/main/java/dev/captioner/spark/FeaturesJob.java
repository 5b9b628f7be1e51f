package dev.captioner.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.captioner.training.FeatureCache;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code features}: VGG16 features of every image into the training job's feature cache, and optionally Parquet.
 * An image already in the cache (an earlier run, or a retried task's first attempt) is read back, not encoded again.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = "VGG16 features (fc7, or the conv5_3 grid) of every image into the training job's feature "
                + "cache (<data-root>/features/<encoder>/), optionally also as Parquet (path, image id, vector).")
final class FeaturesJob implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Option(names = "--data-root", paramLabel = "URI", required = true, description = "the data dir the training "
            + "job will run in: cache keys are image paths relative to it, and the cache goes to its features/")
    String dataRoot;

    @Option(names = "--cache", paramLabel = "URI", description = "the feature cache (default: <data-root>/features)")
    String cache;

    @Option(names = "--weights", paramLabel = "imagenet|random:SEED", defaultValue = "imagenet",
            description = "VGG16's weights, as a training request's encoderWeights (default imagenet)")
    String weights;

    @Option(names = "--layer", paramLabel = "fc7|conv5_3", defaultValue = "fc7", description = "fc7 (4096 floats; "
            + "the LSTM decoder) or conv5_3 (the 14x14x512 grid; the attention decoder)")
    String layer;

    @Option(names = "--precision", paramLabel = "float32|float16", defaultValue = "float32", description = "how "
            + "entries are stored, as a training request's featurePrecision")
    String precision;

    @Option(names = "--parquet", paramLabel = "URI", description = "also write the features as Parquet there "
            + "(columns path, relative_name, image_id, features), replacing what is there")
    String parquet;

    @Mixin
    ReportOption report;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        input.validate();
        FeatureCache.Precision cachePrecision = switch (precision.toLowerCase(Locale.ROOT)) {
            case "float32" -> FeatureCache.Precision.FLOAT32;
            case "float16" -> FeatureCache.Precision.FLOAT16;
            default -> throw new IllegalArgumentException("--precision must be float32 or float16");
        };
        EncoderSpec encoder = input.encoder(weights, layer);
        String cacheRoot = cache != null ? cache : new Path(dataRoot, "features").toString();
        try (SparkSession session = Sessions.start("captioner-features", input.master)) {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(session.sparkContext());
            HadoopConf hadoop = HadoopConf.of(context.hadoopConfiguration());
            ImageListing.Listing listing = ImageListing.list(input.images, input.captions, dataRoot, false,
                    context.hadoopConfiguration());
            JobCounts counts = new JobCounts("features", "encoded");
            listing.skipped().forEach(skip -> counts.skipped(skip.uri(), skip.reason(), skip.reason()));
            String encoderId = encoder.encoderId();
            boolean keepVectors = parquet != null;
            JavaRDD<FeatureRow> rows = context.parallelize(listing.images(), Sessions.slices(listing.images().size(),
                            input.imagesPerTask))
                    .mapPartitions(images -> {
                        Configuration executorConfiguration = hadoop.toConfiguration();
                        CacheWriter writer = new CacheWriter(cacheRoot, encoderId, cachePrecision, executorConfiguration);
                        List<FeatureRow> done = new ArrayList<>();
                        List<ImageRef> toEncode = new ArrayList<>();
                        while (images.hasNext()) {
                            ImageRef image = images.next();
                            if (writer.contains(image)) {
                                done.add(FeatureRow.reused(image, keepVectors ? writer.get(image).orElseThrow() : null));
                            } else {
                                toEncode.add(image);
                            }
                        }
                        if (!toEncode.isEmpty()) {
                            writer.bindTo(ExecutorState.encoder(encoder, executorConfiguration));
                            new PartitionEncoder(encoder, executorConfiguration).encode(toEncode.iterator(), batch -> {
                                for (Encoded encoded : batch) {
                                    if (encoded.ok()) {
                                        try {
                                            writer.put(encoded.image(), encoded.features());
                                        } catch (IOException e) {
                                            throw new UncheckedIOException(e);
                                        }
                                    }
                                    done.add(FeatureRow.of(encoded, keepVectors));
                                }
                            });
                        }
                        return done.iterator();
                    });
            if (keepVectors) {
                rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
                writeParquet(session, rows);
            }
            for (FeatureRow row : rows.map(FeatureRow::withoutFeatures).collect()) {
                if (row.skipKind() != null) {
                    counts.skipped(row.image().uri(), row.skipKind(), row.skipReason());
                } else if (row.reused()) {
                    counts.reused();
                } else {
                    counts.done();
                }
            }
            report.write(counts, context.hadoopConfiguration());
            out.println("feature cache: " + new Path(cacheRoot, FeatureCache.folderName(encoderId))
                    + (parquet != null ? "; parquet: " + parquet : ""));
            counts.print(out);
        }
        return 0;
    }

    private void writeParquet(SparkSession session, JavaRDD<FeatureRow> rows) {
        StructType schema = new StructType()
                .add("path", DataTypes.StringType, false)
                .add("relative_name", DataTypes.StringType, false)
                .add("image_id", DataTypes.LongType, true)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        JavaRDD<Row> parquetRows = rows.filter(row -> row.features() != null).map(row -> RowFactory.create(
                row.image().uri(), row.image().relativeName(), row.image().imageId(), row.boxedFeatures()));
        session.createDataFrame(parquetRows, schema).write().mode(SaveMode.Overwrite).parquet(parquet);
    }
}
