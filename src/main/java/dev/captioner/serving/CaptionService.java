package dev.captioner.serving;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.captioner.language.CaptionOptions;
import dev.captioner.language.Captioner;
import dev.captioner.metrics.CaptionMeters;
import dev.captioner.metrics.RefusalMeters;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.ImageRejectedException;

/** Image bytes in, captions out: decode, encode with VGG16, generate with the model's decoder. */
public class CaptionService {

    private final ImageDecoder imageDecoder;
    private final ModelRuntime runtime;
    private final ServingLoad load;
    private final EncoderBatcher batcher;
    private final DecodeAdmission admission;
    private final Duration maxExpectedWait;
    private final CaptionMeters captionMeters;
    private final RefusalMeters refusalMeters;

    /** The {@code reason} of a refusal with no model to serve, beside {@link #refusalReason}'s. */
    static final String NO_ACTIVE_MODEL = "no-active-model";

    public CaptionService(ImageDecoder imageDecoder, ModelRuntime runtime, ServingLoad load, EncoderBatcher batcher,
                          DecodeAdmission admission, Duration maxExpectedWait) {
        this(imageDecoder, runtime, load, batcher, admission, maxExpectedWait, CaptionMeters.unregistered(),
                RefusalMeters.unregistered());
    }

    public CaptionService(ImageDecoder imageDecoder, ModelRuntime runtime, ServingLoad load, EncoderBatcher batcher,
                          DecodeAdmission admission, Duration maxExpectedWait, CaptionMeters captionMeters,
                          RefusalMeters refusalMeters) {
        this.captionMeters = captionMeters;
        this.refusalMeters = refusalMeters;
        this.imageDecoder = imageDecoder;
        this.runtime = runtime;
        this.load = load;
        this.batcher = batcher;
        this.admission = admission;
        this.maxExpectedWait = maxExpectedWait;
    }

    public CaptionResult caption(byte[] imageBytes, CaptionOptions options) {
        load.enter();
        try {
            return countingRefusals(() -> captionNow(imageBytes, options));
        } finally {
            load.exit();
        }
    }

    /**
     * Every 503 the service answers for want of a model or of room passes here once per request (a batch counts
     * once), whichever of the early refusal, the queue, the decode or the wait it came from.
     */
    private <T> T countingRefusals(Supplier<T> work) {
        try {
            return work.get();
        } catch (ServiceBusyException e) {
            refusalMeters.refused(refusalReason(e.reason()));
            throw e;
        } catch (ModelUnavailableException e) {
            refusalMeters.refused(NO_ACTIVE_MODEL);
            throw e;
        }
    }

    /** The {@code reason} tag of a busy refusal: {@code QUEUE_FULL} is {@code queue-full}. */
    static String refusalReason(ServiceBusyException.Reason reason) {
        return reason.name().toLowerCase().replace('_', '-');
    }

    /** Every reason a 503 can have, counted from zero. */
    public static List<String> refusalReasons() {
        return Stream.concat(Stream.of(NO_ACTIVE_MODEL),
                Stream.of(ServiceBusyException.Reason.values()).map(CaptionService::refusalReason)).toList();
    }

    private CaptionResult captionNow(byte[] imageBytes, CaptionOptions options) {
        ActiveModel active = runtime.require();
        requireAttentionIfAsked(active, options);
        long start = System.nanoTime();
        // the cheap refusals first: a request with no place in the encoder's queue (full, or too long a wait),
        // or whose decode does not fit now, costs a header read, not a decode
        try (EncoderBatcher.Place place = batcher.reserve(maxExpectedWait)) {
            BufferedImage image = decode(imageBytes);
            long decoded = System.nanoTime();
            float[] features = place.encode(active.encoder(), image);
            return captioned(active, features, options, decoded - start, System.nanoTime() - decoded);
        }
    }

    /** The captions of one image's features and their timings; its decode and encode took the given nanoseconds. */
    private CaptionResult captioned(ActiveModel active, float[] features, CaptionOptions options,
                                           long decodeNanos, long encodeNanos) {
        long start = System.nanoTime();
        List<Captioner.Caption> captions = active.model().captioner().captions(features, options);
        // one more decoder pass over the captions, counted in generate: the words come with their confidence
        List<Double> confidences = CaptionConfidence.of(active.model(), features, captions);
        long generateNanos = System.nanoTime() - start;
        captionMeters.generated(options.mode().name().toLowerCase(), generateNanos);
        return new CaptionResult(captions, active.model().id(), active.encoder().id(), millis(decodeNanos),
                millis(encodeNanos), millis(generateNanos), active.model().decoder().grid(), confidences);
    }

    /**
     * Captions several images of one request, in order. Every image takes its own place in the encoder's queue,
     * all before the first decode: a queue without room for all of them (or too long a wait for the last) refuses
     * the whole request (503), as do decoding capacity that is taken and the other busy refusals, so the client
     * retries it whole. An image that cannot be decoded is refused alone ({@link CaptionOutcome#rejected}); the
     * others are decoded one after another (one decode's share of the capacity at a time), then queued together so
     * that they go through the encoder in one pass.
     */
    public List<CaptionOutcome> captionEach(List<byte[]> images, CaptionOptions options) {
        load.enter();
        try {
            return countingRefusals(() -> captionEachNow(images, options));
        } finally {
            load.exit();
        }
    }

    private List<CaptionOutcome> captionEachNow(List<byte[]> images, CaptionOptions options) {
        ActiveModel active = runtime.require();
        requireAttentionIfAsked(active, options);
        int count = images.size();
        List<EncoderBatcher.Place> places = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                places.add(batcher.reserve(maxExpectedWait));
            }
            BufferedImage[] decoded = new BufferedImage[count];
            ImageRejectedException[] rejections = new ImageRejectedException[count];
            long[] decodeNanos = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                try {
                    decoded[i] = decode(images.get(i));
                } catch (ImageRejectedException e) {
                    rejections[i] = e;
                    places.get(i).close();
                }
                decodeNanos[i] = System.nanoTime() - start;
            }
            long queued = System.nanoTime();
            EncoderBatcher.Queued[] encodings = new EncoderBatcher.Queued[count];
            for (int i = 0; i < count; i++) {
                if (decoded[i] != null) {
                    encodings[i] = places.get(i).submit(active.encoder(), decoded[i]);
                }
            }
            List<CaptionOutcome> outcomes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (rejections[i] != null) {
                    outcomes.add(CaptionOutcome.rejected(rejections[i]));
                    continue;
                }
                float[] features = encodings[i].await();
                outcomes.add(CaptionOutcome.captioned(
                        captioned(active, features, options, decodeNanos[i], System.nanoTime() - queued)));
            }
            return outcomes;
        } finally {
            // frees the places of images that never reached the queue (a refusal part-way); used ones are the queue's
            places.forEach(EncoderBatcher.Place::close);
        }
    }

    private static void requireAttentionIfAsked(ActiveModel active, CaptionOptions options) {
        if (options.attention() && !active.model().hasAttention()) {
            throw new NoAttentionException("the active model '" + active.model().id() + "' has no attention (its "
                    + "decoder is '" + active.model().decoder().kind() + "', one vector per image): attention maps "
                    + "need a model with an attention decoder; leave out attention=true");
        }
    }

    /** Decodes within a share of the decoding capacity sized by the pixels the header declares. */
    private BufferedImage decode(byte[] imageBytes) {
        try (DecodeAdmission.Permit permit = admission.admit(imageDecoder.probe(imageBytes).pixels())) {
            return imageDecoder.decode(imageBytes);
        }
    }

    /**
     * The refusals a caption request would meet before its decode (no active model, no place in the encoder's
     * queue), for a request whose body has not arrived yet: refused now, it is not received for nothing.
     */
    public void refuseIfBusy() {
        countingRefusals(() -> {
            runtime.require();
            batcher.refuseIfBusy(maxExpectedWait);
            return null;
        });
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
