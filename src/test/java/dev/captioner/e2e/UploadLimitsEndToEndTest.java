package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code captioner.max-image-size} is the upload limit for both ways of sending an image: raised, a multipart
 * upload above the old fixed 11 MB request limit is captioned; lowered, one above it is the service's own 413.
 */
class UploadLimitsEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void theMultipartLimitFollowsTheImageSizeSetting() throws Exception {
        byte[] large = noisePng(2000, 1900, 3);
        assertThat(large.length).as("a PNG above the old 11 MB request limit").isBetween(11_200_000, 15_000_000);
        byte[] small = noisePng(120, 100, 4);
        Path data = Files.createDirectories(dir.resolve("data"));
        try (RunningService service = RunningService.start(data, Path.of("models"), "--captioner.max-image-size=16MB")) {
            HttpResponse<String> response = multipart(service.port(), large);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        try (RunningService service = RunningService.start(data, Path.of("models"), "--captioner.max-image-size=100KB")) {
            HttpResponse<String> refused = multipart(service.port(), large);
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
            assertThat(multipart(service.port(), small).statusCode()).as("%d bytes", small.length).isEqualTo(200);
        }
    }

    private static HttpResponse<String> multipart(int port, byte[] png) throws Exception {
        String boundary = "captioner-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(png);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/captions"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] noisePng(int width, int height, long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
