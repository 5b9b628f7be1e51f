package dev.captioner.training.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.captioner.config.JsonFiles;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.AtomicFiles;
import dev.captioner.training.TrainingCancelledException;
import dev.captioner.training.TrainingCheckpoint;
import dev.captioner.training.ValidationCaptionMetrics;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Scores the best decoder (lowest validation loss) on all validation images: beam-search captions (beam 3)
 * against their references with BLEU-1..4, ROUGE-L and CIDEr-D, as the COCO toolkit computes them.
 */
class EvaluateStep extends JobStep {

    static final String METRICS = "metrics";
    static final String BEST_EPOCH = "bestEpoch";
    static final String IMAGES = "images";
    static final String EMPTY_CAPTIONS = "emptyCaptions";


    EvaluateStep(JobStates states) {
        super(states);
    }

    @Override
    RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception {
        TrainingCheckpoint checkpoint = state.checkpoint();
        JobDataset dataset = state.dataset();
        Vocabulary vocabulary = state.vocabulary();
        float[][] features = state.features(states);
        float[][] validation = Arrays.copyOfRange(features, dataset.train().size(), features.length);
        int scored = (int) Arrays.stream(validation).filter(row -> row != null).count();
        state.live(TrainingStep.EVALUATE, 0);
        ValidationCaptionMetrics.Evaluation scores;
        try {
            // thousands of beam searches take minutes: a cancel is honoured between images
            scores = new ValidationCaptionMetrics(vocabulary, validation, dataset.validation().references(),
                    state.request.maxLength(), () -> states.isCancelRequested(state.jobId) || states.isShuttingDown())
                    .evaluate(checkpoint.best());
        } catch (TrainingCancelledException e) {
            states.stopIfCancelled(state.jobId);
            throw e;
        }
        Map<String, Double> metrics = scores.metrics();

        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("bestEpoch", checkpoint.state().bestEpoch());
        evaluation.put("images", scored);
        evaluation.put("metrics", metrics);
        evaluation.put(EMPTY_CAPTIONS, scores.emptyCaptions());
        Path temp = state.workDir.resolve(".evaluation-" + UUID.randomUUID());
        Files.writeString(temp, JsonFiles.MAPPER.writeValueAsString(evaluation));
        AtomicFiles.move(temp, state.evaluationFile());

        step.getExecutionContext().putString(METRICS, states.parameters().json().writeValueAsString(metrics));
        step.getExecutionContext().putInt(BEST_EPOCH, checkpoint.state().bestEpoch());
        step.getExecutionContext().putInt(IMAGES, scored);
        state.live(TrainingStep.EVALUATE, 1);
        return RepeatStatus.FINISHED;
    }
}
