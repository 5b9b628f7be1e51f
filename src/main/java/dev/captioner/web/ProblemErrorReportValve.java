package dev.captioner.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's last word on errors it answers itself, before Spring MVC sees the request (a malformed request line,
 * headers too large, a bad Content-Length, a NUL in a header, an encoded slash in the path, an unsupported HTTP
 * version): an RFC 9457 problem like every other error, instead of Tomcat's HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String detail = switch (status) {
            case 400 -> "the request is malformed: its request line, headers, Content-Length or path cannot be read";
            case 408 -> "the request was not received in time";
            case 413 -> "the request is too large";
            case 414 -> "the request line is too long";
            case 431 -> "the request's headers are too large";
            case 505 -> "that HTTP version is not supported";
            default -> "the request could not be processed";
        };
        String instance = request.getRequestURI();
        String body = "{\"type\":\"urn:captioner:problem:" + (status == 400 ? "malformed-request" : "http-" + status)
                + "\",\"title\":\"" + title(status) + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\""
                + (instance == null || !instance.startsWith("/") ? "" : ",\"instance\":\"" + json(instance) + "\"") + "}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client has gone or the response cannot take a body any more: nothing left to tell
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error " + status;
        };
    }

    /** The path as a JSON string: quotes, backslashes and control characters escaped. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
