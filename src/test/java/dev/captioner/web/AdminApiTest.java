package dev.captioner.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Optional;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.config.DataPathException;
import dev.captioner.security.SecurityConfiguration;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.ModelConflictException;
import dev.captioner.store.ModelStorageException;
import dev.captioner.store.ModelStore;
import dev.captioner.training.job.InvalidJobRequestException;
import dev.captioner.training.job.JobStatus;
import dev.captioner.training.job.TrainingJobConflictException;
import dev.captioner.training.job.TrainingJobNotFoundException;
import dev.captioner.training.job.TrainingJobView;
import dev.captioner.training.job.TrainingJobViews;
import dev.captioner.training.job.TrainingJobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest({TrainingJobController.class, ModelAdminController.class})
@EnableConfigurationProperties(CaptionerProperties.class)
@Import(SecurityConfiguration.class)
@TestPropertySource(properties = {"captioner.admin.user=boss", "captioner.admin.password=s3cret"})
class AdminApiTest {

    private static final String REQUEST = """
            {"dataset":{"annotations":"coco/captions.json","images":"coco/images"},"epochs":2}""";
    private static final TrainingJobView QUEUED = new TrainingJobView(7, JobStatus.QUEUED, null, 0, null, null, null, null,
            null, 1, null, null, null, null, List.of(), null, null, null, null, null, null, null, null, null);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    TrainingJobs jobs;

    @MockitoBean
    TrainingJobViews views;

    @MockitoBean
    ModelStore store;

    @MockitoBean
    ModelRuntime runtime;

    @Test
    void missingCredentialsAre401ProblemWithChallenge() throws Exception {
        mvc.perform(get("/admin/training-jobs"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Basic realm=\"captioner admin\""))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:unauthorized"))
                .andExpect(jsonPath("$.title").value("Unauthorized"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.instance").value("/admin/training-jobs"));
        verify(views, never()).list(any(Integer.class));
    }

    @Test
    void wrongPasswordOrUserIs401() throws Exception {
        mvc.perform(get("/admin/models").with(httpBasic("boss", "wrong"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/admin/models").with(httpBasic("admin", "s3cret"))).andExpect(status().isUnauthorized());
        mvc.perform(post("/admin/training-jobs").contentType(MediaType.APPLICATION_JSON).content(REQUEST))
                .andExpect(status().isUnauthorized());
        verify(jobs, never()).submit(any());
    }

    @Test
    void submitIs202WithLocation() throws Exception {
        when(jobs.submit(any())).thenReturn(7L);
        when(views.get(7)).thenReturn(QUEUED);
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(REQUEST))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/admin/training-jobs/7"))
                .andExpect(jsonPath("$.id").value(7))
                .andExpect(jsonPath("$.status").value("QUEUED"));
    }

    @Test
    void badJsonIs400Problem() throws Exception {
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"dataset\": "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(""))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"epochs\": \"many\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content("[1, 2]"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"dataset\":{\"annotations\":\"a\",\"images\":\"b\",\"imgs\":1},\"learningrate\":0.1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("[learningrate, dataset.imgs]")));
        verify(jobs, never()).submit(any());
    }

    /** Spring's own detail was "Failed to read request"; Jackson's would name Java classes. */
    @Test
    void aBodyThatIsNotJsonIsSaidInWords() throws Exception {
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:invalid-json"))
                .andExpect(jsonPath("$.detail").value("the body is not valid JSON at line 1, column 2"));
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:invalid-json"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("Failed to read"))));
    }

    @Test
    void pathOutsideTheDataDirIs400() throws Exception {
        when(jobs.submit(any())).thenThrow(new DataPathException("'dataset.annotations' resolves outside", true));
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(REQUEST))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:path-outside-data-dir"));
    }

    @Test
    void invalidHyperParameterIs400() throws Exception {
        when(jobs.submit(any())).thenThrow(new InvalidJobRequestException("'epochs' must be greater than or equal to 1 (got 0)"));
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(REQUEST))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:invalid-job-request"))
                .andExpect(jsonPath("$.detail").value("'epochs' must be greater than or equal to 1 (got 0)"));
    }

    /** Only the exceptions the API means to throw are 4xx: a stray IllegalArgumentException is a bug, a 500. */
    @Test
    void anUnexpectedIllegalArgumentIsA500ProblemNotA400() throws Exception {
        when(jobs.submit(any())).thenThrow(new IllegalArgumentException("shape mismatch deep inside"));
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(REQUEST))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:internal-error"));
    }

    @Test
    void listLimitsAreCheckedByTheirDeclaredRange() throws Exception {
        mvc.perform(get("/admin/training-jobs?limit=0").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'limit'")));
        verify(views, never()).list(any(Integer.class));
    }

    @Test
    void aModelConflictIs409AndAStoreDiskFailureA500() throws Exception {
        when(store.exists("live")).thenReturn(true);
        when(store.activeId()).thenReturn(Optional.of("other"));
        when(runtime.current()).thenReturn(Optional.empty());
        org.mockito.Mockito.doThrow(new ModelStorageException("cannot delete model 'live': disk full", new java.io.IOException()))
                .when(runtime).delete("live");
        mvc.perform(delete("/admin/models/live").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:storage-failure"));
        when(jobs.submit(any())).thenThrow(new ModelConflictException("a model 'x' already exists"));
        mvc.perform(post("/admin/training-jobs").with(httpBasic("boss", "s3cret"))
                        .contentType(MediaType.APPLICATION_JSON).content(REQUEST))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:model-conflict"));
    }

    @Test
    void unknownJobIs404AndFinishedJobCannotBeCancelled() throws Exception {
        when(views.get(99)).thenThrow(new TrainingJobNotFoundException(99));
        org.mockito.Mockito.doThrow(new TrainingJobConflictException("job 7 is succeeded and cannot be cancelled"))
                .when(jobs).cancel(7);
        mvc.perform(get("/admin/training-jobs/99").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:no-such-job"));
        mvc.perform(post("/admin/training-jobs/7/cancel").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isConflict());
        mvc.perform(get("/admin/training-jobs/not-a-number").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isBadRequest());
    }

    @Test
    void theActiveModelCannotBeDeleted() throws Exception {
        when(store.exists("live")).thenReturn(true);
        org.mockito.Mockito.doThrow(new ModelConflictException("model 'live' is active; activate another model first"))
                .when(runtime).delete("live");
        mvc.perform(delete("/admin/models/live").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:captioner:problem:model-conflict"));
        verify(store, never()).delete(any());
        mvc.perform(delete("/admin/models/nope").with(httpBasic("boss", "s3cret")))
                .andExpect(status().isNotFound());
    }

    @Test
    void healthStaysPublicButOtherActuatorEndpointsAreNot() throws Exception {
        mvc.perform(get("/actuator/metrics")).andExpect(status().isUnauthorized());
    }
}
