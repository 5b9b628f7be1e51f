package dev.captioner.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.metrics.ActivationMeters;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelConflictException;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.store.ModelStoreException;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ModelEncoderCheck;
import dev.captioner.weights.WeightsUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the active model and its encoder. Activation builds and verifies everything first, records the
 * model in {@code ACTIVE}, then swaps one reference: requests already running keep the model they started
 * with, new ones see the new one. Activation and deletion are serialised by one lock, so the served model,
 * {@code ACTIVE} and every answer agree.
 */
public class ModelRuntime {

    private static final Logger log = LoggerFactory.getLogger(ModelRuntime.class);

    private final ModelStore store;
    private final EncoderFactory encoderFactory;
    private final String configuredWeights;
    private final AtomicReference<ActiveModel> active = new AtomicReference<>();
    private final Object switching = new Object();
    /** The model an activation is building, so a delete of it is refused at once instead of waiting. */
    private volatile String activating;
    private volatile String unavailableReason = "no model is active";
    /** The store's ACTIVE names a model this replica could not load: it keeps serving the one it has. */
    private volatile FollowProblem followProblem;

    /**
     * Why this replica does not serve the model the shared store's ACTIVE names.
     *
     * @param markerChanged the marker's modification time when it failed: the same record is not retried until it
     *                      changes or {@link #FOLLOW_RETRY} has passed
     */
    public record FollowProblem(String wanted, String reason, Instant markerChanged, Instant failedAt) {
    }

    /** How long a model that failed to load waits before this replica tries it again (loading costs seconds). */
    static final Duration FOLLOW_RETRY = Duration.ofMinutes(1);
    private final ActivationMeters activations;

    public ModelRuntime(ModelStore store, EncoderFactory encoderFactory, CaptionerProperties properties) {
        this(store, encoderFactory, properties, ActivationMeters.unregistered());
    }

    public ModelRuntime(ModelStore store, EncoderFactory encoderFactory, CaptionerProperties properties,
                        ActivationMeters activations) {
        this.activations = activations;
        this.store = store;
        this.encoderFactory = encoderFactory;
        this.configuredWeights = properties.encoderWeights();
    }

    /**
     * Loads the model recorded as active, if any. A broken or mismatched model is a startup error; weights
     * that are not installed are not: the service then stays not-ready and says why, until they are.
     *
     * @return false when the active model is waiting for its encoder's weights
     */
    public boolean loadActiveAtStartup() {
        Optional<String> id = store.activeId();
        if (id.isEmpty()) {
            log.warn("no active model in {}: caption requests get 503 until one is activated", store.root());
            return true;
        }
        try {
            activate(id.get());
            return true;
        } catch (WeightsUnavailableException e) {
            unavailableReason = "model '" + id.get() + "' cannot be served yet: " + e.getMessage();
            log.error("not ready: {}", unavailableReason);
            return false;
        }
    }

    void markUnavailable(String reason) {
        unavailableReason = reason;
    }

    /** Why no model is active, for readiness and for the 503s. */
    public String unavailableReason() {
        return unavailableReason;
    }

    public Optional<ActiveModel> current() {
        return Optional.ofNullable(active.get());
    }

    public ActiveModel require() {
        ActiveModel model = active.get();
        if (model == null) {
            throw new ModelUnavailableException(unavailableReason);
        }
        return model;
    }

    /**
     * Loads, verifies, records as active and switches to a stored model. {@code ACTIVE} is written before the
     * swap: when it cannot be written, the old model keeps serving and {@code ACTIVE} still names it.
     */
    public ActiveModel activate(String id) {
        synchronized (switching) {
            activating = id;
            ActivationMeters.Outcome outcome = ActivationMeters.Outcome.FAILED;
            try {
                ActiveModel next = verified(id);
                if (!store.activeId().filter(id::equals).isPresent()) {
                    store.setActive(id);
                }
                outcome = active.getAndSet(next) == null ? ActivationMeters.Outcome.LOADED
                        : ActivationMeters.Outcome.SWAPPED;
                followProblem = null;
                log.info("active model: {} behind {}", id, next.encoder().id());
                return next;
            } finally {
                activations.activation(outcome);
                activating = null;
            }
        }
    }

    /**
     * Serves the model the store's {@code ACTIVE} names when another replica sharing the store has activated one:
     * loads, verifies and swaps as {@link #activate} does, without writing {@code ACTIVE}. A model that cannot be
     * loaded leaves the served one in place; the problem stays in {@link #followProblem()} (health) and is logged
     * once per record.
     */
    public void followStore() {
        Optional<String> wanted;
        Instant markerChanged;
        try {
            wanted = store.activeId();
            markerChanged = store.activeChangedAt().orElse(Instant.EPOCH);
        } catch (ModelStoreException e) {
            recordFollowProblem("?", e.getMessage(), Instant.EPOCH);
            return;
        }
        if (wanted.isEmpty() || serves(wanted.get())) {
            followProblem = null;
            return;
        }
        String id = wanted.get();
        FollowProblem problem = followProblem;
        if (problem != null && problem.wanted().equals(id) && problem.markerChanged().equals(markerChanged)
                && problem.failedAt().plus(FOLLOW_RETRY).isAfter(Instant.now())) {
            return;
        }
        synchronized (switching) {
            if (serves(id)) {
                return;
            }
            activating = id;
            ActivationMeters.Outcome outcome = ActivationMeters.Outcome.FAILED;
            try {
                ActiveModel next = verified(id);
                ActiveModel previous = active.getAndSet(next);
                outcome = previous == null ? ActivationMeters.Outcome.LOADED : ActivationMeters.Outcome.SWAPPED;
                followProblem = null;
                log.info("active model: {} behind {}, as the model store records (was {})", id, next.encoder().id(),
                        previous == null ? "none" : previous.model().id());
            } catch (RuntimeException e) {
                recordFollowProblem(id, e.getMessage(), markerChanged);
            } finally {
                activations.activation(outcome);
                activating = null;
            }
        }
    }

    private boolean serves(String id) {
        ActiveModel serving = active.get();
        return serving != null && serving.model().id().equals(id);
    }

    private void recordFollowProblem(String wanted, String reason, Instant markerChanged) {
        FollowProblem previous = followProblem;
        followProblem = new FollowProblem(wanted, reason, markerChanged, Instant.now());
        if (previous == null || !previous.wanted().equals(wanted) || !previous.reason().equals(reason)) {
            log.error("the model store's ACTIVE names '{}', which this replica cannot serve; it keeps serving {}: {}",
                    wanted, current().map(m -> "'" + m.model().id() + "'").orElse("nothing"), reason);
        }
    }

    /** Why this replica does not serve what the store's ACTIVE names; empty when it does (or nothing is named). */
    public Optional<FollowProblem> followProblem() {
        return Optional.ofNullable(followProblem);
    }

    /**
     * Deletes a stored model unless it is the active one or being activated; under the activation lock, so
     * no activation can pick the model up while it goes.
     */
    public void delete(String id) {
        if (id.equals(activating)) {
            throw new ModelConflictException("model '" + id + "' is being activated and cannot be deleted");
        }
        synchronized (switching) {
            boolean served = current().map(m -> m.model().id()).filter(id::equals).isPresent();
            if (served || store.activeId().filter(id::equals).isPresent()) {
                throw new ModelConflictException("model '" + id + "' is active; activate another model first");
            }
            store.delete(id);
        }
    }

    /**
     * A stored model behind its own encoder, verified as an activation verifies it (the weights, the layer, the
     * encoder's probe) but not served: for commands that use a model without switching to it.
     */
    public ActiveModel verified(String id) {
        CaptionModel model = store.load(id);
        ModelManifest.Encoder wanted = model.manifest().encoder();
        EncoderWeights weights = EncoderWeights.parse(wanted.weights());
        EncoderLayer layer = ModelEncoderCheck.layerOf(id, wanted);
        if (!configuredWeights.isBlank() && !EncoderWeights.parse(configuredWeights).equals(weights)) {
            throw new ModelStoreException("model '" + id + "' was trained behind vgg16/" + weights
                    + " but this service is configured for vgg16/" + configuredWeights
                    + " (captioner.encoder-weights); activate a model trained with those weights or change the setting");
        }
        FeatureEncoder encoder = reuseOrCreate(weights, layer);
        ModelEncoderCheck.requireMatch(id, wanted, encoder);
        return new ActiveModel(model, encoder);
    }

    /**
     * An fc7 encoder with the given weights for background work such as a training job: the serving one when
     * it matches (its {@code encode} is thread-safe), else a new one.
     */
    public FeatureEncoder encoderFor(EncoderWeights weights) {
        return encoderFor(weights, EncoderLayer.FC7);
    }

    /** As {@link #encoderFor(EncoderWeights)}, for the features of the given layer. */
    public FeatureEncoder encoderFor(EncoderWeights weights, EncoderLayer layer) {
        return reuseOrCreate(weights, layer);
    }

    /**
     * VGG16 takes seconds and ~550 MB to build, so models sharing weights share one network, whichever layer
     * each takes its features from.
     */
    private FeatureEncoder reuseOrCreate(EncoderWeights weights, EncoderLayer layer) {
        ActiveModel current = active.get();
        if (current != null) {
            FeatureEncoder serving = current.encoder();
            if (serving.id().equals(serving.layer().encoderId(weights))) {
                Optional<FeatureEncoder> view = serving.atLayer(layer);
                if (view.isPresent()) {
                    return view.get();
                }
            }
        }
        return encoderFactory.create(weights, layer);
    }
}
