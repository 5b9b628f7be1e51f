package dev.captioner.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.weights.TestServer.Replies;
import dev.captioner.weights.TestServer.Request;
import dev.captioner.weights.TestServer.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsFetcherTest {

    private static final int SIZE = 3 * 1024 * 1024;
    private static final byte[] WEIGHTS = TestBytes.hdf5(SIZE, 42);
    private static final int CUT = 1024 * 1024;
    private static final String FILE = WeightsFormat.KERAS_H5.fileName();
    // short enough for a fast suite; a stalled read is detected by the timeout firing, never by the test's clock
    private static final FetchSettings FAST = new FetchSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
            Duration.ofMillis(1), Duration.ofMillis(4));

    @TempDir
    Path installDir;

    private TestServer server;
    private final RecordingListener listener = new RecordingListener();
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = TestServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aGoodDownloadIsVerifiedAndInstalled() throws Exception {
        server.route("/w.h5", WEIGHTS);
        InstalledWeight installed = fetcher(FAST).fetch(List.of(keras("mirror", "/w.h5")), installDir);

        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
        assertThat(installed.sha256()).isEqualTo(TestBytes.sha256(WEIGHTS));
        assertThat(installed.matchedChecksum()).isEqualTo(md5(WEIGHTS).toString());
        assertThat(installed.size()).isEqualTo(SIZE);
        assertThat(installed.sourceName()).isEqualTo("mirror");
        assertThat(installed.sourceUrl()).isEqualTo(server.uri("/w.h5").toString());
        assertThat(new InstalledWeights(installDir).list()).containsExactly(installed);
        assertThat(new InstalledWeights(installDir).find("imagenet")).contains(installed);
        assertThat(installDir.resolve(".partial")).doesNotExist();
        assertThat(listener.events).containsExactly(
                "started mirror attempt 1 from 0 of " + SIZE,
                "verifying " + FILE + ".part",
                "installed " + FILE + " from mirror");
        assertThat(listener.lastProgress()).containsExactly(SIZE, SIZE);
        assertThat(listener.progress.size()).as("progress reports for 3 MB").isLessThanOrEqualTo(101);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aWrongChecksumIsRefusedAndNothingIsInstalled() throws Exception {
        Route route = server.route("/w.h5", WEIGHTS);
        byte[] other = TestBytes.hdf5(SIZE, 43);
        WeightsSource source = new WeightsSource("mirror", WeightsFormat.KERAS_H5, server.uri("/w.h5"), md5(other),
                SIZE);

        assertThatThrownBy(() -> fetcher(FAST).fetch(List.of(source), installDir))
                .isInstanceOf(WeightsFetchException.class)
                .hasMessageContaining("checksum mismatch: expected " + md5(other) + " got " + md5(WEIGHTS));
        assertThat(route.requests()).as("a wrong file is not downloaded again").hasSize(1);
        assertThat(installDir.resolve(FILE)).doesNotExist();
        assertThat(installDir.resolve("installed.json")).doesNotExist();
        assertThat(installDir.resolve(".partial")).as("the bad download is deleted").doesNotExist();
    }

    @Test
    void anInstalledFileIsReplacedOnlyByAVerifiedOne() throws Exception {
        server.route("/good.h5", WEIGHTS);
        InstalledWeight good = fetcher(FAST).fetch(List.of(keras("good", "/good.h5")), installDir);
        byte[] tampered = WEIGHTS.clone();
        tampered[SIZE / 2] ^= 1;
        server.route("/tampered.h5", tampered);
        WeightsSource tamperedSource = new WeightsSource("tampered", WeightsFormat.KERAS_H5,
                server.uri("/tampered.h5"), md5(WEIGHTS), SIZE);

        assertThatThrownBy(() -> fetcher(FAST).fetch(List.of(tamperedSource), installDir))
                .hasMessageContaining("checksum mismatch");
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
        assertThat(new InstalledWeights(installDir).list()).containsExactly(good);
    }

    @Test
    void aServerThatStallsMidBodyFailsAfterTheReadTimeout() {
        // the stall outlasts the timeout sixty times over: the test ends only because the read timeout fires
        server.route("/w.h5", WEIGHTS).always(Replies.stallAfter(CUT, Duration.ofSeconds(60)));
        FetchSettings oneAttempt = new FetchSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofMillis(1), Duration.ofMillis(1));

        WeightsFetchException failure = catchThrowableOfType(
                () -> fetcher(oneAttempt).fetch(List.of(keras("stalling", "/w.h5")), installDir),
                WeightsFetchException.class);

        assertThat(failure.getMessage()).contains("stalling " + server.uri("/w.h5"),
                "attempt 1: read timed out after 1 s at byte " + CUT + " of " + SIZE);
        assertThat(failure.attempts()).extracting(FetchAttempt::reason)
                .containsExactly("read timed out after 1 s at byte " + CUT + " of " + SIZE);
        assertThat(installDir.resolve(FILE)).doesNotExist();
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheReadTimeout() {
        server.route("/w.h5", WEIGHTS).always((exchange, body) -> Thread.sleep(60_000));
        FetchSettings oneAttempt = new FetchSettings(Duration.ofSeconds(1), Duration.ofMillis(500), 1,
                Duration.ofMillis(1), Duration.ofMillis(1));

        assertThatThrownBy(() -> fetcher(oneAttempt).fetch(List.of(keras("silent", "/w.h5")), installDir))
                .hasMessageContaining("attempt 1: no response within 500 ms from 127.0.0.1");
    }

    @Test
    void anInterruptedDownloadResumesWithARangeRequest() throws Exception {
        Route route = server.route("/w.h5", WEIGHTS).next(Replies.closeAfter(CUT));
        fetcher(FAST).fetch(List.of(keras("mirror", "/w.h5")), installDir);

        assertThat(route.requests()).containsExactly(
                new Request(null, null),
                new Request("bytes=" + CUT + "-", TestServer.ETAG));
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
        assertThat(listener.events).contains(
                "started mirror attempt 1 from 0 of " + SIZE,
                "started mirror attempt 2 from " + CUT + " of " + SIZE);
        assertThat(listener.failures).singleElement().satisfies(failure ->
                assertThat(failure.reason()).endsWith("at byte " + CUT + " of " + SIZE));
        assertThat(sleeps).containsExactly(Duration.ofMillis(1));
        assertThat(installDir.resolve(".partial")).doesNotExist();
    }

    @Test
    void aPartialDownloadLeftByOneFetchIsResumedByTheNext() throws Exception {
        Route route = server.route("/w.h5", WEIGHTS).next(Replies.closeAfter(CUT));
        FetchSettings oneAttempt = new FetchSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofMillis(1), Duration.ofMillis(1));
        List<WeightsSource> sources = List.of(keras("mirror", "/w.h5"));

        assertThatThrownBy(() -> fetcher(oneAttempt).fetch(sources, installDir))
                .isInstanceOf(WeightsFetchException.class);
        assertThat(installDir.resolve(".partial").resolve(FILE + ".part")).hasSize(CUT);
        assertThat(installDir.resolve(FILE)).doesNotExist();

        fetcher(oneAttempt).fetch(sources, installDir);
        assertThat(route.requests()).extracting(Request::range).containsExactly(null, "bytes=" + CUT + "-");
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
    }

    @Test
    void aServerIgnoringTheRangeIsDownloadedFromTheStartAgain() throws Exception {
        Route route = server.route("/w.h5", WEIGHTS).next(Replies.closeAfter(CUT)).always(Replies.ignoringRange());
        fetcher(FAST).fetch(List.of(keras("mirror", "/w.h5")), installDir);

        assertThat(route.requests()).extracting(Request::range).containsExactly(null, "bytes=" + CUT + "-");
        assertThat(listener.events).contains("started mirror attempt 2 from 0 of " + SIZE);
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
    }

    @Test
    void aPartialResponseFromTheWrongByteIsDiscarded() throws Exception {
        Route route = server.route("/w.h5", WEIGHTS).next(Replies.closeAfter(CUT), Replies.partialFrom(CUT / 2));
        fetcher(FAST).fetch(List.of(keras("mirror", "/w.h5")), installDir);

        assertThat(route.requests()).extracting(Request::range).containsExactly(null, "bytes=" + CUT + "-", null);
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
    }

    @Test
    void aCompletePartialDownloadAnswered416IsInstalled() throws Exception {
        // a run that stopped after the last byte but before it installed
        Route route = server.route("/w.h5", WEIGHTS);
        PartialDownload partial = new PartialDownload(installDir, FILE);
        partial.restart(server.uri("/w.h5"), TestServer.ETAG, SIZE);
        Files.write(partial.file(), WEIGHTS);

        fetcher(FAST).fetch(List.of(keras("mirror", "/w.h5")), installDir);
        assertThat(route.requests()).extracting(Request::range).containsExactly("bytes=" + SIZE + "-");
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
    }

    @Test
    void a404AndARefusedConnectionMoveOnToTheNextSource() throws Exception {
        Route missing = server.route("/missing.h5", new byte[0]).always(Replies.status(404));
        server.route("/w.h5", WEIGHTS);
        List<WeightsSource> sources = List.of(keras("missing", "/missing.h5"), refusedSource(), keras("good", "/w.h5"));

        InstalledWeight installed = fetcher(FAST).fetch(sources, installDir);

        assertThat(installed.sourceName()).isEqualTo("good");
        assertThat(missing.requests()).as("a 404 is not retried").hasSize(1);
        assertThat(listener.failures).extracting(FetchAttempt::toString).containsExactly(
                "missing attempt 1: HTTP 404 Not Found",
                "refused attempt 1: connection refused",
                "refused attempt 2: connection refused",
                "refused attempt 3: connection refused");
        assertThat(sleeps).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2));
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
    }

    @Test
    void whenEverySourceFailsTheMessageListsEachSourceAndWhy() throws Exception {
        server.route("/missing.h5", new byte[0]).always(Replies.status(404));
        WeightsSource refused = refusedSource();
        List<WeightsSource> sources = List.of(keras("missing", "/missing.h5"), refused);

        WeightsFetchException failure = catchThrowableOfType(() -> fetcher(FAST).fetch(sources, installDir),
                WeightsFetchException.class);

        assertThat(failure).hasMessage(String.join("\n",
                "could not fetch the VGG16 weights from any of 2 sources:",
                "  missing " + server.uri("/missing.h5"),
                "    attempt 1: HTTP 404 Not Found",
                "  refused " + refused.url(),
                "    attempt 1: connection refused",
                "    attempt 2: connection refused",
                "    attempt 3: connection refused"));
        assertThat(failure.attempts()).extracting(FetchAttempt::source).containsExactly(sources.get(0), refused,
                refused, refused);
        assertThat(new InstalledWeights(installDir).list()).isEmpty();
    }

    @Test
    void a503IsRetriedAfterABackoff() throws Exception {
        Route route = server.route("/w.h5", WEIGHTS).next(Replies.status(503));
        fetcher(FAST).fetch(List.of(keras("mirror", "/w.h5")), installDir);

        assertThat(route.requests()).hasSize(2);
        assertThat(listener.failures).extracting(FetchAttempt::reason).containsExactly("HTTP 503 Service Unavailable");
        assertThat(sleeps).containsExactly(Duration.ofMillis(1));
        assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
    }

    @Test
    void redirectsAreFollowedAcrossServers() throws Exception {
        try (TestServer other = TestServer.start()) {
            other.route("/final.h5", WEIGHTS);
            server.route("/old.h5", new byte[0]).always(Replies.redirect("/moved.h5"));
            server.route("/moved.h5", new byte[0]).always(Replies.redirect(other.uri("/final.h5").toString()));

            InstalledWeight installed = fetcher(FAST).fetch(List.of(keras("mirror", "/old.h5")), installDir);

            assertThat(installDir.resolve(FILE)).hasBinaryContent(WEIGHTS);
            assertThat(installed.sourceUrl()).as("the source's URL, not a redirect target that may expire")
                    .isEqualTo(server.uri("/old.h5").toString());
        }
    }

    @Test
    void aRedirectLoopGivesUpOnTheSource() {
        Route loop = server.route("/loop.h5", new byte[0]).always(Replies.redirect("/loop.h5"));
        assertThatThrownBy(() -> fetcher(FAST).fetch(List.of(keras("loop", "/loop.h5")), installDir))
                .hasMessageContaining("attempt 1: more than 5 redirects");
        assertThat(loop.requests()).hasSize(6);
    }

    @Test
    void aServerAnnouncingTheWrongSizeIsNotDownloaded() {
        Route route = server.route("/w.h5", WEIGHTS);
        WeightsSource source = new WeightsSource("mirror", WeightsFormat.KERAS_H5, server.uri("/w.h5"), md5(WEIGHTS),
                SIZE + 1);
        assertThatThrownBy(() -> fetcher(FAST).fetch(List.of(source), installDir))
                .hasMessageContaining("size mismatch: expected " + (SIZE + 1) + " bytes, the server announces " + SIZE);
        assertThat(route.requests()).hasSize(1);
        assertThat(listener.events).noneMatch(event -> event.startsWith("started"));
    }

    @Test
    void anErrorPageWithTheRightChecksumIsStillNotAWeightsFile() {
        byte[] page = "<!DOCTYPE html><html>rate limited</html>".getBytes(StandardCharsets.UTF_8);
        server.route("/w.h5", page);
        WeightsSource source = new WeightsSource("mirror", WeightsFormat.KERAS_H5, server.uri("/w.h5"), md5(page),
                WeightsSource.UNKNOWN_SIZE);
        assertThatThrownBy(() -> fetcher(FAST).fetch(List.of(source), installDir))
                .hasMessageContaining("not an HDF5 file: it starts with 3c 21 44 4f 43 54 59 50");
        assertThat(installDir.resolve(FILE)).doesNotExist();
    }

    @Test
    void aZipOfUnknownSizeStreamedWithoutALengthIsVerifiedByAdler32() throws Exception {
        byte[] zip = TestBytes.zip(700_000, 5);
        server.route("/z.zip", zip).always((exchange, body) -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
            exchange.getResponseBody().write(body);
        });
        WeightsSource source = new WeightsSource("zoo", WeightsFormat.DL4J_ZIP, server.uri("/z.zip"),
                TestBytes.checksum(ChecksumAlgorithm.ADLER32, zip), WeightsSource.UNKNOWN_SIZE);

        InstalledWeight installed = fetcher(FAST).fetch(List.of(source), installDir);

        assertThat(installed.format()).isEqualTo(WeightsFormat.DL4J_ZIP);
        assertThat(installed.matchedChecksum()).startsWith("adler32:");
        assertThat(installDir.resolve("vgg16_dl4j_inference.zip")).hasBinaryContent(zip);
        assertThat(listener.events).first().isEqualTo("started zoo attempt 1 from 0 of -1");
        assertThat(listener.lastProgress()).containsExactly(zip.length, -1);
    }

    private WeightsFetcher fetcher(FetchSettings settings) {
        return new WeightsFetcher(settings, sleeps::add, listener);
    }

    private WeightsSource keras(String name, String path) {
        return new WeightsSource(name, WeightsFormat.KERAS_H5, server.uri(path), md5(WEIGHTS), SIZE);
    }

    private static WeightsSource refusedSource() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return new WeightsSource("refused", WeightsFormat.KERAS_H5, URI.create("http://127.0.0.1:" + port + "/w.h5"),
                md5(WEIGHTS), SIZE);
    }

    private static ExpectedChecksum md5(byte[] bytes) {
        return TestBytes.checksum(ChecksumAlgorithm.MD5, bytes);
    }
}
