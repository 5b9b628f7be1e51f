package dev.captioner.spark;

import org.apache.spark.sql.SparkSession;

/** How the jobs start Spark. */
final class Sessions {

    private Sessions() {
    }

    /** @param master null: the one spark-submit gives */
    static SparkSession start(String appName, String master) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                // libgomp busy-waits otherwise, and VGG16 slows several-fold beside any other thread (README)
                .config("spark.executorEnv.OMP_WAIT_POLICY", "passive");
        if (master != null) {
            builder.master(master);
        }
        return builder.getOrCreate();
    }

    /** Tasks of at most {@code perTask} images each: what a lost executor's retry redoes. */
    static int slices(int images, int perTask) {
        return Math.max(1, (images + perTask - 1) / perTask);
    }
}
