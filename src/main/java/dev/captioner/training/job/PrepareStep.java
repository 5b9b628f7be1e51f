package dev.captioner.training.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import dev.captioner.config.DataDirectory;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.AtomicFiles;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Reads the dataset, splits off validation images and builds the vocabulary from the training captions
 * (words seen at least {@code minWordCount} times), written to the job's folder so every later step and
 * every restart uses the same word ids.
 */
class PrepareStep extends JobStep {

    static final String TRAIN_IMAGES = "trainImages";
    static final String VALIDATION_IMAGES = "validationImages";
    static final String TRAIN_CAPTIONS = "trainCaptions";
    static final String VALIDATION_SOURCE = "validationSource";
    static final String VOCABULARY_SIZE = "vocabularySize";

    private final DataDirectory data;

    PrepareStep(JobStates states, DataDirectory data) {
        super(states);
        this.data = data;
    }

    @Override
    RepeatStatus iterate(JobState state, StepExecution step, StepContribution contribution) throws Exception {
        JobDataset dataset = state.dataset();
        // reading and tokenising a large dataset takes minutes: honour a cancel that came meanwhile
        states.stopIfCancelled(state.jobId);
        Vocabulary vocabulary = Vocabulary.build(dataset.train().allCaptions(), state.request.minWordCount());
        data.requireInsideForWriting(state.workDir, "the job's folder");
        Files.createDirectories(state.workDir);
        Path temp = state.workDir.resolve(".vocabulary-" + UUID.randomUUID());
        vocabulary.write(temp);
        AtomicFiles.move(temp, state.vocabularyFile());
        state.vocabulary(vocabulary);

        ExecutionContext context = step.getExecutionContext();
        context.putInt(TRAIN_IMAGES, dataset.train().size());
        context.putInt(VALIDATION_IMAGES, dataset.validation().size());
        context.putInt(TRAIN_CAPTIONS, dataset.train().allCaptions().size());
        context.putString(VALIDATION_SOURCE, dataset.validationSource());
        context.putInt(VOCABULARY_SIZE, vocabulary.size());
        return RepeatStatus.FINISHED;
    }
}
