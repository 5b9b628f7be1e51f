package dev.captioner.web;

import java.time.Duration;
import java.util.Set;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.upload.BodyLimits;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The body limits, by endpoint: the caption endpoints take up to {@code captioner.max-image-size} (a multipart
 * upload a little more, for its boundaries and headers; a batch's images together, so a batch costs no more memory
 * than one image), everything else {@code captioner.uploads.max-other-body}.
 */
@Configuration(proxyBeanMethods = false)
class UploadLimits {

    /** Room for the multipart boundaries, part headers and the other (small) form fields. */
    static final DataSize MULTIPART_OVERHEAD = DataSize.ofMegabytes(1);
    /** A refused body up to this size is still read (and dropped), so its client sees the answer. */
    static final DataSize MIN_DRAIN = DataSize.ofMegabytes(32);

    /**
     * A stalled body is answered 408 at three quarters of Tomcat's connection timeout: at the timeout itself
     * Tomcat closes the connection without an answer.
     */
    static Duration maxStall(Environment environment) {
        Duration connectionTimeout = Binder.get(environment)
                .bind("server.tomcat.connection-timeout", Duration.class).orElse(Duration.ofSeconds(60));
        return Duration.ofMillis(Math.max(1000, connectionTimeout.toMillis() * 3 / 4));
    }

    @Bean
    BodyLimits bodyLimits(CaptionerProperties properties, Environment environment) {
        long image = properties.maxImageSize().toBytes();
        CaptionerProperties.Uploads uploads = properties.uploads();
        long drain = Math.max(MIN_DRAIN.toBytes(), 2 * (image + MULTIPART_OVERHEAD.toBytes()));
        return new BodyLimits(Set.of(CaptionController.PATH, CaptionBatchController.PATH), image, MULTIPART_OVERHEAD.toBytes(),
                uploads.maxOtherBody().toBytes(), uploads.maxReceiveTime(), maxStall(environment), drain);
    }
}
