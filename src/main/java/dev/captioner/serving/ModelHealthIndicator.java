package dev.captioner.serving;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * "model" health: UP only with an active model; part of the readiness group (see application.yml). A replica that
 * cannot load the model another replica activated stays UP with the old one and names the problem.
 */
@Component("model")
class ModelHealthIndicator extends AbstractHealthIndicator {

    private final ModelRuntime runtime;

    ModelHealthIndicator(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        runtime.current().ifPresentOrElse(
                active -> builder.up().withDetail("id", active.model().id()).withDetail("encoder", active.encoder().id()),
                () -> builder.outOfService().withDetail("reason", runtime.unavailableReason()));
        // still UP (it serves the model it has), but an operator sees it lags behind the store
        runtime.followProblem().ifPresent(problem -> builder.withDetail("storeActive", problem.wanted())
                .withDetail("storeActiveProblem", problem.reason()));
    }
}
