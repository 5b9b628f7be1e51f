package dev.captioner.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (and browsed at {@code /swagger-ui.html}): title and
 * summary, the admin API's HTTP Basic scheme, and for every operation the problems it can answer with, so that a
 * client generated from the description knows the errors without reading the controllers. The problems are listed
 * here by path rather than on the controllers, in one table next to the README's.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String ADMIN_SCHEME = "adminBasic";
    static final String PROBLEM_SCHEMA = "ProblemDetail";
    static final String PROBLEM_JSON = "application/problem+json";

    /** A status of one operation and the problem types ({@code urn:captioner:problem:<kind>}) behind it. */
    record Problems(int status, String when, List<String> kinds) {
        Problems(int status, String when, String... kinds) {
            this(status, when, List.of(kinds));
        }
    }

    /** Answered before a controller runs, on any path: Tomcat, the firewall, the query decoding; and bugs. */
    private static final List<Problems> EVERY_OPERATION = List.of(
            new Problems(400, "a request line, header or query Tomcat, the firewall or the query decoding refuses",
                    "malformed-request", "request-rejected", "invalid-query"),
            new Problems(406, "an Accept header the API cannot answer", "http-406"),
            new Problems(500, "a bug (the log has the trace)", "internal-error"));

    /** Spring Security and the failed-login throttle, on every {@code /admin/**} operation. */
    private static final List<Problems> EVERY_ADMIN_OPERATION = List.of(
            new Problems(401, "no credentials, or wrong ones", "unauthorized"),
            new Problems(403, "a user the security rules do not let do that, or a signed-in browser session's "
                    + "request without its CSRF token (scripts send HTTP Basic and need none)", "forbidden",
                    "csrf-token-missing"),
            new Problems(429, "this client address is locked out after failed logins; Retry-After says for how long",
                    "too-many-failed-logins"));

    /** Bodies are received before the application sees them, within a size and a time. */
    private static final List<Problems> WITH_A_BODY = List.of(
            new Problems(408, "the body did not arrive in time, or so slowly that a waiting upload took its slot",
                    "request-timeout", "request-too-slow"));

    private static final Map<String, List<Problems>> BY_OPERATION = Map.ofEntries(
            Map.entry("POST " + CaptionController.PATH, List.of(
                    new Problems(400, "no image, not an image, a corrupt one, a bad multipart body or parameter, "
                            + "or attention=true for a model without attention", "image-empty", "image-not-an-image",
                            "image-corrupt", "multipart-field-missing", "multipart-unexpected-field",
                            "multipart-too-many-parts", "multipart-part-headers-too-large", "invalid-multipart",
                            "no-attention", "invalid-parameter", "invalid-body"),
                    new Problems(413, "an image over captioner.max-image-size, or another body over the upload limit",
                            "image-too-large", "request-too-large"),
                    new Problems(415, "a content type that is not an image, or an image format that is not supported",
                            "image-unsupported-format", "http-415"),
                    new Problems(422, "an image of more pixels than captioner.max-pixels", "image-too-many-pixels"),
                    new Problems(503, "no model is active, or the service is busy or shutting down; Retry-After says "
                            + "when to try again", "no-active-model", "busy", "busy-overloaded", "busy-decoding",
                            "busy-uploads", "busy-waited-too-long", "busy-shutting-down"))),
            Map.entry("POST " + CaptionBatchController.PATH, List.of(
                    new Problems(400, "more images than captioner.uploads.max-batch-images, no image part, a field "
                            + "other than image, a bad multipart body or parameter, or attention=true for a model "
                            + "without attention (a bad image is answered in its own entry)", "too-many-images",
                            "multipart-field-missing", "multipart-unexpected-field", "multipart-too-many-parts",
                            "multipart-part-headers-too-large", "invalid-multipart", "no-attention",
                            "invalid-parameter"),
                    new Problems(413, "all images together over one upload's bound", "image-too-large",
                            "request-too-large"),
                    new Problems(415, "a body that is not multipart/form-data", "http-415"),
                    new Problems(503, "no model is active, or the service has no room for every image of the batch; "
                            + "Retry-After says when to try again", "no-active-model", "busy", "busy-overloaded",
                            "busy-decoding", "busy-uploads", "busy-waited-too-long", "busy-shutting-down"))),
            Map.entry("GET /api/v1/model", List.of(
                    new Problems(503, "no model is active yet (none stored, or still loading)", "no-active-model"))),
            Map.entry("GET /admin/training-jobs", List.of(
                    new Problems(400, "limit outside 1..1000", "invalid-parameter", "http-400"))),
            Map.entry("POST /admin/training-jobs", List.of(
                    new Problems(400, "a request that is not valid: bad JSON, an unknown field or a value out of range, "
                            + "a path that is wrong or leaves the data dir, ImageNet weights asked for but not "
                            + "installed, a memory estimate over the budget (invalid-job-request lists each "
                            + "offending field in errors: [{field, message}])", "invalid-job-request", "invalid-json",
                            "invalid-path", "path-outside-data-dir", "weights-not-installed"),
                    new Problems(409, "the model id is taken or reserved by another job, or the job asks to activate "
                            + "a model the service's encoder weights cannot serve", "model-conflict", "model-unusable"),
                    new Problems(413, "a body over captioner.uploads.max-other-body", "request-too-large"),
                    new Problems(415, "a body that is not application/json", "http-415"))),
            Map.entry("GET /admin/training-jobs/{id}", List.of(
                    new Problems(400, "an id that is not a whole number", "http-400"),
                    new Problems(404, "no such job", "no-such-job"))),
            Map.entry("POST /admin/training-jobs/{id}/cancel", List.of(
                    new Problems(400, "an id that is not a whole number", "http-400"),
                    new Problems(404, "no such job", "no-such-job"),
                    new Problems(409, "the job has finished", "job-conflict"))),
            Map.entry("POST /admin/training-jobs/{id}/restart", List.of(
                    new Problems(400, "an id that is not a whole number", "http-400"),
                    new Problems(404, "no such job", "no-such-job"),
                    new Problems(409, "the job is queued, running or has succeeded", "job-conflict"))),
            Map.entry("GET /admin/models/{id}", List.of(
                    new Problems(404, "no such model", "no-such-model"))),
            Map.entry("POST /admin/models/{id}/activate", List.of(
                    new Problems(404, "no such model", "no-such-model"),
                    new Problems(409, "a model that cannot be served (a broken manifest, other encoder weights), or "
                            + "one being deleted", "model-unusable", "model-conflict"),
                    new Problems(500, "ACTIVE could not be written; the old model keeps serving", "storage-failure"))),
            Map.entry("DELETE /admin/models/{id}", List.of(
                    new Problems(404, "no such model", "no-such-model"),
                    new Problems(409, "the active model, or one being activated", "model-conflict"),
                    new Problems(500, "the model store's disk failed", "storage-failure"))));

    /**
     * Answers other than springdoc's guess of 200 OK (it cannot see inside a {@code ResponseEntity}): the status
     * the controller sets, and a description.
     */
    private static final Map<String, Map.Entry<Integer, String>> SUCCESS = Map.of(
            "POST /admin/training-jobs", Map.entry(202, "queued; Location names the job"),
            "POST /admin/training-jobs/{id}/cancel", Map.entry(202, "cancelled, or to stop at its next batch"),
            "POST /admin/training-jobs/{id}/restart", Map.entry(202, "queued again"),
            "DELETE /admin/models/{id}", Map.entry(204, "deleted"));

    @Bean
    OpenAPI captionerOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("captioner")
                        .version("v1")
                        .description("Image captioning: VGG16 turns the image into features, and a decoder "
                                + "generates the words: an LSTM conditioned on the fc7 vector, or an LSTM with soft "
                                + "attention over the 14x14 conv5_3 grid, which can also say where it looked for "
                                + "every word (attention=true). POST an image to /api/v1/captions (public); the "
                                + "admin API under /admin trains, activates and deletes models, with HTTP Basic "
                                + "credentials. Every error is RFC 9457 application/problem+json, its type "
                                + "`urn:captioner:problem:<kind>`."))
                .components(new Components()
                        .addSecuritySchemes(ADMIN_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic")
                                .description("the admin user (CAPTIONER_ADMIN_USER, default admin) and "
                                        + "CAPTIONER_ADMIN_PASSWORD")));
    }

    /** After springdoc has read the controllers: the problems and the security requirement of every operation. */
    @Bean
    OpenApiCustomizer problemsAndAdminSecurity() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            // here rather than on the bean: springdoc drops the bean's schemas that no controller refers to, and
            // replaces its own ProblemDetail (Spring's class, read by reflection) by what the body really holds
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                boolean admin = path.startsWith("/admin/") || path.equals("/admin");
                List<Problems> problems = new ArrayList<>(EVERY_OPERATION);
                if (admin) {
                    problems.addAll(EVERY_ADMIN_OPERATION);
                    operation.setSecurity(List.of(new SecurityRequirement().addList(ADMIN_SCHEME)));
                }
                if (operation.getRequestBody() != null) {
                    problems.addAll(WITH_A_BODY);
                }
                String key = method.name() + " " + path;
                problems.addAll(BY_OPERATION.getOrDefault(key, List.of()));
                describe(operation, SUCCESS.get(key), problems);
            }));
        };
    }

    /** One response per status, its kinds merged, in status order after the operation's own answers. */
    private static void describe(Operation operation, Map.Entry<Integer, String> success, List<Problems> problems) {
        Map<Integer, List<Problems>> byStatus = new TreeMap<>();
        problems.forEach(p -> byStatus.computeIfAbsent(p.status(), s -> new ArrayList<>()).add(p));
        ApiResponses responses = new ApiResponses();
        if (operation.getResponses() != null) {
            // springdoc's guesses from the exception handlers (a bare problem for every status) give way to these
            operation.getResponses().forEach((code, response) -> {
                if (success != null && code.equals("200")) {
                    response.description(success.getValue());
                    if (success.getKey() == 204) {
                        response.setContent(null);
                    }
                    responses.addApiResponse(String.valueOf(success.getKey()), response);
                } else if (!isError(code)) {
                    responses.addApiResponse(code, response);
                }
            });
        }
        byStatus.forEach((status, sameStatus) -> responses.addApiResponse(String.valueOf(status),
                problemResponse(status, sameStatus)));
        operation.setResponses(responses);
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }

    private static ApiResponse problemResponse(int status, List<Problems> problems) {
        Set<String> kinds = new LinkedHashSet<>();
        problems.forEach(p -> kinds.addAll(p.kinds()));
        String when = String.join("; ", problems.stream().map(Problems::when).toList());
        ApiResponse response = new ApiResponse()
                .description(when + " (type urn:captioner:problem:" + String.join(", ", kinds) + ")")
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))));
        if (status == 429 || status == 503) {
            response.addHeaderObject("Retry-After", new Header()
                    .description("seconds until a retry may succeed")
                    .schema(new IntegerSchema()));
        }
        return response;
    }

    /** RFC 9457's members, as {@code ApiExceptionHandler} and {@code problem.ProblemWriter} write them. */
    private static Schema<?> problemSchema() {
        Schema<?> schema = new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri")
                        .description("urn:captioner:problem:<kind>, one of the kinds the response lists")
                        .example("urn:captioner:problem:image-too-large"))
                .addProperty("title", new StringSchema().description("the status's reason phrase")
                        .example("Content Too Large"))
                .addProperty("status", new IntegerSchema().description("the HTTP status").example(413))
                .addProperty("detail", new StringSchema().description("what is wrong, in words")
                        .example("the image is 12.4 MB, over the limit of 10 MB"))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("the request's path").example(CaptionController.PATH));
        schema.setRequired(List.of("type", "title", "status", "detail"));
        // later problems may carry more members; a client must not refuse them
        schema.setAdditionalProperties(true);
        return schema;
    }
}
