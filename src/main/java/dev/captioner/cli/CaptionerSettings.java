package dev.captioner.cli;

import java.util.ArrayList;
import java.util.List;

import dev.captioner.config.CaptionerProperties;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The service's own {@code captioner.*} settings (application.yml, environment variables, {@code --captioner.x=}
 * arguments) for commands that need them without starting the service: a context that binds the settings and
 * nothing else (about a second; no database, no model).
 */
final class CaptionerSettings {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CaptionerProperties.class)
    static class Binding {
    }

    private CaptionerSettings() {
    }

    /** @param overrides {@code captioner.x=value} pairs, as a command's options give them */
    static CaptionerProperties load(List<String> overrides) {
        List<String> args = new ArrayList<>();
        overrides.forEach(override -> args.add("--" + override));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Binding.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                // the command reports the fetch itself; the fetcher's own log lines would say it all twice
                .properties("logging.level.root=WARN", "logging.level.dev.captioner.weights=ERROR")
                .run(args.toArray(String[]::new))) {
            return context.getBean(CaptionerProperties.class);
        }
    }
}
