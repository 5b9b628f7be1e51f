package dev.captioner.web;

import java.net.URI;
import java.util.List;

import dev.captioner.training.job.TrainingJobRequest;
import dev.captioner.training.job.TrainingJobView;
import dev.captioner.training.job.TrainingJobViews;
import dev.captioner.training.job.TrainingJobs;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Admin API for training jobs (HTTP Basic, see SecurityConfiguration). */
@RestController
@RequestMapping(path = "/admin/training-jobs", produces = MediaType.APPLICATION_JSON_VALUE)
class TrainingJobController {

    private final TrainingJobs jobs;
    private final TrainingJobViews views;
    private final JsonMapper json;

    TrainingJobController(TrainingJobs jobs, TrainingJobViews views, JsonMapper json) {
        this.jobs = jobs;
        this.views = views;
        this.json = json;
    }

    /** Queues a job; 202 with its {@code Location}. Paths in the request are relative to the data dir. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TrainingJobView> submit(@io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = TrainingJobRequest.class))) @RequestBody JsonNode body) {
        TrainingJobView job = views.get(jobs.submit(TrainingJobRequest.fromJson(body, json)));
        return ResponseEntity.accepted().location(URI.create("/admin/training-jobs/" + job.id())).body(job);
    }

    /** Newest first. */
    @GetMapping
    List<TrainingJobView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return views.list(limit);
    }

    @GetMapping("/{id}")
    TrainingJobView get(@PathVariable long id) {
        return views.get(id);
    }

    /** A queued job is cancelled at once, a running one at its next batch. */
    @PostMapping("/{id}/cancel")
    ResponseEntity<TrainingJobView> cancel(@PathVariable long id) {
        jobs.cancel(id);
        return ResponseEntity.accepted().body(views.get(id));
    }

    /** Continues a failed, interrupted or cancelled job from its last completed chunk or epoch. */
    @PostMapping("/{id}/restart")
    ResponseEntity<TrainingJobView> restart(@PathVariable long id) {
        jobs.restart(id);
        return ResponseEntity.accepted().location(URI.create("/admin/training-jobs/" + id)).body(views.get(id));
    }
}
