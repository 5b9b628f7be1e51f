package dev.captioner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import com.sun.net.httpserver.HttpServer;
import dev.captioner.weights.InstalledWeights;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fetch-weights} end to end in-process, against a local HTTP server (no test reaches the internet:
 * each download uses {@code --url-only}): exit codes, what is installed, and what the user is told.
 */
class FetchWeightsCommandTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final byte[] weights = hdf5Bytes(300_000, 3);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/vgg16.h5", exchange -> {
            exchange.sendResponseHeaders(200, weights.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(weights);
            }
        });
        server.createContext("/missing.h5", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        CommandLine command = new CommandLine(new FetchWeightsCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private Path installDir() {
        return dir.resolve("data/weights/vgg16");
    }

    @Test
    void downloadsVerifiesInstallsAndLists() throws Exception {
        int exit = run("--data-dir", dir.resolve("data").toString(), "--url", url("/vgg16.h5"), "--url-only",
                "--sha256", sha256(weights));
        assertThat(exit).as(err.toString()).isZero();
        Path installed = installDir().resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        assertThat(Files.readAllBytes(installed)).isEqualTo(weights);
        assertThat(err.toString()).contains("installed " + installed).contains("sha256:" + sha256(weights));
        assertThat(new InstalledWeights(installDir()).find("imagenet")).isPresent();

        assertThat(run("--data-dir", dir.resolve("data").toString(), "--list")).isZero();
        assertThat(out.toString()).contains("imagenet").contains("in use").contains(installed.toString())
                .contains("from --url (" + url("/vgg16.h5") + ")");

        err.getBuffer().setLength(0);
        assertThat(run("--data-dir", dir.resolve("data").toString())).as("already installed: nothing to download").isZero();
        assertThat(err.toString()).contains("already installed and verified");
    }

    @Test
    void aWrongChecksumInstallsNothingAndExitsOne() {
        int exit = run("--data-dir", dir.resolve("data").toString(), "--url", url("/vgg16.h5"), "--url-only",
                "--md5", "0".repeat(32));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("checksum mismatch").contains("nothing was installed");
        assertThat(installDir().resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5")).doesNotExist();
    }

    @Test
    void aFailingSourceIsNamedWithItsReason() {
        int exit = run("--data-dir", dir.resolve("data").toString(), "--url", url("/missing.h5"), "--url-only",
                "--md5", "0".repeat(32));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("--url " + url("/missing.h5")).contains("404");
    }

    @Test
    void installsAFileDownloadedElsewhereOnlyWhenItsChecksumMatches() throws Exception {
        Path copy = Files.write(dir.resolve("downloaded.h5"), weights);
        assertThat(run("--data-dir", dir.resolve("data").toString(), "--file", copy.toString())).as("unknown file")
                .isEqualTo(1);
        assertThat(err.toString()).contains("matches none of the accepted checksums").contains("nothing was installed");
        assertThat(installDir().resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5")).doesNotExist();

        assertThat(run("--data-dir", dir.resolve("data").toString(), "--file", copy.toString(), "--sha256", sha256(weights)))
                .as(err.toString()).isZero();
        assertThat(Files.readAllBytes(installDir().resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5"))).isEqualTo(weights);
        assertThat(copy).as("the user's file stays").exists();
    }

    @Test
    void badArgumentsExitTwoWithoutDoingAnything() {
        assertThat(run("--url", url("/vgg16.h5"))).as("a URL without its checksum").isEqualTo(2);
        assertThat(err.toString()).contains("--url needs the file's checksum");
        assertThat(run("--list", "--file", "x")).isEqualTo(2);
        assertThat(run("--url", url("/vgg16.h5"), "--sha256", "xyz")).as("not a SHA-256").isEqualTo(2);
        assertThat(run("--timeout-seconds", "0")).isEqualTo(2);
        assertThat(run("--no-such-option")).isEqualTo(2);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void answersHelpAndVersion() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: fetch-weights").contains("--timeout-seconds");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("captioner");
    }

    private static byte[] hdf5Bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        byte[] magic = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
