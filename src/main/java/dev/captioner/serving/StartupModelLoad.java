package dev.captioner.serving;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.captioner.store.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the model {@code ACTIVE} names on a thread of its own from the moment this bean is made, while Spring goes
 * on building the rest of the context (Tomcat, security, the job repository), instead of after it: a new replica
 * is ready about a second sooner. {@link #await()} (the startup runner, before readiness) waits for it and fails the
 * start as a load on the main thread did.
 */
public class StartupModelLoad {

    private static final Logger log = LoggerFactory.getLogger(StartupModelLoad.class);

    private final CompletableFuture<Boolean> loaded = new CompletableFuture<>();

    public StartupModelLoad(ModelRuntime runtime, ModelStore store) {
        Thread thread = new Thread(() -> {
            try {
                List<String> leftovers = store.removeLeftovers();
                if (!leftovers.isEmpty()) {
                    log.info("removed what interrupted saves and deletions left in {}: {}", store.root(),
                            String.join(", ", leftovers));
                }
                loaded.complete(runtime.loadActiveAtStartup());
            } catch (Throwable e) {
                loaded.completeExceptionally(e);
            }
        }, "active-model-load");
        // a start that fails elsewhere must not wait for it to end
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @return false when the active model is waiting for its encoder's weights (see
     * {@link ModelRuntime#loadActiveAtStartup()})
     */
    public boolean await() throws InterruptedException {
        try {
            return loaded.get();
        } catch (ExecutionException e) {
            // the load's own exception, so that the start is refused with the same message as before
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
