package dev.captioner.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** How the jobs start Spark. */
final class Sessions {

    private Sessions() {
    }

    /**
     * Off-heap room an executor needs beside its heap, unless spark-submit sets it: VGG16's weights (~550 MB of
     * native memory), one batch's activations and libnd4j's own (measured: README, "Beyond one machine"). YARN and
     * Kubernetes size executors' containers by it; without it they kill the executor as it builds the network.
     */
    static final String EXECUTOR_MEMORY_OVERHEAD = "2g";

    /** @param master null: the one spark-submit gives */
    static SparkSession start(String appName, String master) {
        SparkConf submitted = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        // libgomp busy-waits otherwise, and VGG16 slows several-fold beside any other thread (README)
        defaultTo(submitted, builder, "spark.executorEnv.OMP_WAIT_POLICY", "passive");
        defaultTo(submitted, builder, "spark.executor.memoryOverhead", EXECUTOR_MEMORY_OVERHEAD);
        if (master != null) {
            builder.master(master);
        }
        return builder.getOrCreate();
    }

    private static void defaultTo(SparkConf submitted, SparkSession.Builder builder, String key, String value) {
        if (!submitted.contains(key)) {
            builder.config(key, value);
        }
    }

    /** Tasks of at most {@code perTask} images each: what a lost executor's retry redoes. */
    static int slices(int images, int perTask) {
        return Math.max(1, (images + perTask - 1) / perTask);
    }
}
