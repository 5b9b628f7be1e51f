package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The estimate against the measurements and the README's COCO recipe, under the default 8 GB budget. */
class JobMemoryEstimateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long BUDGET = 8L << 30;
    private static final long COCO_ANNOTATIONS = 144L << 20;
    private static final long COCO_IMAGES = 123_287;
    private static final long COCO_VOCABULARY = 9_500;

    private static TrainingJobRequest request(String fields) {
        return JSON.readValue("{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\"}" + fields + "}",
                TrainingJobRequest.class).withDefaults("random:42");
    }

    @Test
    void theReadmesCocoJobFitsTheDefaultBudget() {
        JobMemoryEstimate coco = JobMemoryEstimate.of(request(""), COCO_ANNOTATIONS, COCO_IMAGES, COCO_VOCABULARY, false);
        assertThat(coco.features()).as("123k x 4096 floats, heap and native").isEqualTo(COCO_IMAGES * 4096 * 4 * 2);
        assertThat(coco.total()).isBetween(5L << 30, BUDGET);
    }

    @Test
    void whatTookTheServiceToThirteenGigabytesIsOverIt() {
        long small = 1_000;
        assertThat(JobMemoryEstimate.of(request(",\"featureBatchSize\":256"), small, small, 50, false).extraction())
                .as("measured: 14 GB at 256").isEqualTo(14L << 30);
        assertThat(JobMemoryEstimate.of(request(",\"hiddenSize\":4096,\"embeddingSize\":4096"), small, small, 50, false)
                .total()).as("measured: 12.3 GB kept").isGreaterThan(BUDGET);
        assertThat(JobMemoryEstimate.of(request(",\"batchSize\":10000,\"hiddenSize\":4096,\"embeddingSize\":4096"),
                small, small, 50, false).activations()).isGreaterThan(BUDGET);
        assertThat(JobMemoryEstimate.of(request(""), small, 700_000, 50, false).features())
                .as("700k readable images would be 21 GB of rows").isGreaterThan(BUDGET);
    }

    @Test
    void describesEachPartByTheFieldThatSetsIt() {
        JobMemoryEstimate estimate = JobMemoryEstimate.of(request(",\"featureBatchSize\":256"), 1 << 20, 10, 50, true);
        assertThat(estimate.extraction()).isEqualTo((14L << 30) + JobMemoryEstimate.ENCODER_WEIGHTS);
        assertThat(estimate.describe()).startsWith("about 15.1 GB (").contains("feature extraction 14.5 GB for featureBatchSize")
                .contains("dataset 4 MB");
    }

    @Test
    void anAttentionJobCountsItsGridsAndAttentionActivations() {
        TrainingJobRequest lstm = request("");
        TrainingJobRequest attention = request(",\"decoder\":\"attention\"");
        long images = 5_000;
        JobMemoryEstimate a = JobMemoryEstimate.of(attention, 1 << 20, images, 50, false);
        assertThat(a.features()).as("196 x 512 floats per image, heap and native").isEqualTo(images * 196 * 512 * 4 * 2);
        assertThat(a.activations()).isGreaterThan(JobMemoryEstimate.of(lstm, 1 << 20, images, 50, false).activations()
                + 6L * 100 * 196 * 512 * 4 - 1);
        // COCO's 123k grids would be 99 GB in memory: far over the default budget, where the fc7 job fits
        assertThat(JobMemoryEstimate.of(attention, COCO_ANNOTATIONS, COCO_IMAGES, COCO_VOCABULARY, false).total())
                .isGreaterThan(BUDGET * 10);
    }
}
