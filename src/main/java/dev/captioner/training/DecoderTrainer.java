package dev.captioner.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.HashSet;
import java.util.function.BooleanSupplier;

import dev.captioner.language.AttentionDecoder;
import dev.captioner.language.AttentionDimensions;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.DecoderDimensions;
import dev.captioner.language.DecoderGradients;
import dev.captioner.language.GridShape;
import dev.captioner.language.LstmDecoder;
import dev.captioner.compute.Workspaces;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a decoder (the fc7 LSTM, or the attention LSTM over a grid) on (image feature, caption) pairs: teacher forcing, masked softmax cross-entropy,
 * Adam, global-norm gradient clipping and dropout. Keeps the decoder with the lowest validation loss and
 * reports every epoch to a listener, which is where checkpoints are written.
 */
public final class DecoderTrainer {

    private static final Logger log = LoggerFactory.getLogger(DecoderTrainer.class);
    private static final String TRAINING_WORKSPACE = "captioner-decoder-training";

    /**
     * @param metrics caption metrics on the validation images (toolkit keys: Bleu_4, CIDEr, ...), empty when
     *                the trainer has no {@link ValidationMetrics}
     */
    public record EpochResult(int epoch, double trainLoss, double validationLoss, double seconds,
                              long tokens, double learningRate, Map<String, Double> metrics) {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    public interface EpochListener {
        void onEpoch(EpochResult result, CaptionDecoder decoder);
    }

    /**
     * Where an epoch stands after one of its batches (1-based, of {@code batches}).
     *
     * @param runningLoss   mean per-token training loss of the epoch's batches so far: after the last batch it is
     *                      the epoch's {@link EpochResult#trainLoss()}
     * @param lastBatchLoss mean per-token loss of this batch alone
     */
    public record BatchProgress(int epoch, int batch, int batches, double runningLoss, double lastBatchLoss) {
        public double fraction() {
            return (double) batch / batches;
        }
    }

    /** Told after every training batch; an epoch of COCO is thousands of batches and about an hour. */
    @FunctionalInterface
    public interface BatchListener {
        void onBatch(BatchProgress progress);
    }

    public record Result(CaptionDecoder best, int bestEpoch, List<EpochResult> epochs) {
    }

    /** Scores a decoder's captions of the validation images after each epoch. */
    @FunctionalInterface
    public interface ValidationMetrics {
        Map<String, Double> score(CaptionDecoder decoder);
    }

    private final TrainingConfig config;
    private final ValidationMetrics validationMetrics;
    private final GridShape grid;

    public DecoderTrainer(TrainingConfig config) {
        this(config, decoder -> Map.of());
    }

    public DecoderTrainer(TrainingConfig config, ValidationMetrics validationMetrics) {
        this(config, validationMetrics, null);
    }

    /** @param grid how the features are laid out as a grid; required for (and only used by) an attention decoder */
    public DecoderTrainer(TrainingConfig config, ValidationMetrics validationMetrics, GridShape grid) {
        if (config.attention() != null && grid == null) {
            throw new IllegalArgumentException("an attention decoder needs grid features (an encoder layer with a grid)");
        }
        this.config = config;
        this.validationMetrics = validationMetrics;
        this.grid = grid;
    }

    /**
     * @param features   one row per image
     * @param validation may be empty; then the last epoch's decoder is kept
     * @param cancelled  polled between batches so that a job can be stopped promptly
     */
    public Result train(float[][] features, List<CaptionExample> train, List<CaptionExample> validation,
                        int vocabularySize, EpochListener listener, BooleanSupplier cancelled) {
        return train(features, train, validation, vocabularySize, listener, cancelled, null);
    }

    /**
     * As above, writing a checkpoint after every epoch into {@code checkpointDir} (when not null) and, if a
     * checkpoint is already there, continuing from it. Each epoch's shuffle and dropout come from a random
     * generator seeded by (seed, epoch), so a resumed run ends with exactly the weights of an uninterrupted one.
     */
    public Result train(float[][] features, List<CaptionExample> train, List<CaptionExample> validation,
                        int vocabularySize, EpochListener listener, BooleanSupplier cancelled, Path checkpointDir) {
        Run run = start(features, train, validation, vocabularySize, checkpointDir);
        while (run.hasNextEpoch()) {
            EpochResult result = run.runEpoch(cancelled, batch -> { });
            listener.onEpoch(result, run.decoder());
        }
        return run.result();
    }

    /**
     * A training run advanced one epoch at a time, for callers (such as a batch job step) that commit their
     * own progress between epochs. Resumes from the checkpoint in {@code checkpointDir} if there is one.
     */
    public Run start(float[][] features, List<CaptionExample> train, List<CaptionExample> validation,
                     int vocabularySize, Path checkpointDir) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training captions");
        }
        return new Run(features, train, validation, vocabularySize, checkpointDir);
    }

    /** One training run's state between epochs. */
    public final class Run {

        private final List<CaptionExample> train;
        private final List<CaptionExample> validation;
        private final Path checkpointDir;
        private final INDArray featureMatrix;
        /** Feature-matrix row of each image index, -1 for images without features. */
        private final int[] rowOf;
        private final AdamOptimizer adam;
        private final List<EpochResult> history = new ArrayList<>();
        private CaptionDecoder decoder;
        private CaptionDecoder best;
        private int bestEpoch;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private double learningRate = config.learningRate();
        private int nextEpoch = 1;

        private Run(float[][] features, List<CaptionExample> train, List<CaptionExample> validation,
                    int vocabularySize, Path checkpointDir) {
            this.train = train;
            this.validation = validation;
            this.checkpointDir = checkpointDir;
            decoder = initialDecoder(features, train, vocabularySize);
            rowOf = new int[features.length];
            featureMatrix = Nd4j.create(readableRows(features, rowOf));
            adam = new AdamOptimizer(new HashSet<>(decoder.weightMatrices()), config.weightDecay());
            Optional<TrainingCheckpoint> checkpoint = readCheckpoint(checkpointDir);
            if (checkpoint.isPresent()) {
                TrainingCheckpoint.State state = checkpoint.get().state();
                decoder = checkpoint.get().decoder();
                best = checkpoint.get().best();
                adam.restore(checkpoint.get().firstMoments(), checkpoint.get().secondMoments(), state.optimizerSteps());
                history.addAll(state.history());
                bestEpoch = state.bestEpoch();
                bestLoss = state.bestLoss();
                learningRate = state.learningRate();
                nextEpoch = state.epoch() + 1;
                log.info("resuming training after epoch {} from {}", state.epoch(), checkpointDir);
            }
        }

        /** Rows of the feature matrix the run holds (native memory: rows x feature size floats). */
        public long featureRows() {
            return featureMatrix.rows();
        }

        public boolean hasNextEpoch() {
            return nextEpoch <= config.epochs();
        }

        /** Epochs finished so far, including those before a resume. */
        public List<EpochResult> history() {
            return List.copyOf(history);
        }

        public CaptionDecoder decoder() {
            return decoder;
        }

        /**
         * Trains one epoch, then scores it and writes the checkpoint.
         *
         * @param progress told after each batch where the epoch stands and its running loss
         */
        public EpochResult runEpoch(BooleanSupplier cancelled, BatchListener progress) {
            int epoch = nextEpoch;
            long start = System.nanoTime();
            Random random = new Random(config.seed() * 1_000_003L + epoch);
            List<CaptionExample> order = new ArrayList<>(train);
            Collections.shuffle(order, random);
            double lossSum = 0;
            long tokens = 0;
            int batches = (order.size() + config.batchSize() - 1) / config.batchSize();
            for (int from = 0; from < order.size(); from += config.batchSize()) {
                stopIfCancelled(cancelled);
                List<CaptionExample> batch = order.subList(from, Math.min(order.size(), from + config.batchSize()));
                double batchLoss;
                try (MemoryWorkspace ignored = Workspaces.open(TRAINING_WORKSPACE)) {
                    DecoderGradients g = decoder.lossAndGradients(rows(featureMatrix, rowOf, batch), sequences(batch),
                            config.dropout(), attentionRegularization(), random);
                    AdamOptimizer.clipByGlobalNorm(g.gradients(), config.gradientClipNorm());
                    adam.update(decoder.parameters(), g.gradients(), learningRate);
                    lossSum += g.loss() * g.tokens();
                    tokens += g.tokens();
                    batchLoss = g.loss();
                }
                progress.onBatch(new BatchProgress(epoch, from / config.batchSize() + 1, batches, lossSum / tokens,
                        batchLoss));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // scoring a large validation set takes minutes: a cancel is honoured between its batches too
            double validationLoss = validation.isEmpty() ? Double.NaN : loss(validation, cancelled);
            stopIfCancelled(cancelled);
            Map<String, Double> metrics = validationMetrics.score(decoder);
            stopIfCancelled(cancelled);
            EpochResult result = new EpochResult(epoch, lossSum / tokens, validationLoss, seconds, tokens, learningRate,
                    metrics);
            history.add(result);
            log.info("epoch {}: train loss {}, validation loss {}, {} tokens/s {}", epoch,
                    String.format("%.4f", result.trainLoss()), String.format("%.4f", validationLoss),
                    Math.round(result.tokensPerSecond()), metrics.isEmpty() ? "" : metrics);
            double selectionLoss = validation.isEmpty() ? -epoch : validationLoss;
            if (selectionLoss < bestLoss) {
                bestLoss = selectionLoss;
                best = decoder.copy();
                bestEpoch = epoch;
            }
            learningRate *= config.learningRateDecay();
            if (checkpointDir != null) {
                writeCheckpoint(checkpointDir, new TrainingCheckpoint(
                        new TrainingCheckpoint.State(epoch, learningRate, adam.steps(), bestEpoch, bestLoss, history),
                        decoder, best, adam.firstMoments(), adam.secondMoments()));
            }
            nextEpoch = epoch + 1;
            return result;
        }

        /** Mean per-token cross-entropy of the current decoder over a set of captions, in batches. */
        private double loss(List<CaptionExample> examples, BooleanSupplier cancelled) {
            double sum = 0;
            long tokens = 0;
            for (int from = 0; from < examples.size(); from += config.batchSize()) {
                stopIfCancelled(cancelled);
                List<CaptionExample> batch = examples.subList(from, Math.min(examples.size(), from + config.batchSize()));
                int[][] sequences = sequences(batch);
                long batchTokens = 0;
                for (int[] s : sequences) {
                    batchTokens += s.length - 1;
                }
                try (MemoryWorkspace ignored = Workspaces.open(TRAINING_WORKSPACE)) {
                    sum += decoder.loss(rows(featureMatrix, rowOf, batch), sequences) * batchTokens;
                }
                tokens += batchTokens;
            }
            return sum / tokens;
        }

        public Result result() {
            if (best == null) {
                throw new IllegalStateException("no epoch has been trained");
            }
            return new Result(best, bestEpoch, List.copyOf(history));
        }
    }

    private CaptionDecoder initialDecoder(float[][] features, List<CaptionExample> train, int vocabularySize) {
        int featureSize = features[train.get(0).imageIndex()].length;
        if (config.attention() == null) {
            float[][] stats = FeatureStatistics.meanAndScale(features, train);
            return LstmDecoder.initialize(
                    new DecoderDimensions(vocabularySize, config.embeddingSize(), config.hiddenSize(), featureSize),
                    stats[0], stats[1], config.seed(), DataType.FLOAT);
        }
        if (grid.featureSize() != featureSize) {
            throw new IllegalArgumentException("features of " + featureSize + " floats are not a " + grid.rows() + "x"
                    + grid.columns() + "x" + grid.channels() + " grid");
        }
        float[][] stats = FeatureStatistics.meanAndScale(features, train, grid.channels());
        return AttentionDecoder.initialize(new AttentionDimensions(vocabularySize, config.embeddingSize(),
                        config.hiddenSize(), grid.rows(), grid.columns(), grid.channels(), config.attention().attentionSize()),
                stats[0], stats[1], config.seed(), DataType.FLOAT);
    }

    private double attentionRegularization() {
        return config.attention() == null ? 0 : config.attention().regularization();
    }

    /**
     * Only images with features (readable files) get a row: an annotations file that lists 700k images of
     * which few exist would otherwise cost 16 KB of zeros per listed image. No caption refers to the others.
     */
    private static float[][] readableRows(float[][] features, int[] rowOf) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            rowOf[i] = features[i] != null ? rows.size() : -1;
            if (features[i] != null) {
                rows.add(features[i]);
            }
        }
        return rows.toArray(float[][]::new);
    }

    private static void stopIfCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new TrainingCancelledException();
        }
    }

    private static Optional<TrainingCheckpoint> readCheckpoint(Path checkpointDir) {
        if (checkpointDir == null) {
            return Optional.empty();
        }
        try {
            return TrainingCheckpoint.read(checkpointDir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("checkpoint in " + checkpointDir + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void writeCheckpoint(Path checkpointDir, TrainingCheckpoint checkpoint) {
        try {
            checkpoint.write(checkpointDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + checkpointDir, e);
        }
    }

    private static INDArray rows(INDArray features, int[] rowOf, List<CaptionExample> batch) {
        return Nd4j.pullRows(features, 1, batch.stream().mapToInt(example -> rowOf[example.imageIndex()]).toArray());
    }

    private static int[][] sequences(List<CaptionExample> batch) {
        return batch.stream().map(CaptionExample::sequence).toArray(int[][]::new);
    }
}
