package dev.captioner.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a source: the request (resuming the partial file with a Range request when it holds a prefix
 * of the same URL), the redirects, and the body written to the partial file. {@link HttpURLConnection} because
 * its read timeout bounds every read of the body, which {@code java.net.http.HttpClient}'s body streams do not.
 */
final class HttpDownload {

    private static final Logger log = LoggerFactory.getLogger(HttpDownload.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER_SIZE = 1 << 16;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
    private static final long UNKNOWN = -1;

    private final FetchSettings settings;
    private final FetchListener listener;

    HttpDownload(FetchSettings settings, FetchListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** Completes the partial file from {@code source}; returns the file's length. */
    long run(WeightsSource source, int attempt, PartialDownload partial) throws DownloadFailure {
        URI url = source.url();
        long resumeFrom = partial.resumeOffset(url);
        while (true) {
            String validator = resumeFrom > 0 ? partial.state().validator() : null;
            Response response = connect(url, resumeFrom, validator);
            HttpURLConnection connection = response.connection();
            try {
                int status = response.status();
                long knownTotal = resumeFrom > 0 ? partial.state().totalLength() : UNKNOWN;
                ContentRange range = ContentRange.parse(connection.getHeaderField("Content-Range"));
                if (status == HttpURLConnection.HTTP_OK) {
                    if (resumeFrom > 0) {
                        log.info("{} ignored the range request: downloading from byte 0 again", url);
                    }
                    long total = connection.getContentLengthLong();
                    requireExpectedSize(source, total, partial);
                    partial.restart(url, validatorOf(connection), total);
                    return receive(connection, source, attempt, partial, 0, total);
                }
                if (status == HttpURLConnection.HTTP_PARTIAL) {
                    boolean startsRight = range != null && range.start() == resumeFrom;
                    boolean sameTotal = knownTotal == UNKNOWN || range == null || range.total() == UNKNOWN
                            || range.total() == knownTotal;
                    if (resumeFrom > 0 && !(startsRight && sameTotal)) {
                        log.info("{} answered the range request from byte {} with {}: downloading from byte 0 again",
                                url, resumeFrom, connection.getHeaderField("Content-Range"));
                        partial.discard();
                        resumeFrom = 0;
                        continue;
                    }
                    if (!startsRight) {
                        throw DownloadFailure.nextSource("HTTP 206 without a usable Content-Range ("
                                + connection.getHeaderField("Content-Range") + ")");
                    }
                    long total = range.total() != UNKNOWN ? range.total() : knownTotal;
                    requireExpectedSize(source, total, partial);
                    if (resumeFrom == 0) {
                        partial.restart(url, validatorOf(connection), total);
                    } else {
                        partial.resumed(url, validatorOf(connection), total);
                    }
                    return receive(connection, source, attempt, partial, resumeFrom, total);
                }
                if (status == 416 && resumeFrom > 0) {
                    long total = range != null && range.total() != UNKNOWN ? range.total() : knownTotal;
                    if (total == resumeFrom) {
                        // a run that stopped after the last byte but before installing: nothing left to send
                        listener.started(source, attempt, resumeFrom, total);
                        listener.progress(total, total);
                        return total;
                    }
                    partial.discard();
                    resumeFrom = 0;
                    continue;
                }
                String reason = "HTTP " + status + (response.message() == null ? "" : " " + response.message());
                throw isRetryableStatus(status) ? DownloadFailure.retryable(reason) : DownloadFailure.nextSource(reason);
            } finally {
                connection.disconnect();
            }
        }
    }

    /** A response's status line, read before its body; the connection is past any redirects. */
    private record Response(HttpURLConnection connection, int status, String message) {
    }

    // redirects are followed here: HttpURLConnection will not go from http to https or between protocols, and
    // GitHub release downloads redirect to another host
    private Response connect(URI url, long resumeFrom, String validator) throws DownloadFailure {
        URI target = url;
        for (int redirects = 0; ; redirects++) {
            HttpURLConnection connection = open(target, resumeFrom, validator);
            int status;
            String message;
            try {
                status = connection.getResponseCode();
                message = connection.getResponseMessage();
            } catch (SocketTimeoutException e) {
                connection.disconnect();
                throw DownloadFailure.retryable("no response within " + FetchSettings.describe(settings.readTimeout())
                        + " from " + target.getHost());
            } catch (IOException e) {
                connection.disconnect();
                throw DownloadFailure.retryable(describe(e));
            }
            if (!isRedirect(status)) {
                return new Response(connection, status, message);
            }
            String location = connection.getHeaderField("Location");
            connection.disconnect();
            if (location == null) {
                throw DownloadFailure.nextSource("HTTP " + status + " redirect without a Location header");
            }
            if (redirects == MAX_REDIRECTS) {
                throw DownloadFailure.nextSource("more than " + MAX_REDIRECTS + " redirects (the last to " + location
                        + ")");
            }
            target = resolveRedirect(target, location);
            log.debug("{} redirects to {}", url, target);
        }
    }

    private HttpURLConnection open(URI target, long resumeFrom, String validator) throws DownloadFailure {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) target.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw DownloadFailure.nextSource("cannot open " + target + ": " + e.getMessage());
        }
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout(settings.connectTimeoutMillis());
        connection.setReadTimeout(settings.readTimeoutMillis());
        connection.setUseCaches(false);
        connection.setRequestProperty("User-Agent", "captioner-weights");
        // a compressed body would have byte offsets that Range requests do not address
        connection.setRequestProperty("Accept-Encoding", "identity");
        if (resumeFrom > 0) {
            connection.setRequestProperty("Range", "bytes=" + resumeFrom + "-");
            if (validator != null) {
                connection.setRequestProperty("If-Range", validator);
            }
        }
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            throw DownloadFailure.retryable("connect timed out after "
                    + FetchSettings.describe(settings.connectTimeout()) + " (" + target.getHost() + ")");
        } catch (IOException e) {
            throw DownloadFailure.retryable(describe(e));
        }
        return connection;
    }

    private long receive(HttpURLConnection connection, WeightsSource source, int attempt, PartialDownload partial,
                         long start, long total) throws DownloadFailure {
        InputStream in;
        try {
            in = connection.getInputStream();
        } catch (IOException e) {
            throw DownloadFailure.retryable(describe(e) + " at byte " + start + of(total));
        }
        listener.started(source, attempt, start, total);
        // a server streaming without a length must still stop at the published size
        long limit = total != UNKNOWN ? total : source.expectedSize();
        ProgressThrottle progress = new ProgressThrottle(listener, start, total, System::nanoTime);
        long position = start;
        byte[] buffer = new byte[BUFFER_SIZE];
        try (OutputStream out = partial.append()) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    throw DownloadFailure.retryable("read timed out after "
                            + FetchSettings.describe(settings.readTimeout()) + " at byte " + position + of(total));
                } catch (IOException e) {
                    throw DownloadFailure.retryable(describe(e) + " at byte " + position + of(total));
                }
                if (n < 0) {
                    break;
                }
                if (limit != UNKNOWN && position + n > limit) {
                    partial.discard();
                    throw DownloadFailure.nextSource("the server sent more than the " + limit + " bytes expected");
                }
                out.write(buffer, 0, n);
                position += n;
                progress.update(position);
            }
        } catch (IOException e) {
            // reads are handled above: this is the local file, and another server would not help
            throw new UncheckedIOException("could not write " + partial.file(), e);
        }
        if (total != UNKNOWN && position < total) {
            throw DownloadFailure.retryable("connection closed at byte " + position + of(total));
        }
        progress.finish(position);
        return position;
    }

    private void requireExpectedSize(WeightsSource source, long total, PartialDownload partial)
            throws DownloadFailure {
        if (total != UNKNOWN && source.expectedSize() != WeightsSource.UNKNOWN_SIZE && total != source.expectedSize()) {
            partial.discard();
            throw DownloadFailure.nextSource("size mismatch: expected " + source.expectedSize()
                    + " bytes, the server announces " + total);
        }
    }

    private static URI resolveRedirect(URI from, String location) throws DownloadFailure {
        URI target;
        try {
            target = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw DownloadFailure.nextSource("redirect to an invalid URL: " + location);
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw DownloadFailure.nextSource("redirect to a URL that is not http(s): " + location);
        }
        return target;
    }

    // If-Range needs a strong validator: a weak ETag (W/"...") would make the server send the whole file anyway
    private static String validatorOf(HttpURLConnection connection) {
        String etag = connection.getHeaderField("ETag");
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return connection.getHeaderField("Last-Modified");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean isRetryableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static String of(long total) {
        return total == UNKNOWN ? "" : " of " + total;
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "cannot connect: " + message;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (e instanceof SSLException) {
            return "TLS failure: " + message;
        }
        if (message.toLowerCase(Locale.ROOT).contains("connection reset")) {
            return "connection reset";
        }
        if (message.toLowerCase(Locale.ROOT).contains("premature eof")) {
            return "connection closed";
        }
        return message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    /** A Content-Range header: {@code bytes 100-199/1000}, or {@code bytes *}{@code /1000} on a 416. */
    private record ContentRange(long start, long total) {

        static ContentRange parse(String header) {
            if (header == null) {
                return null;
            }
            Matcher matcher = CONTENT_RANGE.matcher(header.strip());
            if (!matcher.matches()) {
                return null;
            }
            long start = matcher.group(1) == null ? UNKNOWN : Long.parseLong(matcher.group(1));
            long total = matcher.group(3).equals("*") ? UNKNOWN : Long.parseLong(matcher.group(3));
            return new ContentRange(start, total);
        }
    }
}
