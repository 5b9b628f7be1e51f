package dev.captioner.web;

import jakarta.servlet.MultipartConfigElement;

import dev.captioner.config.CaptionerProperties;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Upload limits that follow {@code captioner.max-image-size}: multipart parts and requests a little above it, so
 * the service (not the container) answers an oversized image with its own 413; and Tomcat reads and discards at
 * least that much of a refused body, so the client sees the 413 rather than a reset connection.
 */
@Configuration(proxyBeanMethods = false)
class UploadLimits {

    /** Room for the multipart boundaries, headers and the other (small) form fields. */
    static final DataSize MULTIPART_OVERHEAD = DataSize.ofMegabytes(1);
    static final DataSize MIN_SWALLOW = DataSize.ofMegabytes(32);

    @Bean
    MultipartConfigElement multipartConfigElement(CaptionerProperties properties) {
        long image = properties.maxImageSize().toBytes();
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(DataSize.ofBytes(image + MULTIPART_OVERHEAD.toBytes() / 2));
        factory.setMaxRequestSize(DataSize.ofBytes(image + MULTIPART_OVERHEAD.toBytes()));
        return factory.createMultipartConfig();
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> swallowRefusedBodies(CaptionerProperties properties) {
        int swallow = (int) Math.min(Integer.MAX_VALUE,
                Math.max(MIN_SWALLOW.toBytes(), 2 * (properties.maxImageSize().toBytes() + MULTIPART_OVERHEAD.toBytes())));
        return factory -> factory.addConnectorCustomizers(connector -> {
            AbstractProtocol<?> protocol = (AbstractProtocol<?>) connector.getProtocolHandler();
            if (protocol instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxSwallowSize(swallow);
            }
        });
    }
}
