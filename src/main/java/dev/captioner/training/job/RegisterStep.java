package dev.captioner.training.job;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.captioner.config.JsonFiles;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.Vocabulary;
import dev.captioner.serving.ActiveModel;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.training.TrainedModelRecord;
import dev.captioner.training.TrainingCheckpoint;
import dev.captioner.training.ValidationCaptionMetrics;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.core.type.TypeReference;

/**
 * Stores the best decoder as a model (written aside and renamed into place by the model store, so
 * {@code models/} never shows half a model) and activates it if the request asked and it passes the
 * {@link ActivationGate}; otherwise the job records why it was not activated. Safe to repeat: a model this
 * job already stored is recognised and kept.
 */
class RegisterStep extends JobStep {

    private static final Logger log = LoggerFactory.getLogger(RegisterStep.class);

    static final String MODEL_ID = "modelId";
    static final String ACTIVATED = "activated";
    static final String ACTIVATION_REFUSED = "activationRefused";
    static final String TRAINING_JOB = "trainingJob";

    private final ModelStore store;
    private final ModelRuntime runtime;
    private final ModelActivator activator;
    private final ActivationGate gate;

    RegisterStep(JobStates states, ModelStore store, ModelRuntime runtime, ModelActivator activator,
                 ActivationGate gate) {
        super(states);
        this.store = store;
        this.runtime = runtime;
        this.activator = activator;
        this.gate = gate;
    }

    static String modelId(TrainingJobRequest request, long jobId) {
        return request.modelId() != null ? request.modelId() : "job-" + jobId;
    }

    @Override
    RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception {
        String id = modelId(state.request, state.jobId);
        if (store.exists(id)) {
            Object owner = store.manifest(id).hyperParameters().get(TRAINING_JOB);
            if (owner == null || !owner.toString().equals(String.valueOf(state.jobId))) {
                throw new IllegalStateException("a model '" + id + "' already exists and was not made by this job; "
                        + "submit again with another modelId");
            }
        } else {
            store.save(model(id, state));
        }
        step.getExecutionContext().putString(MODEL_ID, id);
        if (state.request.activate()) {
            Optional<String> refusal = gate.refusal(scores(state), incumbent(id, state));
            if (refusal.isPresent()) {
                log.warn("job {}: model '{}' stored but {}", state.jobId, id, refusal.get());
                step.getExecutionContext().putString(ACTIVATION_REFUSED, refusal.get());
            } else {
                activator.activate(id);
                step.getExecutionContext().putString(ACTIVATED, "true");
            }
        }
        return RepeatStatus.FINISHED;
    }

    /** What the evaluate step measured on all validation images. */
    private static ActivationGate.Scores scores(JobState state) throws IOException {
        Map<String, Object> evaluation = evaluation(state);
        Integer empty = evaluation.get(EvaluateStep.EMPTY_CAPTIONS) instanceof Number n ? n.intValue() : null;
        int captions = evaluation.get(EvaluateStep.IMAGES) instanceof Number n ? n.intValue() : 0;
        return new ActivationGate.Scores(evaluationMetrics(state), captions, empty);
    }

    /**
     * The active model's CIDEr-D on this job's validation images, when the gate compares and the active model
     * reads the same features (same encoder, same size); else nothing to compare with.
     */
    private Optional<ActivationGate.Incumbent> incumbent(String id, JobState state)
            throws IOException, JobInterruptedException {
        if (!gate.comparesWithActive()) {
            return Optional.empty();
        }
        Optional<ActiveModel> active = runtime.current().filter(a -> !a.model().id().equals(id));
        String wanted = state.request.encoderId();
        if (active.isEmpty() || !active.get().encoder().id().equals(wanted)) {
            return Optional.empty();
        }
        CaptionModel model = active.get().model();
        if (model.decoder().featureSize() != state.checkpoint().best().featureSize()) {
            return Optional.empty();
        }
        JobDataset dataset = state.dataset();
        float[][] features = state.features(states);
        float[][] validation = Arrays.copyOfRange(features, dataset.train().size(), features.length);
        Map<String, Double> metrics = new ValidationCaptionMetrics(model.vocabulary(), validation,
                dataset.validation().references(), state.request.maxLength()).score(model.decoder());
        return Optional.of(new ActivationGate.Incumbent(model.id(),
                metrics.getOrDefault(ActivationGate.CIDER, 0.0)));
    }

    private CaptionModel model(String id, JobState state) throws Exception {
        TrainingCheckpoint checkpoint = state.checkpoint();
        CaptionDecoder best = checkpoint.best();
        Vocabulary vocabulary = state.vocabulary();
        TrainingJobRequest request = state.request;
        FeatureEncoder encoder = state.encoder != null ? state.encoder
                : runtime.encoderFor(EncoderWeights.parse(request.encoderWeights()), request.encoderLayer());

        Map<String, Object> hyper = TrainedModelRecord.hyperParameters(request.trainingConfig(),
                request.minWordCount(), request.maxLength(), request.dataset().annotations());
        hyper.put(TRAINING_JOB, state.jobId);
        JobDataset dataset = state.dataset();
        int bestEpoch = checkpoint.state().bestEpoch();
        Map<String, Object> metrics = TrainedModelRecord.metrics(dataset.train().size(), dataset.validation().size(),
                bestEpoch, checkpoint.state().history().get(bestEpoch - 1), evaluationMetrics(state));

        ModelManifest manifest = new ModelManifest(id, Instant.now(),
                "Trained by job " + state.jobId + " on " + request.dataset().annotations() + " ("
                        + dataset.train().size() + " images, " + request.epochs() + " epochs)",
                encoderRecord(request, EncoderProbe.measure(encoder), encoder.source()),
                ModelManifest.Decoder.of(best, request.maxLength()),
                hyper, metrics, Map.of(), calibration(state));
        return new CaptionModel(manifest, vocabulary, best);
    }

    private static ModelManifest.Encoder encoderRecord(TrainingJobRequest request, ModelManifest.EncoderProbe probe,
                                                       ModelManifest.WeightsSource source) {
        String weights = EncoderWeights.parse(request.encoderWeights()).toString();
        return request.attends() ? ModelManifest.Encoder.vgg16Conv5(weights, probe, source)
                : ModelManifest.Encoder.vgg16Fc7(weights, probe, source);
    }

    /** From the evaluate step's file, which survives a restart between the two steps. */
    private static Map<String, Double> evaluationMetrics(JobState state) throws IOException {
        Map<String, Object> evaluation = evaluation(state);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (evaluation.get("metrics") instanceof Map<?, ?> map) {
            map.forEach((key, value) -> metrics.put(key.toString(), ((Number) value).doubleValue()));
        }
        return metrics;
    }

    /** The confidence calibration the evaluate step fitted; none when it could not fit one. */
    private static ModelManifest.Calibration calibration(JobState state) throws IOException {
        Object calibration = evaluation(state).get(EvaluateStep.CALIBRATION);
        return calibration == null ? null : JsonFiles.MAPPER.convertValue(calibration, ModelManifest.Calibration.class);
    }

    private static Map<String, Object> evaluation(JobState state) throws IOException {
        if (!Files.isRegularFile(state.evaluationFile())) {
            return Map.of();
        }
        return JsonFiles.MAPPER.readValue(state.evaluationFile().toFile(), new TypeReference<Map<String, Object>>() { });
    }
}
