package dev.captioner.upload;

import java.time.Duration;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;

/**
 * How large a body may be, by where it goes: an image upload (raw, or multipart with room for its boundaries and
 * small fields) or anything else (JSON requests); how long it may take to arrive; and how much of a refused
 * body is still read and dropped so the client sees the answer.
 *
 * @param imagePaths       paths that take an image as their body
 * @param maxImage         an image sent as the raw body
 * @param multipartOverhead what a multipart image upload may add around the image
 * @param maxOther         every other body
 * @param maxReceiveTime   from the first byte of the body to the last
 * @param maxStall         the longest a body may stop arriving; kept under the container's connection timeout,
 *                         which closes the connection without an answer
 * @param maxDrain         bytes of a refused body read and dropped before the connection is closed instead
 */
public record BodyLimits(Set<String> imagePaths, long maxImage, long multipartOverhead, long maxOther,
                         Duration maxReceiveTime, Duration maxStall, long maxDrain) {

    long limitFor(HttpServletRequest request) {
        if (!imagePaths.contains(request.getRequestURI())) {
            return maxOther;
        }
        return isMultipart(request) ? maxImage + multipartOverhead : maxImage;
    }

    /** The 413's problem type: image uploads keep theirs, whichever layer finds them too large. */
    String tooLargeType(HttpServletRequest request) {
        return imagePaths.contains(request.getRequestURI()) ? "image-too-large" : "request-too-large";
    }

    /** {@code size}: what the body declared, or -1 when it is chunked and was cut off past the limit. */
    String tooLargeDetail(HttpServletRequest request, long size, long limit) {
        String what = imagePaths.contains(request.getRequestURI()) ? "image upload" : "request body";
        return "the " + what + (size < 0 ? "" : " of " + size + " bytes") + " is over the limit of " + limit + " bytes";
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, MediaType.MULTIPART_FORM_DATA_VALUE, 0,
                MediaType.MULTIPART_FORM_DATA_VALUE.length());
    }
}
