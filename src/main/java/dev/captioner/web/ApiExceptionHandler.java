package dev.captioner.web;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

import dev.captioner.config.DataPathException;
import dev.captioner.config.Excerpt;
import dev.captioner.language.InvalidCaptionOptionsException;
import dev.captioner.serving.ModelUnavailableException;
import dev.captioner.serving.NoAttentionException;
import dev.captioner.serving.ServiceBusyException;
import dev.captioner.store.ModelConflictException;
import dev.captioner.store.ModelStorageException;
import dev.captioner.store.ModelStoreException;
import dev.captioner.training.job.InvalidJobRequestException;
import dev.captioner.training.job.TrainingJobConflictException;
import dev.captioner.training.job.TrainingJobNotFoundException;
import dev.captioner.upload.UploadRejectedException;
import dev.captioner.vision.ImageRejectedException;
import dev.captioner.weights.WeightsUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error as RFC 9457 {@code application/problem+json}. Spring MVC's own exceptions (missing part,
 * unsupported content type, upload too large, unknown path, ...) are mapped by the base class; the ones
 * below are the service's.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String RETRY_AFTER_SECONDS = "10";
    static final String NO_ACTIVE_MODEL = "no-active-model";

    @ExceptionHandler(ImageRejectedException.class)
    ResponseEntity<ProblemDetail> imageRejected(ImageRejectedException e) {
        return imageProblem(e);
    }

    /** The problem an image the decoder refuses gets, alone or as one entry of a batch. */
    static ResponseEntity<ProblemDetail> imageProblem(ImageRejectedException e) {
        HttpStatus status = switch (e.getReason()) {
            case UNSUPPORTED_FORMAT -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TOO_MANY_PIXELS -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.BAD_REQUEST;
        };
        return problem(status, "image-" + e.getReason().name().toLowerCase().replace('_', '-'), e.getMessage());
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "image-too-large", e.getMessage());
    }

    @ExceptionHandler(DataPathException.class)
    ResponseEntity<ProblemDetail> badPath(DataPathException e) {
        return problem(HttpStatus.BAD_REQUEST, e.isOutsideDataDirectory() ? "path-outside-data-dir" : "invalid-path",
                e.getMessage());
    }

    @ExceptionHandler(TrainingJobNotFoundException.class)
    ResponseEntity<ProblemDetail> noSuchJob(TrainingJobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "no-such-job", e.getMessage());
    }

    @ExceptionHandler(ModelAdminController.ModelNotFoundException.class)
    ResponseEntity<ProblemDetail> noSuchModel(ModelAdminController.ModelNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "no-such-model", e.getMessage());
    }

    /** A job that is not in a state for that (cancel a finished job, restart a running one). */
    @ExceptionHandler(TrainingJobConflictException.class)
    ResponseEntity<ProblemDetail> jobConflict(TrainingJobConflictException e) {
        return problem(HttpStatus.CONFLICT, "job-conflict", e.getMessage());
    }

    /** A model id that is taken, or the active model asked to go. */
    @ExceptionHandler(ModelConflictException.class)
    ResponseEntity<ProblemDetail> modelConflict(ModelConflictException e) {
        return problem(HttpStatus.CONFLICT, "model-conflict", e.getMessage());
    }

    /** The store's disk failed: the service's fault, logged with its cause. */
    @ExceptionHandler(ModelStorageException.class)
    ResponseEntity<ProblemDetail> storageFailure(ModelStorageException e) {
        log.error("model store failure", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "storage-failure", e.getMessage());
    }

    /** A model that cannot be loaded or served (corrupt, or trained behind another encoder). */
    @ExceptionHandler(ModelStoreException.class)
    ResponseEntity<ProblemDetail> modelProblem(ModelStoreException e) {
        return problem(HttpStatus.CONFLICT, "model-unusable", e.getMessage());
    }

    /** A job asking for ImageNet weights that are not installed: the detail says how to install them. */
    @ExceptionHandler(WeightsUnavailableException.class)
    ResponseEntity<ProblemDetail> weightsMissing(WeightsUnavailableException e) {
        return problem(HttpStatus.BAD_REQUEST, "weights-not-installed", e.getMessage());
    }

    /** JSON that parsed but does not fit, e.g. {@code "epochs": "many"}: where, never Jackson's words (class names). */
    @ExceptionHandler(JacksonException.class)
    ResponseEntity<ProblemDetail> badJson(JacksonException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-json", jsonProblem(e));
    }

    /** A body that is not JSON at all (Spring's own detail says only "Failed to read request"). */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return asObject(problem(HttpStatus.BAD_REQUEST, "invalid-json",
                e.getCause() instanceof JacksonException jackson ? jsonProblem(jackson) : "the body is missing or not valid JSON"));
    }

    static String jsonProblem(JacksonException e) {
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String field = !e.getPath().isEmpty()
                ? " in '" + Excerpt.of(e.getPath().stream().map(ref -> ref.getPropertyName() != null
                        ? ref.getPropertyName() : "[" + ref.getIndex() + "]").collect(Collectors.joining("."))) + "'"
                : "";
        return e instanceof StreamReadException
                ? "the body is not valid JSON" + where
                : "the JSON body does not fit the request's shape" + field + where;
    }

    @ExceptionHandler(InvalidCaptionOptionsException.class)
    ResponseEntity<ProblemDetail> badCaptionOption(InvalidCaptionOptionsException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-parameter", e.getMessage());
    }

    @ExceptionHandler(NoAttentionException.class)
    ResponseEntity<ProblemDetail> noAttention(NoAttentionException e) {
        return problem(HttpStatus.BAD_REQUEST, "no-attention", e.getMessage());
    }

    /** With {@code errors}, one {@code {field, message}} per offending field, for a form to show beside each. */
    @ExceptionHandler(InvalidJobRequestException.class)
    ResponseEntity<ProblemDetail> badJobRequest(InvalidJobRequestException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, "invalid-job-request", e.getMessage());
        if (!e.fieldErrors().isEmpty()) {
            response.getBody().setProperty("errors", e.fieldErrors().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(error -> new FieldProblem(error.getKey(), error.getValue())).toList());
        }
        return response;
    }

    /** One field's fault in a request body, as a problem's {@code errors} lists it. */
    record FieldProblem(String field, String message) {
    }

    /** Query parameters outside the ranges they declare (Bean Validation), every one named. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> "'"
                        + result.getMethodParameter().getParameterName() + "' " + error.getDefaultMessage()
                        + " (got " + Excerpt.of(result.getArgument()) + ")"))
                .sorted().collect(Collectors.joining("; "));
        return asObject(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", detail));
    }

    /** A parameter object (the caption options) with fields outside their declared ranges. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(error -> "'" + error.getField() + "' "
                        + (error.isBindingFailure() ? "is not " + kindOf(e.getBindingResult().getFieldType(error.getField()))
                                : error.getDefaultMessage())
                        + " (got " + Excerpt.of(error.getRejectedValue()) + ")")
                .sorted().collect(Collectors.joining("; "));
        return asObject(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", detail));
    }

    /**
     * Spring MVC's own wording quotes the input whole (a path variable, a query parameter, a content type): the
     * same words with an excerpt instead, and no Java type names.
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            if (e instanceof TypeMismatchException mismatch) {
                problem.setDetail("'" + mismatch.getPropertyName() + "' is not " + kindOf(mismatch.getRequiredType())
                        + " (got " + Excerpt.of(mismatch.getValue()) + ")");
            } else if (e instanceof HttpMediaTypeNotSupportedException unsupported && unsupported.getContentType() != null) {
                problem.setDetail("Content-Type '" + Excerpt.of(unsupported.getContentType()) + "' is not supported.");
            } else if (e instanceof NoResourceFoundException) {
                problem.setDetail("no resource at this path");
            }
        }
        return response;
    }

    /** What a parameter of this type must look like, in words. */
    private static String kindOf(@Nullable Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type != null && (Number.class.isAssignableFrom(type) || type == double.class || type == float.class)) {
            return "a number";
        }
        return "of the expected form";
    }

    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders()).body(response.getBody());
    }

    @ExceptionHandler(UploadRejectedException.class)
    ResponseEntity<ProblemDetail> uploadRejected(UploadRejectedException e) {
        return uploadProblem(e);
    }

    /** The problem of a refused upload, also for one part of a batch that is answered alone. */
    static ResponseEntity<ProblemDetail> uploadProblem(UploadRejectedException e) {
        return problem(HttpStatusCode.valueOf(e.status()), e.type(), e.getMessage());
    }

    @ExceptionHandler(ModelUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ModelUnavailableException e) {
        return unavailable(NO_ACTIVE_MODEL, e.getMessage(), RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<ProblemDetail> busy(ServiceBusyException e) {
        return unavailable(busyType(e), e.getMessage(), String.valueOf(e.retryAfterSeconds()));
    }

    static String busyType(ServiceBusyException e) {
        return e.reason() == ServiceBusyException.Reason.QUEUE_FULL ? "busy"
                : "busy-" + e.reason().name().toLowerCase().replace('_', '-');
    }

    private static ResponseEntity<ProblemDetail> unavailable(String type, String detail, String retryAfterSeconds) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.SERVICE_UNAVAILABLE, type, detail);
        return ResponseEntity.status(response.getStatusCode())
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(response.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "an unexpected error occurred");
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String type, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:captioner:problem:" + type));
        // preset, so the problem is written whatever the request's Accept header asks for (Accept: garbage too)
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** The problems Spring MVC words itself (405, 406, 415, missing parameters...), with the same preset type. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode status, WebRequest request) {
        HttpHeaders withType = new HttpHeaders();
        withType.putAll(headers);
        if (body instanceof ProblemDetail problem) {
            withType.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(URI.create("urn:captioner:problem:http-" + status.value()));
            }
        }
        return new ResponseEntity<>(body, withType, status);
    }
}
