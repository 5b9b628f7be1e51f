package dev.captioner.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for the requests a proper client refuses to send (duplicate Content-Length, NUL in a
 * header, bad chunk sizes, pipelining): bytes go out exactly as given, and responses are parsed leniently so that
 * whatever the server answers, HTML or half a response, is seen as it is.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** One response as it came off the wire; 1xx ones included. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One connection; each read waits at most the time given to it. */
    static final class Connection implements Closeable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Whether the server has started answering (or closed), without waiting. */
        boolean answered() throws IOException {
            return in.available() > 0;
        }

        /**
         * The next response; a {@link SocketTimeoutException} when none has come by {@code timeout}, an
         * {@link EOFException} when the server closed before a whole one arrived.
         */
        Response read(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            String statusLine = line(deadline);
            while (statusLine.isEmpty()) {
                statusLine = line(deadline);
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1].trim());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String header = line(deadline); !header.isEmpty(); header = line(deadline)) {
                int colon = header.indexOf(':');
                String name = (colon < 0 ? header : header.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(colon < 0 ? "" : header.substring(colon + 1).trim());
            }
            Response head = new Response(status, headers, new byte[0]);
            if (status < 200 || status == 204 || status == 304) {
                return head;
            }
            String length = head.header("content-length");
            byte[] body;
            if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
                body = chunked(deadline);
            } else if (length != null) {
                body = exactly(Integer.parseInt(length), deadline);
            } else {
                body = untilClosed(deadline);
            }
            return new Response(status, headers, body);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // the server already reset it: nothing left to release
            }
        }

        private int next(long deadline) throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no response in time");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            return b;
        }

        private String line(long deadline) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = next(deadline); b != '\n'; b = next(deadline)) {
                if (b != '\r') {
                    line.append((char) b);
                }
                if (line.length() > 65_536) {
                    throw new IOException("response line over 64 KB");
                }
            }
            return line.toString();
        }

        private byte[] exactly(int n, long deadline) throws IOException {
            byte[] body = new byte[n];
            for (int i = 0; i < n; i++) {
                body[i] = (byte) next(deadline);
            }
            return body;
        }

        private byte[] chunked(long deadline) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(deadline);
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!line(deadline).isEmpty()) {
                        // trailers: not looked at
                    }
                    return body.toByteArray();
                }
                body.write(exactly(n, deadline));
                line(deadline);
            }
        }

        private byte[] untilClosed(long deadline) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                while (true) {
                    body.write(next(deadline));
                }
            } catch (EOFException e) {
                return body.toByteArray();
            }
        }
    }
}
