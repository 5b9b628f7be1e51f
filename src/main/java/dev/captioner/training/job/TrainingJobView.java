package dev.captioner.training.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A training job as the admin API shows it.
 *
 * @param status      QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param step        the step running now, or the last one that ran
 * @param progress    0..1 over the whole job (feature extraction and training weigh most)
 * @param etaSeconds  estimated seconds left: the current step from its measured rate, plus training from
 *                    its measured epoch time once an epoch has run (absent until it can be estimated)
 * @param attempts    executions so far (restarts add one)
 * @param confidence  the model's caption confidence: what it predicts ({@code target}), how many validation
 *                    images it was fitted and checked on, and its held-out figures; or why none was fitted
 * @param activated   true once the job activated its model; false when asked to but the activation gate
 *                    refused, {@code activationRefused} saying why
 * @param currentEpoch the epoch not yet finished: being trained, or where an interrupted job left it
 * @param runningLoss  the running training loss of {@code currentEpoch}'s epoch after its batches so far, or
 *                     without one of the last finished epoch; at most {@value RunningLossSeries#CAPACITY} points,
 *                     evenly spaced, the latest batch last
 * @param runner       the process that runs, or ran, the latest attempt: host name and process id (several
 *                     replicas share the jobs, and one of them runs them)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobView(
        long id,
        JobStatus status,
        String step,
        double progress,
        Long etaSeconds,
        Boolean cancelRequested,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        int attempts,
        TrainingJobRequest request,
        Images images,
        Features features,
        Integer vocabularySize,
        List<Epoch> epochs,
        Map<String, Double> metrics,
        Map<String, Object> confidence,
        String modelId,
        Boolean activated,
        String activationRefused,
        String error,
        CurrentEpoch currentEpoch,
        List<LossPoint> runningLoss,
        String runner) {

    /**
     * @param skipped         images left out of training: unreadable, corrupt or missing, or entries that name no
     *                        image the job may open (a bad file name, a link out of the data directory, a FIFO)
     * @param skippedByReason how many of them for each reason (all the decoder refuses is one reason)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Images(Integer train, Integer validation, String validationSource, Integer skipped,
                         Map<String, Integer> skippedByReason, List<String> skippedExamples) {
    }

    /**
     * @param encoded computed by this job; {@code reused}: found in the feature cache
     */
    public record Features(int done, int total, int encoded, int reused) {
    }

    /**
     * @param batch         batches of the epoch trained so far, of {@code batches}
     * @param runningLoss   mean per-token training loss of those batches (the epoch's {@code trainLoss} once all ran)
     * @param lastBatchLoss mean per-token loss of the latest batch alone
     */
    public record CurrentEpoch(int epoch, int batch, int batches, double runningLoss, double lastBatchLoss) {
    }

    /** @param loss the epoch's running loss after {@code batch} batches */
    public record LossPoint(int batch, double loss) {
    }

    public record Epoch(int epoch, double trainLoss, Double validationLoss, double seconds, double tokensPerSecond,
                        double learningRate, Map<String, Double> metrics) {
    }
}
