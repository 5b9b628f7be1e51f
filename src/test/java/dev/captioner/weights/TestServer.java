package dev.captioner.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a free local port for download tests. Each path serves a body through a scripted
 * {@link Reply}: by default it honours Range requests; {@link Route#next} queues misbehaviour for the next
 * requests (cut the connection after some bytes, stall, answer 503...), {@link Route#always} replaces the default.
 * Every request's Range and If-Range headers are recorded.
 */
final class TestServer implements AutoCloseable {

    static final String ETAG = "\"v1\"";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    private TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers); // a stalled reply must not hold up the next request
        server.createContext("/", this::handle);
        server.start();
    }

    static TestServer start() throws IOException {
        return new TestServer();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    Route route(String path, byte[] body) {
        Route route = new Route(body);
        routes.put(path, route);
        return route;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow(); // interrupts stalled replies
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Route route = routes.get(exchange.getRequestURI().getPath());
            if (route == null) {
                Replies.status(404).send(exchange, new byte[0]);
                return;
            }
            Reply reply = route.take(new Request(exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("If-Range")));
            reply.send(exchange, route.body);
        } catch (IOException | InterruptedException e) {
            // the client went away, or the reply cut the connection on purpose
        }
    }

    /** The headers a request came with that matter for resuming. */
    record Request(String range, String ifRange) {
    }

    /** One path: its body, the replies queued for the next requests, and the requests seen. */
    static final class Route {
        private final byte[] body;
        private final Queue<Reply> queued = new ArrayDeque<>();
        private final List<Request> requests = new ArrayList<>();
        private Reply always = Replies.ranges();

        private Route(byte[] body) {
            this.body = body;
        }

        synchronized Route next(Reply... replies) {
            queued.addAll(List.of(replies));
            return this;
        }

        synchronized Route always(Reply reply) {
            always = reply;
            return this;
        }

        synchronized List<Request> requests() {
            return List.copyOf(requests);
        }

        private synchronized Reply take(Request request) {
            requests.add(request);
            return queued.isEmpty() ? always : queued.remove();
        }
    }

    @FunctionalInterface
    interface Reply {
        void send(HttpExchange exchange, byte[] body) throws IOException, InterruptedException;
    }

    static final class Replies {

        private Replies() {
        }

        /** 200 with the whole body, or 206 from the requested byte when there is a Range (and If-Range holds). */
        static Reply ranges() {
            return (exchange, body) -> sendFrom(exchange, body, requestedStart(exchange), body.length);
        }

        /** 200 with the whole body whatever the request says. */
        static Reply ignoringRange() {
            return (exchange, body) -> sendFrom(exchange, body, 0, body.length);
        }

        /** Like {@link #ranges} but the connection is cut once byte {@code end} of the body has been sent. */
        static Reply closeAfter(long end) {
            return (exchange, body) -> sendFrom(exchange, body, requestedStart(exchange), end);
        }

        /** Like {@link #ranges} but after byte {@code end} nothing more comes: the connection stays open. */
        static Reply stallAfter(long end, Duration stall) {
            return (exchange, body) -> {
                OutputStream out = sendFrom(exchange, body, requestedStart(exchange), end);
                out.flush();
                Thread.sleep(stall.toMillis());
            };
        }

        /** 206 from byte {@code start} whatever was asked for: a server that gets Range wrong. */
        static Reply partialFrom(long start) {
            return (exchange, body) -> sendPartial(exchange, body, start, body.length);
        }

        static Reply status(int status) {
            return (exchange, body) -> exchange.sendResponseHeaders(status, -1);
        }

        static Reply redirect(String location) {
            return (exchange, body) -> {
                exchange.getResponseHeaders().set("Location", location);
                exchange.sendResponseHeaders(302, -1);
            };
        }

        private static long requestedStart(HttpExchange exchange) {
            String range = exchange.getRequestHeaders().getFirst("Range");
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            if (range == null || ifRange != null && !ifRange.equals(ETAG)) {
                return 0;
            }
            Matcher matcher = RANGE.matcher(range);
            return matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
        }

        private static OutputStream sendFrom(HttpExchange exchange, byte[] body, long start, long end)
                throws IOException {
            if (start >= body.length && start > 0) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                exchange.sendResponseHeaders(416, -1);
                return exchange.getResponseBody();
            }
            if (start > 0) {
                return sendPartial(exchange, body, start, end);
            }
            exchange.getResponseHeaders().set("ETag", ETAG);
            exchange.sendResponseHeaders(200, body.length);
            return write(exchange, body, 0, end);
        }

        private static OutputStream sendPartial(HttpExchange exchange, byte[] body, long start, long end)
                throws IOException {
            exchange.getResponseHeaders().set("ETag", ETAG);
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length - start);
            return write(exchange, body, start, end);
        }

        private static OutputStream write(HttpExchange exchange, byte[] body, long start, long end)
                throws IOException {
            OutputStream out = exchange.getResponseBody();
            long stop = Math.min(end, body.length);
            if (stop > start) {
                out.write(body, (int) start, (int) (stop - start));
            }
            return out;
        }
    }
}
