package dev.captioner.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Keeps Spring Boot from logging a startup the project refused as a 30-40 frame stack trace: the command prints the
 * refusal's reason in one line ({@link CaptionerCommand}), and the trace goes to the debug log. Any other
 * failure (a bug, a port in use) is left to Spring Boot's own reporting.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class StartupRefusalReporter implements SpringBootExceptionReporter {

    private static final Logger log = LoggerFactory.getLogger(StartupRefusalReporter.class);

    @Override
    public boolean reportException(Throwable failure) {
        if (StartupRefusals.in(failure).isEmpty()) {
            return false;
        }
        log.debug("startup refused", failure);
        return true;
    }
}
