package dev.captioner.training.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.config.DataDirectory;
import dev.captioner.language.Vocabulary;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.FeatureCache;
import dev.captioner.training.TrainingCheckpoint;
import dev.captioner.vision.FeatureEncoder;
import org.springframework.batch.core.job.JobInterruptedException;

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
    private FeatureCache cache;
    private Vocabulary vocabulary;
    private float[][] features;
    DecoderTrainer.Run run;

    /** Progress within the current step (0..1), for status between the step's commits. */
    volatile TrainingStep liveStep;
    volatile double liveFraction;
    /** The epoch being trained, after its latest batch; null until this process has trained a batch. */
    volatile EpochProgress epochProgress;
    EpochProgressRecorder epochRecorder;
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

    /** Size of the training and validation annotation files, for the memory estimate. */
    long annotationBytes() throws IOException {
        long bytes = Files.size(data.existingFile(request.dataset().annotations(), "dataset.annotations"));
        if (request.validation() != null) {
            bytes += Files.size(data.existingFile(request.validation().annotations(), "validation.annotations"));
        }
        return bytes;
    }

    Path dataRoot() {
        return data.root();
    }

    void live(TrainingStep step, double fraction) {
        liveStep = step;
        liveFraction = fraction;
    }

    void recordEncoding(int images, double seconds) {
        encodedImages += images;
        encodingSeconds += seconds;
        secondsPerEncodedImage = encodingSeconds / encodedImages;
    }

    /** Where this job's encoder keeps its features. */
    synchronized FeatureCache cache() {
        if (cache == null) {
            cache = new FeatureCache(dataRoot().resolve("features"), dataRoot(), request.encoderId(),
                    request.cachePrecision());
        }
        return cache;
    }

    /** The vocabulary the prepare step wrote (read back after a restart). */
    synchronized Vocabulary vocabulary() throws IOException {
        if (vocabulary == null) {
            vocabulary = Vocabulary.read(vocabularyFile());
        }
        return vocabulary;
    }

    synchronized void vocabulary(Vocabulary built) {
        vocabulary = built;
    }

    /** The training checkpoint, which the evaluate and register steps read the best decoder from. */
    TrainingCheckpoint checkpoint() throws IOException {
        return TrainingCheckpoint.read(checkpointDir())
                .orElseThrow(() -> new IllegalStateException("no training checkpoint in " + checkpointDir()));
    }

    /**
     * fc7 rows of all images (training, then validation) from the cache; null rows for skipped images. Reading
     * a large dataset's rows takes a while, so a cancel is honoured while reading ({@code states}).
     */
    float[][] features(JobStates states) throws IOException, JobInterruptedException {
        if (features == null) {
            List<Path> images = dataset().allImages();
            FeatureCache cache = cache();
            float[][] rows = new float[images.size()][];
            for (int i = 0; i < rows.length; i++) {
                if (i % 1000 == 0) {
                    states.stopIfCancelled(jobId);
                }
                rows[i] = cache.get(images.get(i)).orElse(null);
            }
            features = rows;
        }
        return features;
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
