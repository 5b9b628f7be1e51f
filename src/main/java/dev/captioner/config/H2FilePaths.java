package dev.captioner.config;

import java.nio.file.Path;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * H2 refuses file paths that are "implicitly relative" ({@code jdbc:h2:file:data/jobs/...}), which is what a
 * relative {@code CAPTIONER_DATA_DIR} such as {@code data} produces in the default job-repository URL; such a
 * path is anchored at the working directory, as every other data-dir path is.
 */
@Configuration(proxyBeanMethods = false)
public class H2FilePaths {

    private static final String H2_FILE = "jdbc:h2:file:";

    @Bean
    static BeanPostProcessor anchorRelativeH2Paths() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof DataSourceProperties properties && properties.getUrl() != null) {
                    properties.setUrl(anchor(properties.getUrl()));
                }
                return bean;
            }
        };
    }

    /** The URL with a relative H2 file path made explicit ({@code ./data/...}); any other URL unchanged. */
    static String anchor(String url) {
        if (!url.startsWith(H2_FILE)) {
            return url;
        }
        String path = url.substring(H2_FILE.length());
        if (path.startsWith("./") || path.startsWith("../") || path.startsWith("~") || Path.of(path.split(";", 2)[0]).isAbsolute()) {
            return url;
        }
        return H2_FILE + "./" + path;
    }
}
