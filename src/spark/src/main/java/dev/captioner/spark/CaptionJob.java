package dev.captioner.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.captioner.config.JsonFiles;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.CaptionResultEntry;
import dev.captioner.language.Captioner;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ModelEncoderCheck;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
import tools.jackson.databind.JsonNode;

/**
 * {@code caption}: the {@code caption} command on a cluster. The same model from a model store, the same VGG16,
 * the same options and the same results entries, in the same order (the images sorted by path), written once by
 * the driver from what the tasks returned; a retried task's results replace its lost attempt's, never add to them.
 */
@Command(name = "caption", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Captions every image with a stored model (the best of a beam of 3) and writes COCO results "
                + "format, as the caption command does; optionally Parquet with the beam's n best captions.")
final class CaptionJob implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Option(names = "--models", paramLabel = "URI", required = true, description = "the model store (a service's "
            + "models dir, on any Hadoop file system)")
    String models;

    @Option(names = "--model", paramLabel = "ID", description = "the model (default: the store's ACTIVE one)")
    String model;

    @Option(names = "--output", paramLabel = "RESULTS.json", required = true, description = "where the driver writes "
            + "the results (any Hadoop file system; written aside, then renamed)")
    String output;

    @Option(names = "--parquet", paramLabel = "URI", description = "also write Parquet there (image_id, path, "
            + "captions: the n best with log_probability and probability), replacing what is there")
    String parquet;

    @Option(names = "--n-best", paramLabel = "N", defaultValue = "3", description = "captions per image in the "
            + "Parquet output (1..3, default 3: the whole beam)")
    int nBest;

    @Option(names = "--attention", description = "as the caption command: every token's attention map")
    boolean attention;

    @Option(names = "--alternatives", paramLabel = "K", description = "as the caption command: tokens' "
            + "log-probabilities and the K most likely other words (0..10)")
    int alternatives;

    @Option(names = "--length-penalty", paramLabel = "none|gnmt|average", defaultValue = "none",
            description = "as the caption command")
    String lengthPenalty;

    @Option(names = "--length-penalty-alpha", paramLabel = "ALPHA", description = "as the caption command")
    Double lengthPenaltyAlpha;

    @Option(names = "--block-repeated-trigrams", description = "as the caption command")
    boolean blockRepeatedTrigrams;

    @Mixin
    ReportOption report;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        input.validate();
        Generation best = new Generation(1, lengthPenalty, lengthPenaltyAlpha, alternatives, blockRepeatedTrigrams, 0);
        Generation beam = new Generation(nBest, lengthPenalty, lengthPenaltyAlpha, 0, blockRepeatedTrigrams, 0);
        best.options();
        beam.options();
        try (SparkSession session = Sessions.start("captioner-caption", input.master)) {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(session.sparkContext());
            Configuration configuration = context.hadoopConfiguration();
            HadoopConf hadoop = HadoopConf.of(configuration);
            String modelId = model != null ? model : activeId(configuration);
            // the driver reads the model first: a wrong id, a broken file or a missing weights file fails here, once
            CaptionModel stored = ExecutorState.load(models, modelId, configuration);
            if (attention && !stored.hasAttention()) {
                throw new IllegalArgumentException("--attention: model '" + modelId + "' has no attention (its "
                        + "decoder is '" + stored.decoder().kind() + "')");
            }
            EncoderSpec encoder = input.encoder(stored.manifest().encoder().weights(),
                    stored.manifest().encoder().layer());
            ModelEncoderCheck.layerOf(modelId, stored.manifest().encoder());
            int maxLength = stored.manifest().decoder().maxLength();
            Generation bestOptions = best.withMaxLength(maxLength);
            Generation beamOptions = beam.withMaxLength(maxLength);
            boolean withBeam = parquet != null;
            boolean withAttention = attention;
            int withAlternatives = alternatives;
            String store = models;

            ImageListing.Listing listing = ImageListing.list(input.images, input.captions, null, true, configuration);
            JobCounts counts = new JobCounts("caption", "captioned");
            listing.skipped().forEach(skip -> counts.skipped(skip.uri(), skip.reason(), skip.reason()));
            JavaRDD<CaptionRow> rows = context.parallelize(listing.images(), Sessions.slices(listing.images().size(),
                            input.imagesPerTask))
                    .mapPartitions(images -> {
                        Configuration executorConfiguration = hadoop.toConfiguration();
                        CaptionModel captionModel = ExecutorState.model(store, modelId, executorConfiguration);
                        FeatureEncoder features = ExecutorState.encoder(encoder, executorConfiguration);
                        ModelEncoderCheck.requireMatch(modelId, captionModel.manifest().encoder(), features);
                        Captioner captioner = captionModel.captioner();
                        List<CaptionRow> done = new ArrayList<>();
                        new PartitionEncoder(encoder, executorConfiguration).encode(images, batch -> {
                            for (Encoded encoded : batch) {
                                done.add(encoded.ok() ? captioned(encoded, captioner, bestOptions.options(),
                                        withBeam ? beamOptions.options() : null, withAttention, withAlternatives)
                                        : CaptionRow.skipped(encoded));
                            }
                        });
                        return done.iterator();
                    });
            if (withBeam) {
                rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
                writeParquet(session, rows);
            }
            List<JsonNode> results = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (CaptionRow row : rows.map(CaptionJob::withoutBeam).collect()) {
                if (row.resultJson() == null) {
                    counts.skipped(row.image().uri(), row.skipKind(), row.skipReason());
                    continue;
                }
                if (!seen.add(row.image().imageId())) {
                    throw new IllegalStateException("image id " + row.image().imageId() + " came back twice");
                }
                results.add(JsonFiles.MAPPER.readTree(row.resultJson()));
                counts.done();
            }
            Path outputPath = new Path(output);
            HadoopFiles.writeAside(HadoopFiles.of(outputPath, configuration), outputPath,
                    JsonFiles.MAPPER.writeValueAsString(results).getBytes(StandardCharsets.UTF_8), true);
            report.write(counts, configuration);
            out.println("captioned with " + modelId + " -> " + output + (parquet != null ? "; parquet: " + parquet : ""));
            counts.print(out);
        }
        return 0;
    }

    /**
     * The caption options as the tasks get them ({@link CaptionOptions} itself is not serialisable); checked on the
     * driver, so a bad option fails before any task runs.
     */
    private record Generation(int n, String lengthPenalty, Double alpha, int alternatives, boolean blockRepeatedTrigrams,
                              int maxLength) implements java.io.Serializable {

        CaptionOptions options() {
            CaptionOptions options = CaptionOptions.bestOfBeam(n, lengthPenalty, alpha, alternatives, blockRepeatedTrigrams);
            return maxLength > 0 ? options.withMaxLength(maxLength) : options;
        }

        Generation withMaxLength(int length) {
            return new Generation(n, lengthPenalty, alpha, alternatives, blockRepeatedTrigrams, length);
        }
    }

    private static CaptionRow captioned(Encoded encoded, Captioner captioner, CaptionOptions best, CaptionOptions beam,
                                        boolean attention, int alternatives) {
        Captioner.Caption caption = captioner.captions(encoded.features(), best).get(0);
        String json = JsonFiles.MAPPER.writeValueAsString(CaptionResultEntry.of(encoded.image().imageId(), caption,
                captioner.attentionGrid(), attention, alternatives));
        List<CaptionRow.Candidate> candidates = beam == null ? null : captioner.captions(encoded.features(), beam)
                .stream().map(c -> new CaptionRow.Candidate(c.text(), c.logProbability(), c.probability())).toList();
        return new CaptionRow(encoded.image(), json, candidates == null ? null : new ArrayList<>(candidates), null, null);
    }

    private static CaptionRow withoutBeam(CaptionRow row) {
        return new CaptionRow(row.image(), row.resultJson(), null, row.skipKind(), row.skipReason());
    }

    private void writeParquet(SparkSession session, JavaRDD<CaptionRow> rows) {
        StructType candidate = new StructType()
                .add("caption", DataTypes.StringType, false)
                .add("log_probability", DataTypes.DoubleType, false)
                .add("probability", DataTypes.DoubleType, false);
        StructType schema = new StructType()
                .add("image_id", DataTypes.LongType, false)
                .add("path", DataTypes.StringType, false)
                .add("captions", DataTypes.createArrayType(candidate, false), false);
        JavaRDD<Row> parquetRows = rows.filter(row -> row.nBest() != null).map(row -> RowFactory.create(
                row.image().imageId(), row.image().uri(), row.nBest().stream()
                        .map(c -> RowFactory.create(c.caption(), c.logProbability(), c.probability())).toArray()));
        session.createDataFrame(parquetRows, schema).write().mode(SaveMode.Overwrite).parquet(parquet);
    }

    private String activeId(Configuration configuration) throws IOException {
        Path active = new Path(models, ModelStore.ACTIVE);
        FileSystem fs = HadoopFiles.of(active, configuration);
        if (!fs.exists(active)) {
            throw new IllegalArgumentException(models + " has no active model: give --model ID");
        }
        try (InputStream in = fs.open(active)) {
            return new String(in.readNBytes(200), StandardCharsets.UTF_8).trim();
        }
    }
}
