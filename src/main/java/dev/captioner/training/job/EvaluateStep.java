package dev.captioner.training.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.captioner.config.JsonFiles;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.AtomicFiles;
import dev.captioner.store.ModelManifest;
import dev.captioner.training.ConfidenceCalibration;
import dev.captioner.training.TrainingCancelledException;
import dev.captioner.training.TrainingCheckpoint;
import dev.captioner.training.ValidationCaptionMetrics;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Scores the best decoder (lowest validation loss) on all validation images: beam-search captions (beam 3)
 * against their references with BLEU-1..4, ROUGE-L and CIDEr-D, as the COCO toolkit computes them; then fits the
 * model's caption confidence on half of those captions and checks it on the other half
 * ({@link ConfidenceCalibration}), for the register step to store with the model.
 */
class EvaluateStep extends JobStep {

    static final String METRICS = "metrics";
    static final String BEST_EPOCH = "bestEpoch";
    static final String IMAGES = "images";
    static final String EMPTY_CAPTIONS = "emptyCaptions";
    static final String CALIBRATION = "calibration";
    static final String CALIBRATION_NOT_FITTED = "calibrationNotFitted";
    /** The confidence's figures as the job's view shows them. */
    static final String CONFIDENCE = "confidence";


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
        ConfidenceCalibration.Result confidence;
        BooleanSupplier cancelled = () -> states.isCancelRequested(state.jobId) || states.isInterrupted(state.jobId);
        try {
            // thousands of beam searches take minutes: a cancel is honoured between images
            scores = new ValidationCaptionMetrics(vocabulary, validation, dataset.validation().references(),
                    state.request.maxLength(), cancelled).evaluate(checkpoint.best());
            confidence = ConfidenceCalibration.fit(checkpoint.best(), vocabulary, validation, scores.perImage(),
                    "job " + state.jobId + "'s validation images, alternately fitted on and held out", cancelled);
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
        if (confidence.calibration() != null) {
            evaluation.put(CALIBRATION, confidence.calibration());
        } else {
            evaluation.put(CALIBRATION_NOT_FITTED, confidence.notFittedBecause());
        }
        Path temp = state.workDir.resolve(".evaluation-" + UUID.randomUUID());
        Files.writeString(temp, JsonFiles.MAPPER.writeValueAsString(evaluation));
        AtomicFiles.move(temp, state.evaluationFile());

        step.getExecutionContext().putString(METRICS, states.parameters().json().writeValueAsString(metrics));
        step.getExecutionContext().putInt(BEST_EPOCH, checkpoint.state().bestEpoch());
        step.getExecutionContext().putInt(IMAGES, scored);
        step.getExecutionContext().putString(CONFIDENCE,
                states.parameters().json().writeValueAsString(view(confidence)));
        state.live(TrainingStep.EVALUATE, 1);
        return RepeatStatus.FINISHED;
    }

    /** The held-out figures and what they are relative to, or why there is no confidence. */
    private static Map<String, Object> view(ConfidenceCalibration.Result confidence) {
        Map<String, Object> view = new LinkedHashMap<>();
        ModelManifest.Calibration calibration = confidence.calibration();
        if (calibration == null) {
            view.put("notFitted", confidence.notFittedBecause());
            return view;
        }
        view.put("target", calibration.target() + " >= " + calibration.threshold());
        view.put("fitImages", calibration.fitImages());
        view.put("heldOutImages", calibration.heldOutImages());
        view.put("heldOut", calibration.heldOut());
        return view;
    }
}
