package dev.captioner.upload;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.servlet.DispatcherType;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.metrics.RefusalMeters;
import dev.captioner.problem.ProblemWriter;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies are received before a thread works on them; see {@link BodyReceivingFilter}. */
@Configuration(proxyBeanMethods = false)
class BodyReception {

    /** How long a new body may take to show its rate before it can be made to give its slot up. */
    static final Duration EVICTION_GRACE = Duration.ofSeconds(2);

    @Bean
    UploadBudget uploadBudget(CaptionerProperties properties) {
        CaptionerProperties.Uploads uploads = properties.uploads();
        return new UploadBudget(uploads.maxInProgress(), uploads.maxBuffered().toBytes(), uploads.minRate().toBytes(),
                EVICTION_GRACE, System::nanoTime);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService bodyDeadlines() {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "body-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    FilterRegistrationBean<BodyReceivingFilter> bodyReceivingFilter(UploadBudget budget, BodyLimits limits,
                                                                    JsonMapper json,
                                                                    ScheduledExecutorService bodyDeadlines,
                                                                    List<EarlyRefusal> earlyRefusals,
                                                                    RefusalMeters refusalMeters) {
        BodyReceivingFilter filter = new BodyReceivingFilter(budget, limits,
                new Refusals(new ProblemWriter(json), refusalMeters), bodyDeadlines, earlyRefusals);
        FilterRegistrationBean<BodyReceivingFilter> registration = new FilterRegistrationBean<>(filter);
        // right after Spring Security: only requests that may be made at all have their bodies received
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> unreadBodiesCloseTheConnection() {
        return factory -> factory.addContextValves(new UnreadBodyValve());
    }
}
