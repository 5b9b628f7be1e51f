package dev.captioner.training.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.captioner.config.DataDirectory;
import dev.captioner.language.Vocabulary;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.FeatureCache;
import dev.captioner.vision.FeatureEncoder;

/**
 * What one running job keeps in memory between its step iterations: the parsed dataset, the encoder, the
 * feature matrix and the trainer. Everything here can be rebuilt from the request and the job's folder,
 * which is what happens after a restart.
 */
final class JobState {

    final long jobId;
    final TrainingJobRequest request;
    final Path workDir;
    private final DataDirectory data;
    private JobDataset dataset;
    FeatureEncoder encoder;
    FeatureCache cache;
    Vocabulary vocabulary;
    float[][] features;
    DecoderTrainer.Run run;

    /** Progress within the current step (0..1), for status between the step's commits. */
    volatile String liveStep;
    volatile double liveFraction;
    /** Measured in this process while extracting features, for the ETA. */
    volatile double secondsPerEncodedImage;
    private double encodingSeconds;
    private long encodedImages;

    JobState(long jobId, TrainingJobRequest request, Path workDir, DataDirectory data) {
        this.jobId = jobId;
        this.request = request;
        this.workDir = workDir;
        this.data = data;
    }

    synchronized JobDataset dataset() {
        if (dataset == null) {
            try {
                dataset = JobDataset.load(request, data);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        return dataset;
    }

    Path dataRoot() {
        return data.root();
    }

    void live(String step, double fraction) {
        liveStep = step;
        liveFraction = fraction;
    }

    void recordEncoding(int images, double seconds) {
        encodedImages += images;
        encodingSeconds += seconds;
        secondsPerEncodedImage = encodingSeconds / encodedImages;
    }

    Path vocabularyFile() {
        return workDir.resolve("vocabulary.txt");
    }

    Path checkpointDir() {
        return workDir.resolve("checkpoint");
    }

    Path evaluationFile() {
        return workDir.resolve("evaluation.json");
    }
}
