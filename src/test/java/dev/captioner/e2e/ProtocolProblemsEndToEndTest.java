package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every error is problem+json, also those answered before Spring MVC sees the request (Tomcat's own refusals,
 * Spring Security's firewall, the error page): raw bytes over a socket, as an attacker or a broken client would
 * send them, against the real application.
 */
class ProtocolProblemsEndToEndTest {

    private static RunningService service;

    @BeforeAll
    static void start() throws IOException {
        service = RunningService.start(Files.createTempDirectory("captioner-protocol"), Path.of("models"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    record Reply(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends the bytes as they are and reads the whole reply (the requests ask the server to close). */
    static Reply send(byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", service.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            try {
                in.transferTo(reply);
            } catch (IOException e) {
                // a reset after the reply: what was read is the reply
            }
            return parse(reply.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * A whole reply: its body framed as its headers say (all Content-Length bytes, or chunks up to the last,
     * empty one). A reply cut short fails: strict clients treat it as no reply at all.
     */
    static Reply parse(String text) {
        int split = text.indexOf("\r\n\r\n");
        assertThat(split).as("a reply with a whole head: " + text).isPositive();
        String head = text.substring(0, split);
        String rest = text.substring(split + 4);
        Reply headOnly = new Reply(Integer.parseInt(head.substring(9, 12)), head, "");
        String length = headOnly.header("Content-Length");
        if ("chunked".equalsIgnoreCase(headOnly.header("Transfer-Encoding"))) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = rest.indexOf("\r\n", at);
                assertThat(lineEnd).as("the reply ends before its last chunk: " + text).isNotNegative();
                int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                assertThat(rest.length()).as("the reply ends inside a chunk: " + text).isGreaterThanOrEqualTo(lineEnd + 2 + size);
                body.append(rest, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            return new Reply(headOnly.status(), head, body.toString());
        }
        if (length != null) {
            assertThat(rest.length()).as("the reply ends before its Content-Length: " + text)
                    .isGreaterThanOrEqualTo(Integer.parseInt(length));
            return new Reply(headOnly.status(), head, rest.substring(0, Integer.parseInt(length)));
        }
        return new Reply(headOnly.status(), head, rest);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed percent-escape in the query | POST /api/v1/captions?beamSize=%ZZ HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: image/png\\r\\nContent-Length: 1\\r\\nConnection: close\\r\\n\\r\\nx | 400",
            "a trailing percent in the query       | POST /api/v1/captions?mode=be% HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: image/png\\r\\nContent-Length: 1\\r\\nConnection: close\\r\\n\\r\\nx | 400",
            "a parameter without a name            | POST /api/v1/captions?= HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: image/png\\r\\nContent-Length: 1\\r\\nConnection: close\\r\\n\\r\\nx | 400",
            "a Content-Length that is not a number | POST /api/v1/captions HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: image/png\\r\\nContent-Length: abc\\r\\nConnection: close\\r\\n\\r\\nx | 400",
            "a NUL in a header                     | GET /actuator/health HTTP/1.1\\r\\nHost: x\\r\\nX-A: a\\u0000b\\r\\nConnection: close\\r\\n\\r\\n | 400",
            "an encoded slash in the path          | GET /api%2Fv1/captions HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | 400",
            "a double slash (firewall)             | GET //actuator/health HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | 400",
            "a path parameter (firewall)           | GET /actuator/health;jsessionid=1 HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | 400",
            "an unknown method (firewall)          | FOO /actuator/health HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | 400",
            "TRACE                                 | TRACE /api/v1/captions HTTP/1.1\\r\\nHost: x\\r\\nX-Secret: s\\r\\nConnection: close\\r\\n\\r\\n | 501",
            "GET /error                            | GET /error HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | 404",
            "Accept: garbage                       | POST /api/v1/captions HTTP/1.1\\r\\nHost: x\\r\\nAccept: garbage\\r\\nContent-Type: image/png\\r\\nContent-Length: 1\\r\\nConnection: close\\r\\n\\r\\nx | 406",
            "a request line that is not one        | GARBAGE\\r\\n\\r\\n | 400",
            "an HTTP version that does not exist   | GET / HTTP/2.5\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n | 505"})
    void answeredAsAProblem(String what, String request, int status) throws IOException {
        Reply reply = send(ascii(request.replace("\\r\\n", "\r\n").replace("\\u0000", "\u0000")));
        assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).as(what).startsWith("application/problem+json");
        assertThat(reply.body()).as(what).contains("\"status\":" + status).contains("urn:captioner:problem:")
                .doesNotContain("<html").doesNotContain("X-Secret").doesNotContain("Exception");
    }

    @Test
    void oversizedHeadersAreAProblemToo() throws IOException {
        Reply reply = send(ascii("GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "twenty small parts            | 400 | multipart-too-many-parts",
            "a part with 20 KB of headers  | 400 | multipart-part-headers-too-large",
            "a JSON body over 1 MB         | 413 | request-too-large",
            "a chunked image over 10 MB    | 413 | image-too-large",
            "a malformed chunk size        | 400 | invalid-body"})
    void bodiesAreRefusedForWhatIsWrongWithThem(String what, int status, String type) throws IOException {
        String boundary = "b0undary";
        String multipart = "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary="
                + boundary + "\r\nConnection: close\r\n";
        String request = switch (what) {
            case "twenty small parts" -> withLength(multipart, ("--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n").repeat(20) + "--" + boundary + "--\r\n");
            case "a part with 20 KB of headers" -> withLength(multipart, "--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"image\"\r\nX-Pad: " + "p".repeat(20_000)
                    + "\r\n\r\nx\r\n--" + boundary + "--\r\n");
            case "a JSON body over 1 MB" -> withLength("POST /admin/training-jobs HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Basic " + adminCredentials()
                    + "\r\nConnection: close\r\n", "{\"x\":\"" + "a".repeat(1_100_000) + "\"}");
            case "a chunked image over 10 MB" -> "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: image/png"
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + ("100000\r\n" + "a".repeat(0x100000) + "\r\n").repeat(11) + "0\r\n\r\n";
            case "a malformed chunk size" -> "POST /api/v1/captions HTTP/1.1\r\nHost: x\r\nContent-Type: image/png"
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
            default -> throw new IllegalArgumentException(what);
        };
        Reply reply = send(ascii(request));
        assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).as(what).startsWith("application/problem+json");
        assertThat(reply.body()).as(what).contains("urn:captioner:problem:" + type).doesNotContain("Exception")
                .doesNotContain("Maximum upload size");
    }

    private static String withLength(String head, String body) {
        return head + "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body;
    }

    private static String adminCredentials() {
        return Base64.getEncoder().encodeToString((RunningService.USER + ":" + RunningService.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void healthShowsDetailsOnlyToTheAdmin() throws IOException {
        Reply anonymous = send(ascii("GET /actuator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("diskSpace").doesNotContain("H2")
                .doesNotContain("path");
        String credentials = Base64.getEncoder().encodeToString((RunningService.USER + ":" + RunningService.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        Reply admin = send(ascii("GET /actuator/health HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + credentials
                + "\r\nConnection: close\r\n\r\n"));
        assertThat(admin.body()).contains("diskSpace").contains("model");
        Reply readiness = send(ascii("GET /actuator/health/readiness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }
}
