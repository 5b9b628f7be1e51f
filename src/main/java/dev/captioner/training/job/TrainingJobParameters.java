package dev.captioner.training.job;

import java.util.UUID;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's request as Spring Batch keeps it (a JSON job parameter, so a restart trains the same thing), and the
 * JSON of what steps record in their execution contexts: one place, with the application's JSON mapper.
 */
public final class TrainingJobParameters {

    static final String REQUEST = "request";
    /** Makes every submission its own job instance, even with an identical request. */
    static final String SUBMISSION = "submission";

    private final JsonMapper json;

    public TrainingJobParameters(JsonMapper json) {
        this.json = json;
    }

    JobParameters of(TrainingJobRequest request) {
        return new JobParametersBuilder()
                .addString(REQUEST, json.writeValueAsString(request), true)
                .addString(SUBMISSION, UUID.randomUUID().toString(), true)
                .toJobParameters();
    }

    TrainingJobRequest request(JobParameters parameters) {
        return json.readValue(parameters.getString(REQUEST), TrainingJobRequest.class);
    }

    JsonMapper json() {
        return json;
    }
}
