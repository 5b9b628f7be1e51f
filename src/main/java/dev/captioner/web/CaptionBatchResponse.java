package dev.captioner.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** JSON body of a batch caption request: one entry per image part, in the order they came. */
public record CaptionBatchResponse(List<Entry> results) {

    /**
     * One image's result: the fields a single request's answer has, or {@code problem}, the problem that image
     * alone would get; either way with the part's file name when it gave one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(@Schema(description = "the part's file name, when it gave one") String filename,
                        @JsonUnwrapped CaptionResponse caption,
                        @Schema(description = "why this image was refused, as an RFC 9457 problem") ProblemJson problem) {

        static Entry captioned(String filename, CaptionResponse caption) {
            return new Entry(filename, caption, null);
        }

        static Entry problem(String filename, ResponseEntity<ProblemDetail> problem) {
            return new Entry(filename, null, ProblemJson.of(problem.getBody()));
        }
    }

    /** An RFC 9457 problem inside the body, as a single request's problem+json answer would have it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProblemJson(String type, String title, int status, String detail) {

        static ProblemJson of(ProblemDetail problem) {
            return new ProblemJson(String.valueOf(problem.getType()), problem.getTitle(), problem.getStatus(),
                    problem.getDetail());
        }
    }
}
