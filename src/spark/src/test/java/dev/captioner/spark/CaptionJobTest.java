package dev.captioner.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.config.JsonFiles;
import dev.captioner.training.FeatureExtractor;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The {@code caption} job on {@code local[2]} against the service's {@code caption} command on the same images. */
class CaptionJobTest {

    @TempDir
    Path work;

    @Test
    void givesTheCaptionCommandsResultsAndTheBeamsNBestAsParquet() throws Exception {
        GeneratedImages images = GeneratedImages.in(work.resolve("shapes"), 12);
        Path store = SingleMachineCaption.storeWith("demo-shapes-v1", work.resolve("models"));
        Path results = work.resolve("out/results.json");
        Path parquet = work.resolve("out/captions.parquet");

        JobRun run = JobRun.of("caption", "--master", "local[2]", "--images", images.dataset().imagesDir().toString(),
                "--models", store.toString(), "--output", results.toString(), "--parquet", parquet.toString(),
                "--alternatives", "2", "--images-per-task", "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lastLine()).isEqualTo("caption: images=13 captioned=12 skipped=1 [1 "
                + FeatureExtractor.NOT_A_READABLE_IMAGE + "]");
        JsonNode fromSpark = JsonFiles.MAPPER.readTree(results.toFile());
        assertThat(fromSpark).hasSize(12);
        assertThat(fromSpark.get(0).get("image_id").asLong()).isEqualTo(1);
        assertThat(fromSpark.get(0).get("caption").asString()).isNotBlank();

        List<Row> rows = parquetRows(parquet);
        assertThat(rows).hasSize(12);
        assertThat(rows).extracting(row -> row.getLong(0)).doesNotHaveDuplicates();
        for (Row row : rows) {
            List<Row> captions = row.getList(row.fieldIndex("captions"));
            assertThat(captions).hasSize(3);
            JsonNode entry = entryFor(fromSpark, row.getLong(0));
            assertThat(captions.get(0).getString(0)).as("the beam's best is the results' caption")
                    .isEqualTo(entry.get("caption").asString());
            assertThat(captions.get(0).getDouble(1)).isGreaterThanOrEqualTo(captions.get(1).getDouble(1));
        }

        Path singleMachine = SingleMachineCaption.run(images.dataset().imagesDir(), store, work, "--alternatives", "2");
        assertThat(fromSpark).isEqualTo(JsonFiles.MAPPER.readTree(singleMachine.toFile()));
        assertThat(Files.readString(results)).isEqualTo(Files.readString(singleMachine));
    }

    @Test
    void givesAnAttentionModelsCaptionsAndMapsAsTheCommandDoes() throws Exception {
        GeneratedImages images = GeneratedImages.in(work.resolve("scenes"), 4);
        Files.delete(images.broken());
        Path store = SingleMachineCaption.storeWith("demo-scenes-attention-v1", work.resolve("models"));
        Path results = work.resolve("results.json");

        JobRun run = JobRun.of("caption", "--master", "local[2]", "--images", images.dataset().imagesDir().toString(),
                "--models", store.toString(), "--model", "demo-scenes-attention-v1", "--output", results.toString(),
                "--attention", "--length-penalty", "gnmt", "--block-repeated-trigrams");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lastLine()).isEqualTo("caption: images=4 captioned=4 skipped=0");
        JsonNode fromSpark = JsonFiles.MAPPER.readTree(results.toFile());
        assertThat(fromSpark.get(0).get("attention").get(0)).hasSize(14);

        Path singleMachine = SingleMachineCaption.run(images.dataset().imagesDir(), store, work, "--attention",
                "--length-penalty", "gnmt", "--block-repeated-trigrams");
        assertThat(fromSpark).isEqualTo(JsonFiles.MAPPER.readTree(singleMachine.toFile()));
    }

    @Test
    void refusesAttentionForAModelWithoutItAndAStoreWithoutTheModel() throws Exception {
        GeneratedImages images = GeneratedImages.in(work.resolve("shapes"), 1);
        Path store = SingleMachineCaption.storeWith("demo-shapes-v1", work.resolve("models"));

        JobRun attention = JobRun.of("caption", "--master", "local[2]", "--images",
                images.dataset().imagesDir().toString(), "--models", store.toString(), "--output",
                work.resolve("r.json").toString(), "--attention");
        assertThat(attention.exitCode()).isEqualTo(2);
        assertThat(attention.err()).contains("model 'demo-shapes-v1' has no attention");

        JobRun missing = JobRun.of("caption", "--master", "local[2]", "--images",
                images.dataset().imagesDir().toString(), "--models", store.toString(), "--model", "nope",
                "--output", work.resolve("r.json").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope");
        assertThat(work.resolve("r.json")).doesNotExist();
    }

    private static JsonNode entryFor(JsonNode results, long imageId) {
        for (JsonNode entry : results) {
            if (entry.get("image_id").asLong() == imageId) {
                return entry;
            }
        }
        throw new AssertionError("no result for image " + imageId);
    }

    private static List<Row> parquetRows(Path parquet) throws IOException {
        try (SparkSession session = Sessions.start("read-parquet", "local[1]")) {
            return session.read().parquet(parquet.toString()).collectAsList();
        }
    }
}
